// The keyless-flood process: sends N HTTP/1.0 requests without a key, each on its own connection, a bounded number
// at a time, from a few loopback source addresses, and reports how they ended. Loopback only.
import net from 'node:net';
import type { FloodConfig, FloodMessage } from './bench-types.ts';

const REQUEST_TIMEOUT_MS = 10_000;

function send(message: FloodMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) throw new Error('keyless-flood.ts must be started with child_process.fork');
    process.send(message, () => {
      resolve();
    });
  });
}

/** One request; resolves to its HTTP status, or how the connection ended without one. */
function oneRequest(config: FloodConfig, localAddress: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: config.port, localAddress });
    let head = '';
    const timer = setTimeout(() => {
      finish('timeout');
    }, REQUEST_TIMEOUT_MS);
    function finish(outcome: string): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    }
    socket.on('connect', () => {
      socket.write(`GET ${config.path} HTTP/1.0\r\nUser-Agent: lancam-flood\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1', 0, 16);
      const status = /^HTTP\/1\.\d (\d{3})/.exec(head)?.[1];
      // The status line is all this client wants; the server closes an HTTP/1.0 answer itself.
      if (status !== undefined) finish(status);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish(error.code === 'ECONNRESET' ? 'reset' : `error ${error.code ?? '?'}`);
    });
    socket.on('close', () => {
      finish('reset');
    });
  });
}

async function flood(config: FloodConfig): Promise<void> {
  const outcomes: Record<string, number> = {};
  let issued = 0;
  const startMs = performance.now();
  const worker = async (index: number): Promise<void> => {
    const localAddress = config.localAddresses[index % config.localAddresses.length] ?? '127.0.0.1';
    while (issued < config.requests) {
      issued += 1;
      const outcome = await oneRequest(config, localAddress);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, (_, i) => worker(i)));
  await send({ type: 'done', durationMs: performance.now() - startMs, outcomes });
}

process.once('message', (config: FloodConfig) => {
  flood(config)
    .catch((error: unknown) => send({ type: 'failed', message: String(error) }))
    .finally(() => process.exit(0));
});
