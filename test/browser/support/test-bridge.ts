// Browser tests' control window: the real preload bundle in Chromium, wired to the real main process
// (registerIpcHandlers + createBroadcast + settings store) with sends carried over a same-origin WebSocket.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  Channels,
  type BroadcastStatus,
  type CameraState,
  type Result,
  type ScreenSource,
  type Settings,
} from '../../../electron/ipc.ts';
import { isScreenSourceId } from '../../../electron/main/screen-sources.ts';
import type { SettingsStore } from '../../../electron/main/settings-store.ts';
import { startMainProcess, type MainProcess } from '../../helpers/main-process.ts';
import {
  bindingNames,
  emitToPage,
  fromSocket,
  preloadInitScript,
} from '../../helpers/preload-stand-in.ts';
import { freePort } from '../../helpers/ports.ts';
import {
  BRIDGE_SOCKET_PATH,
  startStaticServer,
  type StaticServer,
} from '../../helpers/static-server.ts';
import { installTestHooks } from './test-hooks.ts';

const root = path.resolve(import.meta.dirname, '../../..');
export const rendererDir = path.join(root, 'out/renderer');
const preloadFile = path.join(root, 'out/preload/control-window.cjs');

/** A fixed, recognisable key (tests check it never shows unmasked). */
export const testKey = 'test-key-0123456789abcdef';

export interface ReceivedFrame {
  /** Node's clock when the message arrived. */
  readonly receivedAtMs: number;
  readonly captureTimeMs: number;
  /** Page clock when sendFrame was called: sent − capture = the worker's draw + encode + hand-off. */
  readonly sentAtMs: number;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /** The source the page said the frame is of (1 … 4). */
  readonly sourceId: number;
}

export interface ReceivedVideoChunk {
  readonly receivedAtMs: number;
  readonly isKey: boolean;
  readonly timestampUs: number;
  readonly bytes: number;
}

export interface BridgeOptions {
  readonly settings?: Partial<Settings>;
}

export class TestBridge {
  readonly frames: ReceivedFrame[] = [];
  /** H.264 access units the page sent (before main's gate). */
  readonly videoChunks: ReceivedVideoChunk[] = [];
  /** Keyframe requests main pushed to the page. */
  keyframeRequests = 0;
  readonly cameraStates: CameraState[] = [];
  readonly copied: string[] = [];
  /** Every patch the page sent through updateSettings, in order. */
  readonly settingsPatches: Partial<Settings>[] = [];
  /** Set to make the next save fail with this message, as a read-only settings file would. */
  refuseNextUpdate: string | null = null;
  previewsOpened = 0;
  /** What listScreenSources answers (desktopCapturer's part); Chromium's fake capture serves any of them. */
  screenSources: ScreenSource[] = [{ id: 'screen:1:0', name: 'Entire screen', kind: 'screen' }];
  /** Every chooseScreenSource id, in order. */
  readonly chosenScreens: string[] = [];
  readonly #initial: Partial<Settings>;
  #main: MainProcess | null = null;
  #page: Page | null = null;
  #static: StaticServer | null = null;
  // Pushes reach the page in order, as webContents.send does.
  #pushes: Promise<void> = Promise.resolve();

  constructor(options: BridgeOptions = {}) {
    this.#initial = { accessKey: testKey, ...options.settings };
  }

  get main(): MainProcess {
    if (!this.#main) throw new Error('open() first');
    return this.#main;
  }

  /** The settings main holds (what the page saved through the bridge). */
  get settings(): Settings {
    return this.main.settings.get();
  }

  get isLive(): boolean {
    return this.main.broadcast.isLive;
  }

  /** The server's own 127.0.0.1 URL for a path, with the key. */
  url(pathname: string): string {
    const { port, key } = this.main.broadcast.status();
    if (port === null) throw new Error('not broadcasting');
    const url = new URL(pathname, `http://127.0.0.1:${port}`);
    if (key) url.searchParams.set('key', key);
    return url.toString();
  }

  /** Serves out/renderer, starts main, injects the preload into a new page and opens the control window. */
  async open(browser: Browser, context?: BrowserContext): Promise<Page> {
    this.#static = await startStaticServer(rendererDir, (header, payload) => {
      this.#onSend(header, payload);
    });
    this.#main = await startMainProcess({
      // A free port of our own: 8080 may be taken by anything else on the machine.
      settings: { port: await freePort(), ...this.#initial },
      trustedOrigin: this.#static.origin,
      onStatus: (status) => {
        this.#push(status);
      },
      onKeyframeRequest: () => {
        this.keyframeRequests += 1;
        this.#pushKeyframeRequest();
      },
      openPreview: () => {
        this.previewsOpened += 1;
        return Promise.resolve({ ok: true, value: null });
      },
      copyText: (text) => this.copied.push(text),
      screenSources: {
        list: () => Promise.resolve({ ok: true, value: this.screenSources }),
        choose: (id) => this.#chooseScreen(id),
      },
      wrapStore: (store) => this.#refusable(store),
    });
    const page = await (context ?? browser).newPage({ viewport: { width: 1100, height: 820 } });
    this.#page = page;
    const main = this.#main;
    await page.exposeBinding(bindingNames.invoke, (source, channel: string, args: unknown[]) => {
      if (channel === Channels.updateSettings)
        this.settingsPatches.push(args[0] as Partial<Settings>);
      return main.ipcMain.invoke(
        main.eventFrom(source.frame.url(), source.page === page, source.frame.parentFrame()),
        channel,
        ...args,
      );
    });
    // tsx compiles with keepNames, which wraps inner functions in __name(); the page needs that helper too.
    await page.addInitScript({
      content: `var __name = (target) => target;\n(${installTestHooks.toString()})();`,
    });
    const preloadSource = await readFile(preloadFile, 'utf8');
    await page.addInitScript(
      preloadInitScript(preloadSource, { sendSocketPath: BRIDGE_SOCKET_PATH }),
    );
    await page.goto(`${this.#static.origin}/control-window.html`);
    return page;
  }

  async close(): Promise<void> {
    await this.#main?.close();
    await this.#page?.close().catch(() => undefined);
    await this.#static?.close();
  }

  /** A send from the page's preload: recorded for the tests, then delivered to main's real handlers. */
  #onSend(header: Record<string, unknown>, payload: Buffer): void {
    const page = this.#page;
    const main = this.#main;
    if (!page || !main) return;
    const { channel, args, sentAtMs } = fromSocket(header, payload);
    if (channel === Channels.frame) {
      const meta = args[1] as { captureTimeMs: number; width: number; height: number };
      this.frames.push({
        captureTimeMs: meta.captureTimeMs,
        width: meta.width,
        height: meta.height,
        receivedAtMs: Date.now(),
        sentAtMs,
        bytes: payload.length,
        sourceId: Number(args[2]),
      });
    }
    if (channel === Channels.videoChunk) {
      const meta = args[1] as { isKey: boolean; timestampUs: number };
      this.videoChunks.push({
        isKey: meta.isKey,
        timestampUs: meta.timestampUs,
        receivedAtMs: Date.now(),
        bytes: payload.length,
      });
    }
    if (channel === Channels.cameraState) this.cameraStates.push(args[0] as CameraState);
    main.ipcMain.send(main.eventFrom(page.mainFrame().url(), true), channel, ...args);
  }

  #pushKeyframeRequest(): void {
    const page = this.#page;
    if (!page) return;
    this.#pushes = this.#pushes
      .then(() => emitToPage(page, Channels.keyframeRequest))
      .catch(() => undefined);
  }

  #push(status: BroadcastStatus): void {
    const page = this.#page;
    if (!page) return;
    this.#pushes = this.#pushes
      .then(() => emitToPage(page, Channels.status, status))
      .catch(() => undefined);
  }

  /**
   * Main's id check, then what main's display-media handler finds out later in the app: a source that has
   * gone since it was listed is refused (here already at choose, as Chromium's fake capture serves anything).
   */
  #chooseScreen(id: unknown): Result<null> {
    if (!isScreenSourceId(id)) {
      return { ok: false, code: 'invalid-argument', message: 'not a screen or window id' };
    }
    this.chosenScreens.push(id);
    return this.screenSources.some((s) => s.id === id)
      ? { ok: true, value: null }
      : { ok: false, code: 'invalid-argument', message: `${id} is gone` };
  }

  #refusable(store: SettingsStore): SettingsStore {
    return {
      filePath: store.filePath,
      get: () => store.get(),
      update: (patch) => {
        const refusal = this.refuseNextUpdate;
        this.refuseNextUpdate = null;
        return refusal === null ? store.update(patch) : Promise.reject(new Error(refusal));
      },
    };
  }
}
