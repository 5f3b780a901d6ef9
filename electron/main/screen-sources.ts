// Screens and windows as a source: lists them for the picker, remembers the one the control window chose, and
// answers getDisplayMedia() with it (session.setDisplayMediaRequestHandler) for our control window only.
import type { Result, ScreenSource } from '../ipc.ts';
import { appOrigin, originOf } from './url-guards.ts';

/** The fields of Electron's DesktopCapturerSource this module reads. */
export interface DesktopSourceLike {
  readonly id: string;
  readonly name: string;
}

/** The fields of Electron's WebFrameMain a request check reads. */
export interface RequestFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The fields of Electron's display-media request this module reads. */
export interface DisplayMediaRequestLike {
  readonly frame: RequestFrameLike | null;
  readonly videoRequested: boolean;
}

export interface ScreenSourcesOptions {
  /** desktopCapturer.getSources with thumbnails off (listing is then cheap). */
  readonly getSources: () => Promise<readonly DesktopSourceLike[]>;
  /** True for the control window's main frame (compared by identity by the caller). */
  readonly isControlFrame: (frame: RequestFrameLike) => boolean;
  readonly trustedOrigin?: string;
  readonly log: (message: string) => void;
}

export interface ScreenSources {
  list(): Promise<Result<ScreenSource[]>>;
  choose(id: unknown): Result<null>;
  /** For session.setDisplayMediaRequestHandler; `grant({})` denies. */
  handleRequest(
    request: DisplayMediaRequestLike,
    grant: (streams: { video?: DesktopSourceLike }) => void,
  ): void;
}

const sourceIdPattern = /^(screen|window):[\w:-]{1,200}$/;

export function isScreenSourceId(value: unknown): value is string {
  return typeof value === 'string' && sourceIdPattern.test(value);
}

export function toScreenSource(source: DesktopSourceLike): ScreenSource | null {
  if (!isScreenSourceId(source.id)) return null;
  const kind = source.id.startsWith('screen:') ? 'screen' : 'window';
  return { id: source.id, name: source.name || (kind === 'screen' ? 'Screen' : 'Window'), kind };
}

/** Why a getDisplayMedia request is refused, or null when it is our control window's top frame. */
export function requestProblem(
  request: DisplayMediaRequestLike,
  options: Pick<ScreenSourcesOptions, 'isControlFrame'>,
  trustedOrigin = appOrigin,
): string | null {
  const frame = request.frame;
  if (!frame) return 'the asking frame is gone';
  if (frame.parent !== null) return 'not the top frame';
  if (originOf(frame.url) !== trustedOrigin) return `origin of ${frame.url}`;
  if (!options.isControlFrame(frame)) return 'not the control window';
  if (!request.videoRequested) return 'no video requested';
  return null;
}

export function createScreenSources(options: ScreenSourcesOptions): ScreenSources {
  const trustedOrigin = options.trustedOrigin ?? appOrigin;
  // Sticky: reopening the source (new resolution, resume) asks getDisplayMedia again for the same one.
  let chosenId: string | null = null;

  const deny = (grant: (streams: object) => void, reason: string): void => {
    options.log(`screen capture denied: ${reason}`);
    grant({});
  };

  return {
    async list() {
      try {
        const sources = await options.getSources();
        return {
          ok: true,
          value: sources.map(toScreenSource).filter((s): s is ScreenSource => s !== null),
        };
      } catch (error) {
        return {
          ok: false,
          code: 'internal',
          message: `Could not list screens: ${String(error)}`,
        };
      }
    },
    choose(id) {
      if (!isScreenSourceId(id)) {
        return { ok: false, code: 'invalid-argument', message: 'not a screen or window id' };
      }
      chosenId = id;
      return { ok: true, value: null };
    },
    handleRequest(request, grant) {
      const problem = requestProblem(request, options, trustedOrigin);
      if (problem !== null) {
        deny(grant, problem);
        return;
      }
      const wanted = chosenId;
      if (wanted === null) {
        deny(grant, 'no screen or window was chosen');
        return;
      }
      options.getSources().then(
        (sources) => {
          const source = sources.find((s) => s.id === wanted);
          if (source) grant({ video: { id: source.id, name: source.name } });
          else deny(grant, `${wanted} is gone (window closed or screen unplugged)`);
        },
        (error: unknown) => {
          deny(grant, `listing failed: ${String(error)}`);
        },
      );
    },
  };
}
