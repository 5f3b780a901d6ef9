// `lancam` command-line entry: `lancam serve` streams a folder of JPEGs through the same server the app uses.
import { parseCli, USAGE, type ServeArgs } from './cli-args.ts';
import { loadFrameDir, startFrameLoop, UsageError } from './frame-source.ts';
import { loadVideoFile, startVideoLoop } from './video-source.ts';
import { startBroadcastServer, type Logger } from '../index.ts';

const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`lancam: ${message}\n`),
  warn: (message) => process.stderr.write(`lancam: warning: ${message}\n`),
  error: (message) => process.stderr.write(`lancam: error: ${message}\n`),
};

async function serve(args: ServeArgs): Promise<void> {
  const frames = args.framesDir === null ? [] : await loadFrameDir(args.framesDir);
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
  const stopFrames =
    frames.length > 0
      ? startFrameLoop(frames, args.fps, (jpeg, meta) => server.publish(jpeg, meta))
      : null;
  const stopVideo = clip && startVideoLoop(clip, (chunk) => server.publishVideo(chunk));
  // Without an H.264 source there is nothing to play over RTSP, so no RTSP URL is handed out.
  const rtspUrl = clip ? (server.rtspUrls[0] ?? localRtspUrl(server.rtspPort, server.key)) : null;
  const url = server.urls[0] ?? `http://127.0.0.1:${server.port}/`;
  if (args.isJson) {
    // Scripts read exactly this first line; everything human goes to stderr.
    process.stdout.write(
      `${JSON.stringify({ url, urls: server.urls, port: server.port, key: server.key, rtsp: rtspUrl })}\n`,
    );
  } else {
    const lines = [
      ...(args.framesDir === null
        ? []
        : [
            `LanCam is streaming ${frames.length} frame(s) from ${args.framesDir} at ${args.fps} fps.`,
          ]),
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
    stopFrames?.();
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
