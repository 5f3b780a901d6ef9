// Parses and checks `lancam serve` arguments; every problem becomes a one-line UsageError.
import { parseArgs } from 'node:util';
import { MAX_SOURCES } from '../types.ts';
import { parseAddressList } from '../core/client-address.ts';
import { hostNameOf } from '../core/host-check.ts';
import { UsageError } from './frame-source.ts';

export const USAGE =
  'usage: lancam serve (--frames DIR… | --video FILE | both) [--fps 30…] [--host H] [--port P] ' +
  '[--rtsp-port P] [--key K | --no-auth] [--max-viewers N] [--max-viewers-per-address N] ' +
  '[--trusted-proxy ADDR]… [--allow-host NAME]… [--json]';

/** One `--frames` folder: served as one source, at its own rate. */
export interface FramesArg {
  readonly dir: string;
  readonly fps: number;
}

export interface ServeArgs {
  /**
   * The `--frames` folders in order: the first is source 1 (today's paths), the next ones sources 2 … 4 at
   * /cam/N/. Empty when only --video is given.
   */
  readonly frames: readonly FramesArg[];
  /** H.264 MP4 or Annex B file for the RTSP output, or null. */
  readonly videoFile: string | null;
  readonly rtspPort: number | undefined;
  /** The first --fps: the video's rate, and every folder's when given once. */
  readonly fps: number;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly key: string | undefined;
  readonly isAuth: boolean;
  readonly maxViewers: number | undefined;
  readonly maxViewersPerAddress: number | undefined;
  /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  /** Extra host names open mode answers to. */
  readonly allowedHosts: readonly string[];
  readonly isJson: boolean;
}

export type CliCommand =
  { readonly kind: 'help' } | { readonly kind: 'serve'; readonly args: ServeArgs };

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/**
 * One line for a parseArgs error. Its "ambiguous" error (a value after `--key` that starts with '-', or no
 * value before the next option) hides the fix on its third line, so that case says it up front.
 */
function argumentProblem(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const option = /^Option '(--[\w-]+)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    return `${option} is missing its value, or its value starts with "-": write it as ${option}=VALUE`;
  }
  return text.split('\n')[0] ?? 'invalid arguments';
}

function parseFps(text: string): number {
  const fps = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || fps < 1 || fps > 120) {
    throw new UsageError(`--fps must be a number from 1 to 120, got "${text}"`);
  }
  return fps;
}

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        frames: { type: 'string', multiple: true },
        video: { type: 'string' },
        'rtsp-port': { type: 'string' },
        fps: { type: 'string', multiple: true },
        host: { type: 'string' },
        port: { type: 'string' },
        key: { type: 'string' },
        'no-auth': { type: 'boolean' },
        'max-viewers': { type: 'string' },
        'max-viewers-per-address': { type: 'string' },
        'trusted-proxy': { type: 'string', multiple: true },
        'allow-host': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(argumentProblem(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...extra] = positionals;
  if (command !== 'serve') {
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command "serve"');
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`);
  const framesDirs = values.frames ?? [];
  if (framesDirs.length === 0 && !values.video) {
    throw new UsageError('--frames DIR or --video FILE is required');
  }
  if (values['no-auth'] && values.key !== undefined) {
    throw new UsageError('--key and --no-auth exclude each other');
  }
  if (values.key?.length === 0) throw new UsageError('--key must not be empty');
  const trustedProxies = values['trusted-proxy'] ?? [];
  try {
    parseAddressList('--trusted-proxy', trustedProxies);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const allowedHosts = values['allow-host'] ?? [];
  const badHost = allowedHosts.find((name) => hostNameOf(name) === null);
  if (badHost !== undefined) throw new UsageError(`--allow-host: "${badHost}" is not a host name`);
  if (framesDirs.length > MAX_SOURCES) {
    throw new UsageError(`at most ${MAX_SOURCES} --frames folders (one source each)`);
  }
  const rates = (values.fps ?? ['30']).map(parseFps);
  // One --fps for every folder, or one per folder in the same order.
  if (rates.length > 1 && rates.length !== framesDirs.length) {
    throw new UsageError(
      `give --fps once, or once per --frames folder (${framesDirs.length}), not ${rates.length} times`,
    );
  }
  const fps = rates[0] ?? 30;
  return {
    kind: 'serve',
    args: {
      frames: framesDirs.map((dir, index) => ({ dir, fps: rates[index] ?? fps })),
      videoFile: values.video ?? null,
      rtspPort: integer('rtsp-port', values['rtsp-port'], 0, 65535),
      fps,
      host: values.host,
      port: integer('port', values.port, 0, 65535),
      key: values.key,
      isAuth: !values['no-auth'],
      maxViewers: integer('max-viewers', values['max-viewers'], 1, 100_000),
      maxViewersPerAddress: integer(
        'max-viewers-per-address',
        values['max-viewers-per-address'],
        1,
        100_000,
      ),
      trustedProxies,
      allowedHosts,
      isJson: values.json ?? false,
    },
  };
}
