// `lancam serve` end to end: the --json line, serving the folder's frames (several folders: one source each),
// graceful SIGTERM, error exits.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { parseCli } from '../../server/cli/cli-args.ts';
import { ffmpegDecode } from '../browser/support/ffmpeg-probe.ts';
import { get, makeFrames, openStream } from './harness.ts';

const cliPath = path.join(import.meta.dirname, '../../server/cli/cli.ts');
const frames = makeFrames(5);
const wideFrames = makeFrames(4, '640x360');
let framesDir = '';
let emptyDir = '';
let wideDir = '';
const children = new Set<ChildProcess>();

before(() => {
  framesDir = mkdtempSync(path.join(tmpdir(), 'lancam-cli-'));
  emptyDir = mkdtempSync(path.join(tmpdir(), 'lancam-cli-empty-'));
  frames.forEach((frame, i) => {
    writeFileSync(path.join(framesDir, `frame-${i + 1}.jpg`), frame.jpeg);
  });
  writeFileSync(path.join(emptyDir, 'notes.txt'), 'no frames here');
  wideDir = path.join(mkdtempSync(path.join(tmpdir(), 'lancam-cli-wide-')), 'garden');
  mkdirSync(wideDir);
  wideFrames.forEach((frame, i) => {
    writeFileSync(path.join(wideDir, `${i + 1}.jpg`), frame.jpeg);
  });
});

after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(framesDir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
  rmSync(path.dirname(wideDir), { recursive: true, force: true });
});

const bundlePath = path.join(import.meta.dirname, '../../out/cli/lancam.mjs');

function lancam(args: string[], entry: 'source' | 'bundle' = 'source'): ChildProcess {
  const command = entry === 'source' ? ['--import', 'tsx', cliPath] : [bundlePath];
  const child = spawn(process.execPath, [...command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) throw new Error('no stdout');
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${code} before printing`));
    });
  });
}

interface Finished {
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

function finished(child: ChildProcess): Promise<Finished> {
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve({ code, stderr, stdout });
    });
  });
}

interface ServeJson {
  url: string;
  urls: string[];
  port: number;
  key: string | null;
  rtsp: string | null;
  sources: { id: number; name: string; stream: string }[];
}

/** `serve` of the test frames on a free loopback port; a function because framesDir is set in before(). */
const loopbackServe = (): string[] => [
  'serve',
  '--frames',
  framesDir,
  '--port',
  '0',
  '--host',
  '127.0.0.1',
];

/** Starts `lancam serve --json …` and waits for its JSON line. */
async function serveJson(
  extraArgs: readonly string[],
  entry: 'source' | 'bundle' = 'source',
): Promise<{ child: ChildProcess; done: Promise<Finished>; info: ServeJson }> {
  const child = lancam([...loopbackServe(), '--json', ...extraArgs], entry);
  const done = finished(child);
  const info = JSON.parse(await firstLine(child)) as ServeJson;
  return { child, done, info };
}

test('serve --json: one JSON line first, the frames stream, SIGTERM exits cleanly', async () => {
  const { child, done, info } = await serveJson([]);
  assert.deepEqual(Object.keys(info), ['url', 'urls', 'port', 'key', 'rtsp', 'sources']);
  assert.deepEqual(info.sources, [
    {
      id: 1,
      name: path.basename(framesDir),
      stream: `http://127.0.0.1:${info.port}/cam/1/stream.mjpg?key=${info.key}`,
    },
  ]);
  assert.equal(info.rtsp, null, 'no H.264 source, no RTSP URL');
  assert.match(info.key ?? '', /^[A-Za-z0-9_-]{22}$/);
  assert.equal(info.url, `http://127.0.0.1:${info.port}/?key=${info.key}`);
  assert.deepEqual(info.urls, [info.url]);

  const base = `http://127.0.0.1:${info.port}`;
  const stream = await openStream(`${base}/stream.mjpg?key=${info.key}`);
  const parts = await stream.waitForParts(8);
  // The folder's frames in name order, looping.
  const order = parts.map((part) => frames.findIndex((frame) => frame.jpeg.equals(part.body)));
  assert.ok(
    order.every((index) => index >= 0),
    'every part is one of the files',
  );
  for (let i = 1; i < order.length; i++)
    assert.equal(order[i], (order[i - 1]! + 1) % frames.length);
  const status = (await (await get(`${base}/status.json?key=${info.key}`)).json()) as {
    frame: { width: number };
  };
  assert.equal(status.frame.width, 320);

  child.kill('SIGTERM');
  const { code } = await done;
  await stream.closed;
  assert.equal(code, 0);
  const probe = net.connect(info.port, '127.0.0.1');
  await new Promise<void>((resolve) =>
    probe.once('error', () => {
      resolve();
    }),
  );
});

test('serve --no-auth prints key null; without --json it prints human text', async () => {
  const { child: json, done: jsonDone, info } = await serveJson(['--no-auth']);
  assert.equal(info.key, null);
  assert.equal(info.url, `http://127.0.0.1:${info.port}/`);
  const snapshot = await get(`${info.url}snapshot.jpg`);
  assert.equal(snapshot.status, 200);
  await snapshot.body?.cancel();
  json.kill('SIGINT');
  assert.equal((await jsonDone).code, 0);

  const human = lancam([...loopbackServe(), '--key', 'k3y-for-test']);
  const humanDone = finished(human);
  assert.match(await firstLine(human), /^LanCam is streaming 5 frame\(s\)/);
  human.kill('SIGTERM');
  const { code, stdout } = await humanDone;
  assert.equal(code, 0);
  assert.match(stdout, /Access key: k3y-for-test/);
});

// base64url keys may start with '-'; written as --key=-… they must reach the server intact.
test('serve --key=-… uses a key that starts with a dash', async () => {
  const { child, done, info } = await serveJson(['--key=-dash-first-key']);
  assert.equal(info.key, '-dash-first-key');
  const status = await get(`http://127.0.0.1:${info.port}/status.json?key=-dash-first-key`);
  assert.equal(status.status, 200);
  await status.body?.cancel();
  child.kill('SIGTERM');
  assert.equal((await done).code, 0);
});

const badArgs: [string, string[], RegExp][] = [
  ['missing --frames', ['serve'], /--frames DIR or --video FILE is required/],
  ['no JPEGs in the folder', ['serve', '--frames', '<empty>'], /no \.jpg files in/],
  [
    'a folder that does not exist',
    ['serve', '--frames', '/nonexistent/lancam'],
    /cannot read frames folder/,
  ],
  [
    'fps out of range',
    ['serve', '--frames', '<frames>', '--fps', '0'],
    /--fps must be a number from 1 to 120/,
  ],
  ['fps not a number', ['serve', '--frames', '<frames>', '--fps', 'fast'], /--fps must be/],
  ['a bad port', ['serve', '--frames', '<frames>', '--port', '99999'], /--port must be an integer/],
  ['an unknown option', ['serve', '--frames', '<frames>', '--colour'], /Unknown option '--colour'/],
  ['no command', ['--frames', '<frames>'], /missing command "serve"/],
  [
    'a dash-first key as a separate argument',
    ['serve', '--frames', '<frames>', '--key', '-abc'],
    /--key is missing its value, or its value starts with "-": write it as --key=VALUE/,
  ],
  [
    'an option where a value belongs',
    ['serve', '--frames', '<frames>', '--key', '--json'],
    /--key is missing its value/,
  ],
  [
    'key with --no-auth',
    ['serve', '--frames', '<frames>', '--key', 'a', '--no-auth'],
    /exclude each other/,
  ],
];

for (const [name, args, message] of badArgs) {
  test(`exit 2 with one line on stderr: ${name}`, async () => {
    const resolved = args.map((arg) =>
      arg === '<empty>' ? emptyDir : arg === '<frames>' ? framesDir : arg,
    );
    const { code, stderr, stdout } = await finished(lancam(resolved));
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, message);
    assert.equal(stderr.trimEnd().split('\n').length, 1, `one line: ${stderr}`);
  });
}

test('an explicit busy port exits non-zero naming the port', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  assert.ok(address && typeof address === 'object');
  try {
    const { code, stderr } = await finished(
      lancam([
        'serve',
        '--frames',
        framesDir,
        '--host',
        '127.0.0.1',
        '--port',
        String(address.port),
      ]),
    );
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`Port ${address.port} is already in use`));
  } finally {
    blocker.close();
  }
});

// `npm test` builds first; run alone, this checks the bundle only if one exists.
test(
  'the bundled CLI finds its assets next to it',
  { skip: !existsSync(bundlePath) && 'out/cli not built' },
  async () => {
    const { child, done, info } = await serveJson([], 'bundle');
    const page = await get(info.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<img id="stream"/);
    const script = await get(`http://127.0.0.1:${info.port}/viewer.js`);
    assert.equal(script.status, 200);
    await script.body?.cancel();
    child.kill('SIGTERM');
    assert.equal((await done).code, 0);
  },
);

test('parseCli defaults', () => {
  const command = parseCli(['serve', '--frames', 'dir']);
  assert.deepEqual(command, {
    kind: 'serve',
    args: {
      frames: [{ dir: 'dir', fps: 30 }],
      videoFile: null,
      rtspPort: undefined,
      fps: 30,
      host: undefined,
      port: undefined,
      key: undefined,
      isAuth: true,
      maxViewers: undefined,
      maxViewersPerAddress: undefined,
      trustedProxies: [],
      allowedHosts: [],
      isJson: false,
    },
  });
  assert.deepEqual(parseCli(['--help']), { kind: 'help' });
});

test('parseCli takes repeated --trusted-proxy and --allow-host, and refuses bad ones as usage errors', () => {
  const command = parseCli([
    ...['serve', '--frames', 'dir', '--max-viewers-per-address', '3'],
    ...['--trusted-proxy', '10.0.0.2', '--trusted-proxy', 'fd00::/8'],
    ...['--allow-host', 'cam.lan', '--allow-host', 'cam.example.org'],
  ]);
  assert.ok(command.kind === 'serve');
  assert.equal(command.args.maxViewersPerAddress, 3);
  assert.deepEqual(command.args.trustedProxies, ['10.0.0.2', 'fd00::/8']);
  assert.deepEqual(command.args.allowedHosts, ['cam.lan', 'cam.example.org']);
  assert.throws(
    () => parseCli(['serve', '--frames', 'dir', '--trusted-proxy', 'proxy.lan']),
    (error: Error) => error.name === 'UsageError' && error.message.includes('proxy.lan'),
  );
  assert.throws(
    () => parseCli(['serve', '--frames', 'dir', '--allow-host', 'a b']),
    (error: Error) => error.name === 'UsageError' && error.message.includes('"a b"'),
  );
});

test('parseCli takes up to four --frames folders, with one --fps for all or one each', () => {
  const one = parseCli(['serve', '--frames', 'a', '--frames', 'b', '--fps', '12']);
  assert.deepEqual(one.kind === 'serve' && one.args.frames, [
    { dir: 'a', fps: 12 },
    { dir: 'b', fps: 12 },
  ]);
  const each = parseCli(['serve', '--frames', 'a', '--fps', '5', '--frames', 'b', '--fps', '25']);
  assert.deepEqual(each.kind === 'serve' && each.args.frames, [
    { dir: 'a', fps: 5 },
    { dir: 'b', fps: 25 },
  ]);
  assert.equal(each.kind === 'serve' && each.args.fps, 5);
  const usage = (args: string[], message: RegExp): void => {
    assert.throws(
      () => parseCli(['serve', ...args]),
      (error: Error) => error.name === 'UsageError' && message.test(error.message),
    );
  };
  usage(
    ['--frames', 'a', '--frames', 'b', '--frames', 'c', '--frames', 'd', '--frames', 'e'],
    /at most 4 --frames folders/,
  );
  usage(
    ['--frames', 'a', '--frames', 'b', '--frames', 'c', '--fps', '5', '--fps', '6'],
    /give --fps once, or once per --frames folder \(3\), not 2 times/,
  );
  usage(['--frames', 'a', '--frames', 'b', '--fps', '5', '--fps', '500'], /--fps must be/);
});

test('serve with two --frames folders: each a source at its own size and rate, named after its folder', async () => {
  const { child, done, info } = await serveJson([
    '--frames',
    wideDir,
    '--fps',
    '10',
    '--fps',
    '20',
  ]);
  try {
    assert.deepEqual(
      info.sources.map(({ id, name }) => ({ id, name })),
      [
        { id: 1, name: path.basename(framesDir) },
        { id: 2, name: 'garden' },
      ],
    );
    assert.equal(
      info.sources[1]?.stream,
      `http://127.0.0.1:${info.port}/cam/2/stream.mjpg?key=${info.key}`,
    );
    const [first, second] = await Promise.all(
      info.sources.map((source) => ffmpegDecode(source.stream, 10)),
    );
    assert.ok(first && second);
    assert.ok(first.frames >= 10 && second.frames >= 10, `${first.stderr}\n${second.stderr}`);
    assert.deepEqual(
      [`${first.width}x${first.height}`, `${second.width}x${second.height}`],
      ['320x240', '640x360'],
    );
    // A source's rate is measured over whole seconds: wait until both have completed one.
    const rates = async (): Promise<{ id: number; sourceFps: number }[]> =>
      (
        (await (await get(`http://127.0.0.1:${info.port}/status.json?key=${info.key}`)).json()) as {
          sources: { id: number; sourceFps: number }[];
        }
      ).sources;
    let sources = await rates();
    for (
      let tries = 0;
      tries < 20 && sources.some((source) => source.sourceFps === 0);
      tries += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      sources = await rates();
    }
    const [one, two] = sources;
    assert.ok(one && two);
    // Each folder at its own rate: generous bounds for a busy machine.
    assert.ok(one.sourceFps > 5 && one.sourceFps <= 12, `source 1 at ${one.sourceFps} fps`);
    assert.ok(two.sourceFps > 12, `source 2 at ${two.sourceFps} fps`);
    // Source 2's parts are the folder's own files.
    const wide = info.sources.find((source) => source.id === 2);
    assert.ok(wide);
    const stream = await openStream(wide.stream);
    const parts = await stream.waitForParts(3);
    stream.close();
    assert.ok(parts.every((part) => wideFrames.some((frame) => frame.jpeg.equals(part.body))));
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal((await done).code, 0);
});

test('human text names each folder’s source when there are several', async () => {
  const human = lancam([...loopbackServe(), '--frames', wideDir, '--no-auth']);
  const humanDone = finished(human);
  assert.match(
    await firstLine(human),
    /^LanCam is streaming 5 frame\(s\) from .* at 30 fps as source 1 \(\/cam\/1\/\)\.$/,
  );
  human.kill('SIGTERM');
  const { code, stdout } = await humanDone;
  assert.equal(code, 0);
  assert.match(stdout, /4 frame\(s\) from .*garden at 30 fps as source 2 \(\/cam\/2\/\)\./);
});

test('parseCli takes a dash-first key written with "="', () => {
  const command = parseCli(['serve', '--frames', 'dir', '--key=-abc']);
  assert.equal(command.kind === 'serve' && command.args.key, '-abc');
});
