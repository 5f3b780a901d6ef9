// How a viewer watches, in the words of the "Watching now" list (pure).
import type { ViewerSummary } from '../electron/ipc.ts';

/** "RTSP · H.264", "viewer page · H.264", "viewer page" or "MJPEG stream". */
export function viewerModeText(viewer: Pick<ViewerSummary, 'protocol' | 'codec'>): string {
  const codec = viewer.codec === 'h264' ? ' · H.264' : '';
  switch (viewer.protocol) {
    case 'rtsp':
      return `RTSP${codec}`;
    case 'websocket':
      return `viewer page${codec}`;
    case 'mjpeg':
      return 'MJPEG stream';
  }
}
