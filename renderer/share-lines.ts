// Copy-ready lines for the apps people point at a LanCam stream, built from one share URL (MJPEG) and one
// RTSP URL (H.264).

export interface ShareLine {
  readonly id: string;
  readonly label: string;
  readonly text: string;
  /** Where to paste it, one short sentence. */
  readonly hint: string;
}

export interface ShareEndpoints {
  /** The viewer page as shared (with the key). */
  readonly page: string;
  /** `/stream.mjpg`: the .mjpg suffix keeps OpenCV's FFmpeg backend from guessing "image sequence". */
  readonly stream: string;
  readonly snapshot: string;
  /** mjpg-streamer style paths, which OctoPrint expects. */
  readonly octoStream: string;
  readonly octoSnapshot: string;
}

/** Derives the endpoint URLs from a share URL such as `http://192.168.1.20:8080/?key=abc`. */
export function shareEndpoints(shareUrl: string): ShareEndpoints {
  const base = new URL(shareUrl);
  const key = base.searchParams.get('key');
  const at = (path: string, extra: Readonly<Record<string, string>> = {}): string => {
    const url = new URL(path, base.origin);
    for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
    if (key) url.searchParams.set('key', key);
    return url.toString();
  };
  return {
    page: base.toString(),
    stream: at('/stream.mjpg'),
    snapshot: at('/snapshot.jpg'),
    octoStream: at('/', { action: 'stream' }),
    octoSnapshot: at('/', { action: 'snapshot' }),
  };
}

/** Double-quoted for POSIX shells and cmd/PowerShell alike; share URLs contain no quotes. */
function quoted(url: string): string {
  return `"${url}"`;
}

export function shareLines(shareUrl: string): ShareLine[] {
  const e = shareEndpoints(shareUrl);
  return [
    {
      id: 'vlc',
      label: 'VLC',
      text: `vlc --network-caching=100 ${quoted(e.stream)}`,
      hint: 'Or Media → Open Network Stream and paste the stream URL.',
    },
    {
      id: 'ffmpeg',
      label: 'ffmpeg (record)',
      text: `ffmpeg -use_wallclock_as_timestamps 1 -i ${quoted(e.stream)} -c:v libx264 -pix_fmt yuv420p lancam.mp4`,
      hint: 'MJPEG carries no timestamps, so ffmpeg uses arrival time.',
    },
    {
      id: 'opencv',
      label: 'OpenCV (Python)',
      text: `cap = cv2.VideoCapture(${JSON.stringify(e.stream)})`,
      hint: 'Then ok, frame = cap.read() in a loop.',
    },
    {
      id: 'ha-stream',
      label: 'Home Assistant: MJPEG URL',
      text: e.stream,
      hint: 'Settings → Devices & services → Add integration → MJPEG IP Camera.',
    },
    {
      id: 'ha-still',
      label: 'Home Assistant: still image URL',
      text: e.snapshot,
      hint: 'Same dialog, "Still image URL" (faster thumbnails).',
    },
    {
      id: 'octoprint-stream',
      label: 'OctoPrint: stream URL',
      text: e.octoStream,
      hint: 'Settings → Webcam & Timelapse (Classic Webcam plugin).',
    },
    {
      id: 'octoprint-snapshot',
      label: 'OctoPrint: snapshot URL',
      text: e.octoSnapshot,
      hint: 'Used for timelapses.',
    },
  ];
}

/**
 * Lines for what ingests RTSP/H.264: NVRs, Home Assistant, relays, players. `rtspUrl` is
 * `rtsp://viewer:KEY@HOST:PORT/live` (no user info in open mode); `shareUrl` gives the still image.
 */
export function videoShareLines(rtspUrl: string, shareUrl: string | null): ShareLine[] {
  const still = shareUrl === null ? null : shareEndpoints(shareUrl).snapshot;
  const yamlUrl = JSON.stringify(rtspUrl);
  return [
    {
      id: 'rtsp',
      label: 'RTSP URL',
      text: rtspUrl,
      hint: 'H.264 for any NVR or player; user "viewer", the access key as password (Basic or Digest).',
    },
    {
      id: 'ha-stream-source',
      label: 'Home Assistant: stream source',
      text: rtspUrl,
      hint: 'Add integration → Generic Camera → "Stream source URL": recording and HomeKit live view.',
    },
    ...(still === null
      ? []
      : [
          {
            id: 'ha-still-image',
            label: 'Home Assistant: still image URL',
            text: still,
            hint: 'Same dialog, "Still image URL".',
          },
        ]),
    {
      id: 'frigate',
      label: 'Frigate',
      text: [
        'cameras:',
        '  lancam:',
        '    ffmpeg:',
        '      inputs:',
        `        - path: ${yamlUrl}`,
        '          input_args: preset-rtsp-generic',
        '          roles: [detect, record]',
      ].join('\n'),
      hint: 'Into config.yml; Frigate records the H.264 as it comes.',
    },
    {
      id: 'go2rtc',
      label: 'go2rtc',
      text: ['streams:', `  lancam: ${yamlUrl}`].join('\n'),
      hint: 'Into go2rtc.yaml; go2rtc then relays it (WebRTC, RTSP, HLS) to many viewers.',
    },
    {
      id: 'synology',
      label: 'Synology Surveillance Station',
      text: rtspUrl,
      hint: 'IP Camera → Add → Brand "[User Define]", Protocol RTSP, paste as the source path.',
    },
    {
      id: 'blue-iris',
      label: 'Blue Iris',
      text: rtspUrl,
      hint: 'Add camera → Network IP → paste into Address; Make "Generic/ONVIF".',
    },
    {
      id: 'vlc-rtsp',
      label: 'VLC (RTSP)',
      text: `vlc --rtsp-tcp --network-caching=300 ${quoted(rtspUrl)}`,
      hint: 'Or Media → Open Network Stream and paste the RTSP URL.',
    },
    {
      id: 'ffmpeg-rtsp',
      label: 'ffmpeg (record H.264)',
      text: `ffmpeg -rtsp_transport tcp -i ${quoted(rtspUrl)} -c copy lancam.mp4`,
      hint: 'Copies the stream as it is: no re-encoding.',
    },
  ];
}

/**
 * The plain words for a system without an H.264 encoder, or null when it has one (or nobody asked yet).
 * `reason` is what the encoder probe said.
 */
export function noH264Message(reason: string | null): string | null {
  if (reason === null) return null;
  return `H.264 is off: ${reason} RTSP (NVRs, Home Assistant, Frigate) and H.264 viewing need it; the MJPEG stream and the viewer page work as usual.`;
}

/** Replaces the key in a URL with dots for display; the copy buttons still copy the real URL. */
export function maskKeyInUrl(url: string): string {
  return url
    .replace(/([?&]key=)[^&#\s"]+/g, '$1••••••••')
    .replace(/(rtsp:\/\/[^:/@\s"]+:)[^@\s"]+@/g, '$1••••••••@');
}
