// A viewer on a link slower than the stream still sees recent frames: the server holds it back while its
// kernel send queue is full, instead of letting Linux queue megabytes (seconds) of old video for it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import { boundaryOf, MjpegParser } from '../helpers/mjpeg-parser.ts';
import { makeFrames, startPublisher, startTestServer } from './harness.ts';

const readBytesPerSec = 150 * 1024;
const stepMs = 20;

/** Reads the stream at a fixed byte rate and records each frame's age (receipt − X-Timestamp). */
function throttledReader(port: number, key: string): { ages: number[]; close: () => void } {
  const ages: number[] = [];
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(`GET /stream.mjpg?key=${key} HTTP/1.1\r\nHost: t\r\nUser-Agent: slow-link\r\n\r\n`);
  let head = Buffer.alloc(0);
  let parser: MjpegParser | null = null;
  const timer = setInterval(() => {
    let budget = Math.round((readBytesPerSec * stepMs) / 1000);
    while (budget > 0) {
      const chunk = socket.read(Math.min(budget, socket.readableLength)) as Buffer | null;
      if (!chunk) break;
      budget -= chunk.length;
      if (!parser) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) continue;
        const contentType = /content-type:\s*([^\r\n]+)/i.exec(
          head.subarray(0, end).toString(),
        )?.[1];
        parser = new MjpegParser(boundaryOf(contentType), { skipBodies: true });
        const rest = head.subarray(end + 4);
        for (const part of parser.push(rest))
          ages.push(Date.now() - Number(part.headers.get('x-timestamp')) * 1000);
        continue;
      }
      for (const part of parser.push(chunk)) {
        ages.push(Date.now() - Number(part.headers.get('x-timestamp')) * 1000);
      }
    }
  }, stepMs);
  return {
    ages,
    close: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

test(
  'a viewer reading 150 KiB/s of a 2 MB/s stream keeps getting recent frames, not ever older ones',
  {
    skip: existsSync('/proc/net/tcp')
      ? false
      : 'kernel send queues are read from Linux /proc/net/tcp',
  },
  async () => {
    // Incompressible ≈ 75 KB frames at 30 fps: 15× what the reader takes.
    const frames = makeFrames(6, '320x240', true);
    const server = await startTestServer();
    const stopPublishing = startPublisher(server, frames, 30);
    const reader = throttledReader(server.port, server.key ?? '');
    try {
      await new Promise((resolve) => setTimeout(resolve, 14_000));
      // The last quarter: what a viewer sees once the burst every new connection gets (its receive buffer
      // fills before any reading can tell) has drained.
      const lateAges = reader.ages.slice(Math.floor((reader.ages.length * 3) / 4));
      const lateMedianMs = median(lateAges);
      // Unheld, Linux lets the queue grow by about a second of video every second (≈ 10 s old by now). Held,
      // a frame waits behind at most half a frame on our side plus the reader's own buffers (~0.3 MB here).
      assert.ok(reader.ages.length >= 14, `only ${reader.ages.length} frames in 14 s`);
      assert.ok(lateMedianMs < 4000, `frames were ${Math.round(lateMedianMs)} ms old (median)`);
      const viewer = server.status().viewers.find((v) => v.userAgent === 'slow-link');
      assert.ok(viewer, 'the viewer is still connected');
      assert.ok(viewer.isSlow, 'the viewer is flagged slow');
      assert.ok(viewer.skippedFrames > 100, 'it skipped most frames');
    } finally {
      reader.close();
      stopPublishing();
      await server.close();
    }
  },
);
