// `lancam` command-line entry: `lancam serve` streams folders of JPEGs (one source each) through the same server
// the app uses.
import path from 'node:path';
import { parseCli, USAGE, type ServeArgs } from './cli-args.ts';
import { loadFrameDir, startFrameLoop, UsageError } from './frame-source.ts';
import { loadVideoFile, startVideoLoop } from './video-source.ts';
import { startBroadcastServer, type BroadcastServer, type Logger } from '../index.ts';

const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`lancam: ${message}\n`),
  warn: (message) => process.stderr.write(`lancam: warning: ${message}\n`),
  error: (message) => process.stderr.write(`lancam: error: ${message}\n`),
};

/** `sources` of the --json line: each source's stream URL, with the key, on the first share host. */
function sourceLines(
  server: BroadcastServer,
  url: string,
): { id: number; name: string; stream: string }[] {
  return server.sources.map((source) => {
    const stream = new URL(source.status().paths.stream, url);
    stream.search = '';
    if (server.key !== null) stream.searchParams.set('key', server.key);
    return { id: source.id, name: source.name, stream: stream.href };
  });
}

async function serve(args: ServeArgs): Promise<void> {
  // Every folder is read (and refused) before the port is taken.
  const folders = await Promise.all(
    args.frames.map(async (folder) => ({ ...folder, frames: await loadFrameDir(folder.dir) })),
  );
  const clip = args.videoFile === null ? null : await loadVideoFile(args.videoFile, args.fps);
  const server = await startBroadcastServer({
    ...(args.rtspPort !== undefined && { rtspPort: args.rtspPort }),
    ...(args.host !== undefined && { host: args.host }),
    ...(args.port !== undefined && { port: args.port }),
    ...(args.key !== undefined && { key: args.key }),
    ...(args.maxViewers !== undefined && { maxViewers: args.maxViewers }),
    ...(args.maxViewersPerAddress !== undefined && {
      maxViewersPerAddress: args.maxViewersPerAddress,
    }),
    trustedProxies: args.trustedProxies,
    allowedHosts: args.allowedHosts,
    auth: args.isAuth,
    logger: stderrLogger,
  });
  // The first folder is source 1 (today's paths); each further one gets the next /cam/N/. Named after the
  // folder, as the page's switcher and the status show it.
  const served = folders.map((folder, index) => {
    const name = path.basename(path.resolve(folder.dir));
    const source = index === 0 ? server.mainSource : server.addSource({ name });
    if (index === 0) source.rename(name);
    const stop = startFrameLoop(folder.frames, folder.fps, (jpeg, meta) =>
      source.publish(jpeg, meta),
    );
    return { ...folder, source, stop };
  });
  const stopVideo = clip && startVideoLoop(clip, (chunk) => server.publishVideo(chunk));
  // Without an H.264 source there is nothing to play over RTSP, so no RTSP URL is handed out.
  const rtspUrl = clip ? (server.rtspUrls[0] ?? localRtspUrl(server.rtspPort, server.key)) : null;
  const url = server.urls[0] ?? `http://127.0.0.1:${server.port}/`;
  if (args.isJson) {
    // Scripts read exactly this first line; everything human goes to stderr.
    process.stdout.write(
      `${JSON.stringify({
        url,
        urls: server.urls,
        port: server.port,
        key: server.key,
        rtsp: rtspUrl,
        sources: sourceLines(server, url),
      })}\n`,
    );
  } else {
    const lines = [
      ...served.map(
        ({ frames, dir, fps, source }) =>
          `LanCam is streaming ${frames.length} frame(s) from ${dir} at ${fps} fps` +
          (served.length > 1 ? ` as source ${source.id} (/cam/${source.id}/).` : '.'),
      ),
      ...(clip && args.videoFile !== null
        ? [
            `LanCam is streaming H.264 from ${args.videoFile} (${clip.units.length} frames, looped).`,
          ]
        : []),
      'Open one of these on a device in your network:',
      ...server.urls.map((shareUrl) => `  ${shareUrl}`),
      ...(clip ? server.rtspUrls.map((shareUrl) => `  ${shareUrl}`) : []),
      server.key === null
        ? 'Open mode: anyone on the network can watch.'
        : `Access key: ${server.key}`,
      'Press Ctrl-C to stop.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  stopServing = async () => {
    for (const { stop } of served) stop();
    stopVideo?.();
    await server.close();
  };
}

/** For a server bound to loopback only (no LAN share URL): the local RTSP address. */
function localRtspUrl(port: number | null, key: string | null): string | null {
  if (port === null) return null;
  const userInfo = key === null ? '' : `viewer:${encodeURIComponent(key)}@`;
  return `rtsp://${userInfo}127.0.0.1:${port}/live`;
}

/** Set once serving; until then a signal simply exits. */
let stopServing: (() => Promise<void>) | null = null;
let isStopping = false;

// Installed before anything is printed: a script that reads the first line and signals at once must not
// catch the process before it can shut down gracefully.
function onSignal(signal: NodeJS.Signals): void {
  if (isStopping || !stopServing) {
    // A second Ctrl-C means "now".
    process.exit(130);
  }
  isStopping = true;
  stderrLogger.info(`${signal}: stopping`);
  void stopServing().then(() => process.exit(0));
}

async function main(argv: readonly string[]): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const command = parseCli(argv);
    if (command.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    await serve(command.args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lancam: ${error.message} (lancam --help shows the usage)\n`);
      process.exit(2);
    }
    // A busy port or a bad host is the user's input too; keep it to one line.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`lancam: ${message}\n`);
    process.exit(1);
  }
}

void main(process.argv.slice(2));
