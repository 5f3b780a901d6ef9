// Real players read the RTSP stream of a real server fed from a libx264 clip: ffprobe and ffmpeg over TCP
// and UDP with Digest and with Basic, GStreamer's rtspsrc, mpv, and VLC where its build has live555.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { BroadcastServer } from '../../server/types.ts';
import { loadClip, makeH264Clip, rtspUrl, startVideoPublisher } from '../helpers/h264-clip.ts';
import { ffmpegDecode, hasBinary, run } from '../helpers/players.ts';
import { startTestServer } from './harness.ts';

const FRAMES = 60;

async function servingClip(
  schemes: readonly ('basic' | 'digest')[],
): Promise<{ server: BroadcastServer; stop: () => Promise<void> }> {
  const server = await startTestServer({ rtspPort: 0, rtspAuthSchemes: schemes });
  const clip = await loadClip(makeH264Clip({ size: '320x240', seconds: 4 }).mp4);
  const stopPublisher = startVideoPublisher(server, clip);
  return {
    server,
    stop: async () => {
      stopPublisher();
      await server.close();
    },
  };
}

/** The Authorization lines ffprobe sent, from its trace log of RTSP requests. */
function schemesSent(stderr: string): string[] {
  return [...stderr.matchAll(/^Authorization: (\w+)/gm)].map((match) => match[1] ?? '');
}

for (const schemes of [['digest', 'basic'], ['basic']] as const) {
  const name = schemes[0] === 'digest' ? 'Digest' : 'Basic';
  describe(`ffprobe and ffmpeg with ${name}`, () => {
    let context: Awaited<ReturnType<typeof servingClip>>;
    before(async () => {
      context = await servingClip(schemes);
    });
    after(async () => {
      await context.stop();
    });

    test(`ffprobe sees H.264 320x240 over TCP, authenticating with ${name}`, async () => {
      const result = await run(
        'ffprobe',
        [
          ...[
            '-v',
            'trace',
            '-rtsp_transport',
            'tcp',
            '-show_entries',
            'stream=codec_name,width,height',
          ],
          ...['-of', 'csv=p=0', rtspUrl(context.server)],
        ],
        20_000,
      );
      assert.equal(result.code, 0, result.stderr.slice(-2000));
      assert.equal(result.stdout.trim(), 'h264,320,240');
      const sent = schemesSent(result.stderr);
      assert.ok(sent.length > 0, 'ffprobe authenticated');
      assert.ok(
        sent.every((scheme) => scheme === name),
        `sent ${sent.join(',')}`,
      );
    });

    for (const transport of ['tcp', 'udp'] as const) {
      test(`ffmpeg decodes ${FRAMES} frames over ${transport.toUpperCase()} without errors`, async () => {
        const { run: result, decodedFrames } = await ffmpegDecode(
          rtspUrl(context.server),
          transport,
          FRAMES,
        );
        assert.equal(result.code, 0, result.stderr.slice(-2000));
        assert.equal(result.stderr.trim(), '', 'no decoder warnings or errors');
        assert.equal(decodedFrames, FRAMES);
      });
    }
  });
}

describe('other players', () => {
  let context: Awaited<ReturnType<typeof servingClip>>;
  before(async () => {
    context = await servingClip(['digest', 'basic']);
  });
  after(async () => {
    await context.stop();
  });

  for (const protocol of ['tcp', 'udp'] as const) {
    test(
      `GStreamer rtspsrc (${protocol}) decodes ${FRAMES} frames`,
      { skip: !hasBinary('gst-launch-1.0') && 'gst-launch-1.0 is not installed' },
      async () => {
        // identity eos-after ends the pipeline after that many decoded frames: exit 0 means they arrived.
        const result = await run(
          'gst-launch-1.0',
          [
            ...['-q', 'rtspsrc', `location=${rtspUrl(context.server)}`, `protocols=${protocol}`],
            ...['!', 'rtph264depay', '!', 'avdec_h264', '!', 'identity', `eos-after=${FRAMES}`],
            ...['!', 'fakesink'],
          ],
          30_000,
        );
        assert.equal(result.isTimedOut, false, 'finished');
        assert.equal(result.code, 0, result.stderr.slice(-2000));
      },
    );
  }

  test(
    `mpv plays ${FRAMES} frames`,
    { skip: !hasBinary('mpv') && 'mpv is not installed' },
    async () => {
      const result = await run(
        'mpv',
        [
          ...[
            '--no-config',
            '--vo=null',
            '--ao=null',
            `--frames=${FRAMES}`,
            '--msg-level=all=info',
          ],
          ...['--rtsp-transport=tcp', rtspUrl(context.server)],
        ],
        30_000,
      );
      assert.equal(result.code, 0, result.stderr.slice(-2000) + result.stdout.slice(-2000));
      assert.match(result.stdout, /VO: \[null\] 320x240/);
    },
  );

  // Debian's VLC ships without the live555 module (its RTSP client), so it cannot open rtsp:// at all.
  const vlcModules = hasBinary('cvlc')
    ? spawnSync('runuser', ['-u', 'nobody', '--', 'cvlc', '--list'], { encoding: 'utf8' }).stdout
    : '';
  const vlcSkip = !hasBinary('cvlc')
    ? 'cvlc is not installed'
    : !/\blive555\b/.test(vlcModules) && 'this VLC build has no live555 module (no RTSP client)';
  test(`VLC plays the stream`, { skip: vlcSkip }, async () => {
    // VLC refuses to run as root; the scene filter writes decoded frames, which proves decoding.
    const dir = spawnSync('mktemp', ['-d']).stdout.toString().trim();
    spawnSync('chmod', ['777', dir]);
    const result = await run(
      'runuser',
      [
        ...['-u', 'nobody', '--', 'cvlc', '-I', 'dummy', '--vout=dummy', '--no-audio'],
        ...['--video-filter=scene', `--scene-path=${dir}`, '--scene-ratio=1', '--scene-format=png'],
        ...['--run-time=5', rtspUrl(context.server), 'vlc://quit'],
      ],
      30_000,
    );
    const written = spawnSync('sh', ['-c', `ls ${dir} | wc -l`])
      .stdout.toString()
      .trim();
    spawnSync('rm', ['-rf', dir]);
    assert.ok(
      Number(written) >= 30,
      `VLC decoded ${written} frames: ${result.stderr.slice(-1500)}`,
    );
  });
});
