// Draws one camera frame onto an OffscreenCanvas (mirror, rotation, overlay) and encodes it as JPEG.
import { frameTransform, outputSize, type Size } from '../shared/frame-geometry.ts';
import { overlayFont, overlayLayout } from '../shared/overlay-layout.ts';
import { overlayText } from '../shared/overlay-text.ts';
import type { EncodeOptions } from '../shared/worker-protocol.ts';

/** Name of the per-frame User Timing measure (draw + encode + copy-out). */
export const ENCODE_MEASURE = 'lancam:encode';

export interface EncodedFrame {
  /** null when no JPEG was asked for (the frame was drawn for H.264 only). */
  readonly jpeg: ArrayBuffer | null;
  /** The drawn picture for the H.264 encoder, when asked for (the caller closes it). */
  readonly videoFrame: VideoFrame | null;
  readonly width: number;
  readonly height: number;
  readonly encodeMs: number;
}

export class FrameEncoder {
  #canvas: OffscreenCanvas | null = null;
  #context: OffscreenCanvasRenderingContext2D | null = null;

  async encode(
    source: CanvasImageSource,
    sourceSize: Size,
    options: EncodeOptions,
    videoTimestampUs: number | null = null,
    wantsJpeg = true,
  ): Promise<EncodedFrame> {
    const started = performance.now();
    const out = outputSize(sourceSize, options.rotation);
    const context = this.#contextFor(out);
    const t = frameTransform(sourceSize, options.rotation, options.mirror);
    context.setTransform(t.a, t.b, t.c, t.d, t.e, t.f);
    context.drawImage(source, 0, 0, sourceSize.width, sourceSize.height);
    context.setTransform(1, 0, 0, 1, 0, 0);
    if (options.overlay) drawOverlay(context, out, overlayText(options.overlayText, new Date()));
    const canvas = context.canvas;
    // Taken before the JPEG encode, from the same drawing: mirror, rotation and overlay are applied once.
    const videoFrame =
      videoTimestampUs === null ? null : new VideoFrame(canvas, { timestamp: videoTimestampUs });
    let jpeg: ArrayBuffer | null = null;
    try {
      if (wantsJpeg) {
        const blob = await canvas.convertToBlob({
          type: 'image/jpeg',
          quality: options.jpegQuality,
        });
        jpeg = await blob.arrayBuffer();
      }
    } catch (error) {
      // A VideoFrame holds decoder memory until closed; never leave one to the garbage collector.
      videoFrame?.close();
      throw error;
    }
    const ended = performance.now();
    // A User Timing entry shows each encode in DevTools and lets the benchmark observe it; cleared at once so
    // the timeline never grows (observers still receive the entry).
    performance.measure(ENCODE_MEASURE, { start: started, end: ended });
    performance.clearMeasures(ENCODE_MEASURE);
    return { jpeg, videoFrame, width: out.width, height: out.height, encodeMs: ended - started };
  }

  #contextFor(size: Size): OffscreenCanvasRenderingContext2D {
    if (
      this.#canvas?.width !== size.width ||
      this.#canvas.height !== size.height ||
      !this.#context
    ) {
      this.#canvas = new OffscreenCanvas(size.width, size.height);
      // alpha:false lets Chromium skip premultiplication; JPEG has no alpha anyway.
      const context = this.#canvas.getContext('2d', { alpha: false, desynchronized: true });
      if (!context) throw new Error('OffscreenCanvas 2D context unavailable');
      this.#context = context;
    }
    return this.#context;
  }
}

function drawOverlay(context: OffscreenCanvasRenderingContext2D, size: Size, text: string): void {
  // Measured at 100 px, then laid out to fit: a fixed height/30 font overflowed portrait frames (90°/270°).
  context.font = overlayFont(100);
  const layout = overlayLayout(size, context.measureText(text).width / 100);
  context.font = overlayFont(layout.fontPx);
  context.textBaseline = 'top';
  context.fillStyle = 'rgba(0, 0, 0, 0.55)';
  context.fillRect(layout.pad, layout.pad, layout.boxWidth, layout.boxHeight);
  context.fillStyle = '#fff';
  context.fillText(text, layout.textX, layout.textY);
}
