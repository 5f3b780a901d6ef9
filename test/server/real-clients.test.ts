// Real clients read the stream and the snapshot: ffmpeg decodes ≥ 30 frames, ffprobe reads the snapshot.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { BroadcastServer } from '../../server/types.ts';
import { makeFrames, startPublisher, startTestServer, withKey } from './harness.ts';

const run = promisify(execFile);
const frames = makeFrames(10);

describe('ffmpeg and ffprobe', () => {
  let server: BroadcastServer;
  let stop: () => void;
  before(async () => {
    server = await startTestServer();
    stop = startPublisher(server, frames, 30);
  });
  after(async () => {
    stop();
    await server.close();
  });

  for (const route of ['/stream.mjpg', '/?action=stream']) {
    test(`ffmpeg decodes 30 frames from ${route}`, async () => {
      // execFile's timeout kills only the ffmpeg it started.
      const { stderr } = await run(
        'ffmpeg',
        [
          '-hide_banner',
          '-nostats',
          '-i',
          withKey(server, route),
          '-frames:v',
          '30',
          '-f',
          'null',
          '-',
        ],
        { timeout: 30_000 },
      );
      const decoded = [...stderr.matchAll(/frame=\s*(\d+)/g)].map((match) => Number(match[1]));
      assert.ok(
        (decoded.at(-1) ?? 0) >= 30,
        `ffmpeg reported ${decoded.at(-1)} frames:\n${stderr}`,
      );
      assert.match(stderr, /Input #0, mpjpeg/);
      assert.match(stderr, /Video: mjpeg.*320x240/);
    });
  }

  test('ffmpeg accepts the key as a Basic password in the URL', async () => {
    const url = new URL(withKey(server, '/stream.mjpg'));
    url.searchParams.delete('key');
    url.username = 'lancam';
    url.password = server.key ?? '';
    const { stderr } = await run(
      'ffmpeg',
      ['-hide_banner', '-nostats', '-i', url.href, '-frames:v', '5', '-f', 'null', '-'],
      { timeout: 30_000 },
    );
    assert.match(stderr, /frame=\s*5\b/);
  });

  test('ffprobe reads /snapshot.jpg', async () => {
    const { stdout } = await run(
      'ffprobe',
      [
        ...['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json'],
        withKey(server, '/snapshot.jpg'),
      ],
      { timeout: 30_000 },
    );
    const probed = JSON.parse(stdout) as {
      streams: { codec_name: string; width: number; height: number }[];
    };
    assert.deepEqual(probed.streams[0], { codec_name: 'mjpeg', width: 320, height: 240 });
  });
});
