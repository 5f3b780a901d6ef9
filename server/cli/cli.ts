// `lancam` command-line entry: `lancam serve` streams a folder of JPEGs through the same server the app uses.
import { parseCli, USAGE, type ServeArgs } from './cli-args.ts';
import { loadFrameDir, startFrameLoop, UsageError } from './frame-source.ts';
import { startBroadcastServer, type Logger } from '../index.ts';

const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`lancam: ${message}\n`),
  warn: (message) => process.stderr.write(`lancam: warning: ${message}\n`),
  error: (message) => process.stderr.write(`lancam: error: ${message}\n`),
};

async function serve(args: ServeArgs): Promise<void> {
  const frames = await loadFrameDir(args.framesDir);
  const server = await startBroadcastServer({
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
  const stop = startFrameLoop(frames, args.fps, (jpeg, meta) => server.publish(jpeg, meta));
  const url = server.urls[0] ?? `http://127.0.0.1:${server.port}/`;
  if (args.isJson) {
    // Scripts read exactly this first line; everything human goes to stderr.
    process.stdout.write(
      `${JSON.stringify({ url, urls: server.urls, port: server.port, key: server.key })}\n`,
    );
  } else {
    const lines = [
      `LanCam is streaming ${frames.length} frame(s) from ${args.framesDir} at ${args.fps} fps.`,
      'Open one of these on a device in your network:',
      ...server.urls.map((shareUrl) => `  ${shareUrl}`),
      server.key === null
        ? 'Open mode: anyone on the network can watch.'
        : `Access key: ${server.key}`,
      'Press Ctrl-C to stop.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  stopServing = async () => {
    stop();
    await server.close();
  };
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
