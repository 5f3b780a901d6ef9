// @ts-check
// Plays the channel's H.264 in the viewer page: WebCodecs VideoDecoder into a canvas, each access unit drawn as
// soon as it is decoded (no jitter buffer: live, not smooth), acknowledged once drawn. Where the browser cannot
// decode H.264 it says so, and the page falls back to JPEG.

/** Units queued in the decoder beyond which the page is behind and waits for the next keyframe. */
const H264_MAX_DECODE_QUEUE = 3;
/** Units received before the decoder is configured (isConfigSupported is asynchronous). */
const H264_MAX_EARLY_UNITS = 60;

/**
 * The hooks are those of createMsePlayer (mse-player.js), so the page treats both players alike.
 * @typedef {{
 *   onDone: (seq: number) => void,
 *   onShown: (captureTimeMs: number) => void,
 *   onFailure: (reason: string) => void,
 *   onNeedKeyframe: () => void,
 * }} H264PlayerHooks
 * @typedef {{ seq: number, captureTimeMs: number, isKey: boolean, payload: Uint8Array }} H264Unit
 */

/** True where this browser has WebCodecs at all (H.264 support is asked per stream, in configure). */
function canPlayH264() {
  return typeof VideoDecoder === 'function' && typeof EncodedVideoChunk === 'function';
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {H264PlayerHooks} hooks
 */
function createH264Player(canvas, hooks) {
  const context = canvas.getContext('2d');
  /** @type {VideoDecoder | null} */
  let decoder = null;
  /** @type {H264Unit[]} */
  let early = [];
  let isWaitingForKey = true;
  let isClosed = false;
  /** Capture time of each unit in the decoder, by seq (the chunk timestamp). */
  const captureTimes = new Map();

  /** @param {string} reason */
  function fail(reason) {
    if (isClosed) return;
    close();
    hooks.onFailure(reason);
  }

  /** @param {H264Unit} unit */
  function decode(unit) {
    if (!decoder || decoder.state !== 'configured') return;
    // A dropped unit is acknowledged too: unacknowledged, the server would find the page behind and hold back
    // everything, the keyframe it waits for included.
    if (isWaitingForKey && !unit.isKey) {
      hooks.onDone(unit.seq);
      return;
    }
    if (!unit.isKey && decoder.decodeQueueSize > H264_MAX_DECODE_QUEUE) {
      // This device decodes slower than the stream: drop to the next keyframe rather than fall further behind.
      isWaitingForKey = true;
      hooks.onDone(unit.seq);
      hooks.onNeedKeyframe();
      return;
    }
    isWaitingForKey = false;
    captureTimes.set(unit.seq, unit.captureTimeMs);
    try {
      decoder.decode(
        new EncodedVideoChunk({
          type: unit.isKey ? 'key' : 'delta',
          timestamp: unit.seq,
          data: unit.payload,
        }),
      );
    } catch (error) {
      fail(`decode: ${String(error)}`);
    }
  }

  /** @param {VideoFrame} frame */
  function draw(frame) {
    const seq = frame.timestamp;
    if (canvas.width !== frame.displayWidth || canvas.height !== frame.displayHeight) {
      canvas.width = frame.displayWidth;
      canvas.height = frame.displayHeight;
    }
    context?.drawImage(frame, 0, 0);
    frame.close();
    const captureTimeMs = captureTimes.get(seq) ?? Date.now();
    for (const key of captureTimes.keys()) {
      if (key <= seq) captureTimes.delete(key);
    }
    // Drawn is done: the unit is acknowledged and the picture's age shown at once.
    hooks.onDone(seq);
    hooks.onShown(captureTimeMs);
  }

  /**
   * Configures the decoder for the stream the server announced; false (and onFailure) where it cannot decode.
   * @param {string} codec
   */
  async function configure(codec) {
    /** @type {VideoDecoderConfig} */
    const config = { codec, optimizeForLatency: true };
    try {
      const support = await VideoDecoder.isConfigSupported(config);
      if (!support.supported) {
        fail(`this browser cannot decode ${codec}`);
        return false;
      }
    } catch (error) {
      fail(`isConfigSupported: ${String(error)}`);
      return false;
    }
    if (isClosed) return false;
    decoder = new VideoDecoder({
      output: draw,
      error: (error) => {
        fail(`decoder: ${error.message}`);
      },
    });
    decoder.configure(config);
    const waiting = early;
    early = [];
    for (const unit of waiting) decode(unit);
    return true;
  }

  /** @param {H264Unit} unit */
  function push(unit) {
    if (isClosed) return;
    if (!decoder) {
      if (early.length < H264_MAX_EARLY_UNITS) early.push(unit);
      return;
    }
    decode(unit);
  }

  function close() {
    isClosed = true;
    early = [];
    captureTimes.clear();
    if (decoder && decoder.state !== 'closed') decoder.close();
    decoder = null;
  }

  return { configure, push, close };
}
