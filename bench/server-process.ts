// Starts LanCam's `lancam serve` or the naive baseline as a child process and reads its --json first line.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ServerKind } from './bench-types.ts';

const root = path.resolve(import.meta.dirname, '..');

export const serverEntry: Record<ServerKind, string> = {
  lancam: path.join(root, 'out/cli/lancam.mjs'),
  naive: path.join(root, 'bench/naive-koa-server.mjs'),
};

export interface ServerOptions {
  readonly framesDir: string;
  readonly fps: number;
  readonly key: string;
  readonly maxViewers: number;
}

export interface RunningServer {
  readonly pid: number;
  readonly streamUrl: string;
  readonly statusUrl: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

export async function startServer(
  kind: ServerKind,
  options: ServerOptions,
): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [
      serverEntry[kind],
      'serve',
      ...['--frames', options.framesDir, '--fps', String(options.fps)],
      ...['--host', '127.0.0.1', '--port', '0', '--key', options.key],
      ...['--max-viewers', String(options.maxViewers), '--json'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${kind}: could not spawn ${serverEntry[kind]}`);
  try {
    const line = await firstLine(child);
    const { port } = JSON.parse(line) as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const key = `key=${encodeURIComponent(options.key)}`;
    return {
      pid,
      streamUrl: `${base}/stream.mjpg?${key}`,
      statusUrl: `${base}/status.json?${key}`,
      stop: () => stop(child),
    };
  } catch (error) {
    await stop(child);
    throw new Error(`${kind} server did not start: ${(error as Error).message}\n${stderr}`, {
      cause: error,
    });
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdout = child.stdout;
    if (!stdout) {
      reject(new Error('no stdout'));
      return;
    }
    const timer = setTimeout(() => {
      reject(new Error(`no JSON line within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    let text = '';
    let isDone = false;
    // Stays attached after the first line, so a chatty server never blocks on a full pipe.
    stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (isDone) return;
      text += chunk;
      const end = text.indexOf('\n');
      if (end < 0) return;
      isDone = true;
      clearTimeout(timer);
      resolve(text.slice(0, end));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited early (code ${String(code)}, signal ${String(signal)})`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
