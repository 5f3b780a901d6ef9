// `lancam serve --video FILE` end to end: an MP4 or Annex B clip looped over RTSP, next to --frames or alone,
// the "rtsp" field of the --json line, --rtsp-port, and one-line errors for unusable files.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { makeH264Clip } from '../helpers/h264-clip.ts';
import { ffmpegDecode } from '../helpers/players.ts';
import { freePort } from '../helpers/ports.ts';
import { get, makeFrames } from './harness.ts';

const cliPath = path.join(import.meta.dirname, '../../server/cli/cli.ts');
const clip = makeH264Clip({ size: '320x240', seconds: 2 });
const scratch = mkdtempSync(path.join(tmpdir(), 'lancam-rtsp-cli-'));
const children = new Set<ChildProcess>();

after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function lancam(args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cliPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface ServeJson {
  readonly url: string;
  readonly port: number;
  readonly key: string | null;
  readonly rtsp: string | null;
}

function jsonLine(child: ChildProcess): Promise<ServeJson> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) throw new Error('no stdout');
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(JSON.parse(line) as ServeJson);
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${code} before printing`));
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      resolve({ code, stderr });
    }),
  );
}

const loopback = ['--host', '127.0.0.1', '--port', '0', '--json'];

for (const [kind, file] of [
  ['MP4', clip.mp4],
  ['Annex B', clip.annexB],
] as const) {
  test(`serve --video (${kind}) alone: the rtsp URL decodes, looping past the clip's end`, async () => {
    const rtspPort = await freePort();
    const child = lancam(['serve', '--video', file, '--rtsp-port', String(rtspPort), ...loopback]);
    const done = exited(child);
    const info = await jsonLine(child);
    assert.equal(info.rtsp, `rtsp://viewer:${info.key ?? ''}@127.0.0.1:${rtspPort}/live`);
    // 90 frames from a 60-frame clip: the loop goes on with increasing timestamps.
    const { run, decodedFrames } = await ffmpegDecode(info.rtsp, 'tcp', 90);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(decodedFrames, 90);
    // No --frames: the MJPEG side shows its placeholder, and stays up.
    const status = await get(`http://127.0.0.1:${info.port}/status.json?key=${info.key ?? ''}`);
    assert.equal(status.status, 200);
    await status.body?.cancel();
    child.kill('SIGTERM');
    assert.equal((await done).code, 0);
  });
}

test('serve --frames and --video together feed both outputs; open mode has no user info', async () => {
  const framesDir = mkdtempSync(path.join(scratch, 'frames-'));
  makeFrames(3).forEach((frame, i) => {
    writeFileSync(path.join(framesDir, `f${i}.jpg`), frame.jpeg);
  });
  const child = lancam([
    ...['serve', '--frames', framesDir, '--video', clip.mp4, '--rtsp-port', '0', '--no-auth'],
    ...loopback,
  ]);
  const done = exited(child);
  const info = await jsonLine(child);
  assert.match(info.rtsp ?? '', /^rtsp:\/\/127\.0\.0\.1:\d+\/live$/);
  const { run, decodedFrames } = await ffmpegDecode(info.rtsp ?? '', 'udp', 30);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(decodedFrames, 30);
  const snapshot = await get(`http://127.0.0.1:${info.port}/snapshot.jpg`);
  assert.equal(snapshot.status, 200);
  assert.equal(snapshot.headers.get('content-type'), 'image/jpeg');
  await snapshot.body?.cancel();
  child.kill('SIGTERM');
  assert.equal((await done).code, 0);
});

test('an unusable --video file exits 2 with one line', async () => {
  const notVideo = path.join(scratch, 'not-video.mp4');
  writeFileSync(notVideo, 'hello');
  for (const file of [notVideo, path.join(scratch, 'missing.mp4')]) {
    const { code, stderr } = await exited(lancam(['serve', '--video', file, ...loopback]));
    assert.equal(code, 2, stderr);
    assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
    assert.match(
      stderr,
      /lancam: (cannot read video|.* has no H\.264 keyframe|.* is not a readable)/,
    );
  }
});
