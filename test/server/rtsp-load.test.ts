// RTSP under load: a stalled client next to healthy ones (they keep every access unit, its memory stays
// bounded, it is evicted), and 20 RTSP clients with 20 MJPEG viewers at once, all at full rate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFrameLoop } from '../../server/cli/frame-source.ts';
import { startVideoLoop } from '../../server/cli/video-source.ts';
import { DEFAULT_MAX_PENDING_BYTES } from '../../server/rtsp/rtsp-server.ts';
import type { RtspClientStats } from '../../server/types.ts';
import { loadClip, makeH264Clip } from '../helpers/h264-clip.ts';
import { RtspTestClient } from '../helpers/rtsp-client.ts';
import { eventually, makeFrames, openStream, sleep, startTestServer, withKey } from './harness.ts';

test('a stalled RTSP client is bounded, does not slow the others, and is evicted', async () => {
  const stallTimeoutMs = 2000;
  // ~60 Mbit/s of noise: fills the stalled client's socket buffers within a second or two.
  const clip = await loadClip(
    makeH264Clip({ size: '640x360', seconds: 2, noise: true, crf: 8 }).mp4,
  );
  const largestUnitBytes = Math.max(...clip.units.map((unit) => unit.data.length));
  const server = await startTestServer({ rtspPort: 0, stallTimeoutMs });
  let published = 0;
  const stopPublisher = startVideoLoop(clip, (chunk) => {
    if (server.publishVideo(chunk)) published += 1;
  });
  const url = `rtsp://127.0.0.1:${server.rtspPort ?? 0}/live`;
  const healthy = await Promise.all(
    Array.from({ length: 3 }, () => RtspTestClient.connect(server.rtspPort ?? 0)),
  );
  const stalled = await RtspTestClient.connect(server.rtspPort ?? 0, { userAgent: 'stalled' });
  const samples: RtspClientStats[] = [];
  const sampler = setInterval(() => {
    const entry = server.status().rtspClients?.find((client) => client.userAgent === 'stalled');
    if (entry) samples.push(entry);
  }, 50);
  try {
    await Promise.all(healthy.map((client) => client.play(url, server.key)));
    await stalled.play(url, server.key);
    stalled.stall();
    await eventually(
      () => healthy.every((client) => client.accessUnits > 0),
      10_000,
      'first units',
    );
    const startCounts = healthy.map((client) => client.accessUnits);
    const startPublished = published;
    const stalledAtMs = Date.now();
    // The server's view: a paused client cannot notice the close until it reads again.
    await eventually(
      () => !server.status().rtspClients?.some((client) => client.userAgent === 'stalled'),
      20_000,
      'eviction of the stalled client',
    );
    const evictedAfterMs = Date.now() - stalledAtMs;
    stalled.socket.resume();
    await Promise.race([
      stalled.closed,
      sleep(10_000).then(() => {
        throw new Error('the evicted client socket stayed open');
      }),
    ]);
    const sent = published - startPublished;
    // Every unit published meanwhile reaches every healthy client (some may still be on their way).
    await eventually(
      () => healthy.every((client, i) => client.accessUnits - (startCounts[i] ?? 0) >= sent),
      5000,
      `healthy clients get all ${sent} units`,
    );
    for (const client of healthy) assert.equal(client.sequenceJumps, 0);
    for (const entry of server.status().rtspClients ?? []) {
      assert.equal(entry.skippedFrames, 0, 'healthy clients skip nothing');
    }
    assert.ok(samples.length > 0);
    const maxPending = Math.max(...samples.map((entry) => entry.pendingBytes));
    // At most the threshold plus the one access unit (with its RTP framing) that crossed it.
    const bound = DEFAULT_MAX_PENDING_BYTES + largestUnitBytes * 1.05;
    assert.ok(maxPending <= bound, `stalled client held ${maxPending} B (bound ${bound})`);
    assert.ok(samples.at(-1)!.skippedFrames > 0, 'the stalled client skipped units');
    assert.ok(
      samples.some((entry) => entry.isSlow),
      'flagged slow',
    );
    assert.ok(evictedAfterMs >= stallTimeoutMs, `evicted after ${evictedAfterMs} ms`);
    assert.equal(server.status().rtspClients?.length, 3);
  } finally {
    clearInterval(sampler);
    stopPublisher();
    for (const client of [...healthy, stalled]) client.close();
    await server.close();
  }
});

test('20 RTSP clients and 20 MJPEG viewers at once all get every frame', async () => {
  const clip = await loadClip(makeH264Clip({ size: '640x360', seconds: 4, bitrate: '1500k' }).mp4);
  const server = await startTestServer({ rtspPort: 0, maxViewers: 64 });
  let publishedUnits = 0;
  const stopVideo = startVideoLoop(clip, (chunk) => {
    if (server.publishVideo(chunk)) publishedUnits += 1;
  });
  let publishedFrames = 0;
  const stopFrames = startFrameLoop(makeFrames(10, '640x360'), 30, (jpeg, meta) => {
    if (server.publish(jpeg, meta)) publishedFrames += 1;
  });
  const url = `rtsp://127.0.0.1:${server.rtspPort ?? 0}/live`;
  const rtsp = await Promise.all(
    Array.from({ length: 20 }, () => RtspTestClient.connect(server.rtspPort ?? 0)),
  );
  const mjpeg = await Promise.all(
    Array.from({ length: 20 }, () => openStream(withKey(server, '/stream.mjpg'))),
  );
  try {
    await Promise.all(rtsp.map((client) => client.play(url, server.key)));
    await eventually(() => rtsp.every((client) => client.accessUnits > 0), 10_000, 'first units');
    await Promise.all(mjpeg.map((viewer) => viewer.waitForParts(2)));
    const rtspStart = rtsp.map((client) => client.accessUnits);
    const mjpegStart = mjpeg.map((viewer) => viewer.parts.length);
    const unitsStart = publishedUnits;
    const framesStart = publishedFrames;
    await sleep(4000);
    stopVideo();
    stopFrames();
    const sentUnits = publishedUnits - unitsStart;
    const sentFrames = publishedFrames - framesStart;
    // Rates are judged against what was published: on a loaded machine the source itself may run slow.
    assert.ok(sentUnits >= 60, `the H.264 source ran: ${sentUnits} units in 4 s`);
    assert.ok(sentFrames >= 60, `the JPEG source ran: ${sentFrames} frames in 4 s`);
    const rtspReceived = (): number[] =>
      rtsp.map((client, i) => client.accessUnits - (rtspStart[i] ?? 0));
    const mjpegReceived = (): number[] =>
      mjpeg.map((viewer, i) => viewer.parts.length - (mjpegStart[i] ?? 0));
    // Whatever was still on its way when the window closed arrives; nothing is skipped.
    await eventually(
      () =>
        rtspReceived().every((count) => count >= sentUnits) &&
        mjpegReceived().every((count) => count >= sentFrames),
      5000,
      `every client gets all ${sentUnits} units / ${sentFrames} frames ` +
        `(RTSP ${rtspReceived().join(',')}; MJPEG ${mjpegReceived().join(',')})`,
    );
    const status = server.status();
    assert.equal(status.rtspClients?.length, 20);
    for (const entry of status.rtspClients ?? []) assert.equal(entry.skippedFrames, 0);
    assert.equal(status.viewerCount, 20);
    for (const viewer of status.viewers) assert.equal(viewer.skippedFrames, 0);
  } finally {
    stopVideo();
    stopFrames();
    for (const client of rtsp) client.close();
    for (const viewer of mjpeg) viewer.close();
    await server.close();
  }
});
