// Encode worker: turns each frame the capture worker hands it into JPEG bytes; one encode at a time.
import type { EncodeJob, FromEncoder } from './encode-protocol.ts';
import { FrameEncoder } from './frame-encoder.ts';

declare const self: DedicatedWorkerGlobalScope;

const encoder = new FrameEncoder();

function post(message: FromEncoder, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

// The capture worker sends a new job only after this one answered (at most one in flight per worker).
self.onmessage = async (event: MessageEvent<EncodeJob>) => {
  const job = event.data;
  try {
    const encoded = await encoder.encode(
      job.image,
      job.size,
      job.options,
      job.videoTimestampUs,
      job.wantsJpeg,
    );
    const { videoFrame } = encoded;
    post(
      {
        type: 'encoded',
        seq: job.seq,
        jpeg: encoded.jpeg,
        videoFrame,
        width: encoded.width,
        height: encoded.height,
        encodeMs: encoded.encodeMs,
      },
      [encoded.jpeg, videoFrame].filter((item): item is ArrayBuffer | VideoFrame => item !== null),
    );
  } catch (error) {
    post({
      type: 'failed',
      seq: job.seq,
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    job.image.close();
  }
};
