// The benchmark's deliberately naive MJPEG server: what LanCam must beat. Never copy this pattern.
// One PassThrough per response, every frame written to every viewer, write()'s return value ignored, so a
// slow or stalled viewer queues frames in user space without bound (see ../shared/style.md A6 "Avoid").
// Same command line and --json first line as `lancam serve`, so the bench drives both the same way.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import Koa from 'koa';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== 'serve'),
  options: {
    frames: { type: 'string' },
    fps: { type: 'string', default: '30' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    key: { type: 'string' },
    'no-auth': { type: 'boolean', default: false },
    'max-viewers': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!args.frames) throw new Error('--frames DIR is required');
const files = (await readdir(args.frames)).filter((name) => name.endsWith('.jpg')).sort();
const frames = await Promise.all(files.map((name) => readFile(path.join(args.frames, name))));
const key = args['no-auth'] ? null : (args.key ?? null);
const boundary = 'naiveboundary0123456789';
/** @type {Set<PassThrough>} */
const viewers = new Set();

const app = new Koa();
// Viewers leaving mid-stream are routine, not errors worth a stack trace.
app.on('error', () => undefined);
app.use((ctx) => {
  if (key !== null && ctx.query.key !== key) {
    ctx.status = 401;
    return;
  }
  if (ctx.path === '/status.json') {
    ctx.body = { viewerCount: viewers.size };
    return;
  }
  if (ctx.path !== '/stream.mjpg') {
    ctx.status = 404;
    return;
  }
  const body = new PassThrough();
  viewers.add(body);
  ctx.req.on('close', () => viewers.delete(body));
  ctx.set('Content-Type', `multipart/x-mixed-replace; boundary=${boundary}`);
  ctx.set('Cache-Control', 'no-cache');
  ctx.body = body;
});

let index = 0;
setInterval(
  () => {
    // A fresh buffer per frame, as a camera delivers, so queued frames cost memory as they would live.
    const jpeg = Buffer.from(frames[index++ % frames.length] ?? Buffer.alloc(0));
    const timestamp = ((performance.timeOrigin + performance.now()) / 1000).toFixed(6);
    for (const viewer of viewers) {
      viewer.write(
        `--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n` +
          `X-Timestamp: ${timestamp}\r\n\r\n`,
      );
      viewer.write(jpeg);
      viewer.write('\r\n');
    }
  },
  1000 / Number(args.fps),
);

const server = app.listen(Number(args.port), args.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${args.host}:${port}/${key === null ? '' : `?key=${key}`}`;
  const line = JSON.stringify({ url, urls: [url], port, key });
  process.stdout.write(args.json ? `${line}\n` : `Naive server on ${url}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
