// Test-only hooks the browser tests inject into the control window (__lancamTest); none of this exists in
// production code.

/** Runs in the page (serialised by Playwright): keep it self-contained. */
export function installTestHooks(): void {
  const w = window as unknown as Record<string, unknown>;
  // Remember the streams the page opens so a test can end the camera track.
  const streams: MediaStream[] = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
  w.__lancamTest = {
    /** What unplugging does: the track stops and fires 'ended' (stop() alone fires nothing). */
    endTrack() {
      const track = streams.at(-1)?.getVideoTracks()[0];
      if (!track) return false;
      track.stop();
      track.dispatchEvent(new Event('ended'));
      return true;
    },
    /** Unplugs the camera shown in one <video> (a source card's preview, or #preview for source 1). */
    endTrackIn(selector: string) {
      const video = document.querySelector(selector);
      const stream = video instanceof HTMLVideoElement ? video.srcObject : null;
      const track = stream instanceof MediaStream ? stream.getVideoTracks()[0] : undefined;
      if (!track) return false;
      track.stop();
      track.dispatchEvent(new Event('ended'));
      return true;
    },
    /** What plugging a camera back in does. */
    fireDeviceChange() {
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    },
  };
}
