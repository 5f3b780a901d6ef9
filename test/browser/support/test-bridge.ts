// The main-process stand-in for browser tests: a real broadcast server driven by the page's window.lancam.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type {
  BroadcastStatus,
  CameraState,
  CaptureFormat,
  ScreenSource,
  Settings,
} from '../../../electron/ipc.ts';
import { mapServerStatus } from '../../../electron/main/broadcast.ts';
import { defaultSettings } from '../../../electron/main/settings-store.ts';
import { checkSettingsPatch, type PatchCheck } from '../../../electron/main/validate.ts';
import { offStatus } from '../../../renderer/initial-status.ts';
import { startBroadcastServer } from '../../../server/index.ts';
import type { BroadcastServer, ServerStatus } from '../../../server/types.ts';
import { installTestBridge } from './bridge-init-script.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

export const rendererDir = path.resolve(import.meta.dirname, '../../../out/renderer');

/** Main's defaults with a fixed, recognisable key (tests check it never shows unmasked). */
export const testSettings: Settings = {
  ...defaultSettings(),
  accessKey: 'test-key-0123456789abcdef',
};

export interface ReceivedFrame {
  /** Node's clock when the message arrived. */
  readonly receivedAtMs: number;
  readonly captureTimeMs: number;
  /** Page clock when sendFrame was called: sent − capture = the worker's draw + encode + hand-off. */
  readonly sentAtMs: number;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export interface BridgeOptions {
  readonly settings?: Partial<Settings>;
  /** Keep received-frame records (tests); the bench turns it on too. Default true. */
  readonly recordFrames?: boolean;
}

export class TestBridge {
  settings: Settings;
  server: BroadcastServer | null = null;
  readonly frames: ReceivedFrame[] = [];
  readonly formats: CaptureFormat[] = [];
  readonly cameraStates: CameraState[] = [];
  readonly copied: string[] = [];
  /** Every patch the page sent through updateSettings, in order. */
  readonly settingsPatches: Partial<Settings>[] = [];
  /** Set to make the next updateSettings fail with this message (what a failed save looks like). */
  refuseNextUpdate: string | null = null;
  previewsOpened = 0;
  /** What listScreenSources answers (main would ask desktopCapturer); Chromium's fake capture serves any. */
  screenSources: ScreenSource[] = [{ id: 'screen:1:0', name: 'Entire screen', kind: 'screen' }];
  /** Every chooseScreenSource id, in order. */
  readonly chosenScreens: string[] = [];
  #page: Page | null = null;
  #static: StaticServer | null = null;
  #unsubscribe: (() => void) | null = null;
  #cameraEnded = false;

  constructor(options: BridgeOptions = {}) {
    this.settings = { ...testSettings, ...options.settings };
  }

  /** The server's own 127.0.0.1 URL for a path, with the key. */
  url(pathname: string): string {
    if (!this.server) throw new Error('not broadcasting');
    const url = new URL(pathname, `http://127.0.0.1:${this.server.port}`);
    if (this.server.key) url.searchParams.set('key', this.server.key);
    return url.toString();
  }

  /** Serves out/renderer, injects the bridge into a new page of `browser` and opens the control window. */
  async open(browser: Browser, context?: BrowserContext): Promise<Page> {
    this.#static = await startStaticServer(rendererDir, (header, payload) => {
      this.#onMessage(header, payload);
    });
    const page = await (context ?? browser).newPage({ viewport: { width: 1100, height: 820 } });
    this.#page = page;
    await page.exposeBinding('__lancamInvoke', (_source, method: string, arg: unknown) =>
      this.#invoke(method, arg),
    );
    // tsx compiles with keepNames, which wraps inner functions in __name(); the page needs that helper too.
    await page.addInitScript({
      content: `var __name = (target) => target;\n(${installTestBridge.toString()})();`,
    });
    await page.goto(`${this.#static.origin}/broadcaster.html`);
    return page;
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    await this.server?.close();
    this.server = null;
    await this.#page?.close().catch(() => undefined);
    await this.#static?.close();
  }

  status(): BroadcastStatus {
    const server = this.server;
    if (!server) return offStatus;
    return mapStatus(server, server.status(), this.#cameraEnded);
  }

  #onMessage(header: Record<string, unknown>, payload: Buffer): void {
    switch (header.type) {
      case 'frame': {
        const meta = {
          captureTimeMs: Number(header.captureTimeMs),
          width: Number(header.width),
          height: Number(header.height),
        };
        this.frames.push({
          ...meta,
          receivedAtMs: Date.now(),
          sentAtMs: Number(header.sentAtMs),
          bytes: payload.length,
        });
        this.server?.publish(payload, meta);
        break;
      }
      case 'format':
        this.formats.push(header.format as CaptureFormat);
        this.server?.reconnectViewers();
        break;
      case 'camera-state': {
        const state = header.state as CameraState;
        this.cameraStates.push(state);
        this.#cameraEnded = state.kind !== 'running';
        if (state.kind === 'running') this.server?.resume();
        else this.server?.pause();
        this.#push();
        break;
      }
      default:
        throw new Error(`unknown bridge message ${JSON.stringify(header)}`);
    }
  }

  async #invoke(method: string, arg: unknown): Promise<unknown> {
    switch (method) {
      case 'start':
        await this.#startServer();
        return { ok: true, value: this.status() };
      case 'stop':
        await this.#stopServer();
        return { ok: true, value: this.status() };
      case 'getStatus':
        return this.status();
      case 'getSettings':
        return this.settings;
      case 'updateSettings': {
        this.settingsPatches.push(arg as Partial<Settings>);
        const refusal = this.refuseNextUpdate;
        this.refuseNextUpdate = null;
        // Main's own guard, so a value the page should never send fails here as it would in the app.
        const checked: PatchCheck =
          refusal === null ? checkSettingsPatch(arg) : { ok: false, message: refusal };
        if (!checked.ok) return { ok: false, code: 'invalid-argument', message: checked.message };
        const previous = this.settings;
        this.settings = { ...previous, ...checked.patch };
        // As main does: a running server restarts when something it was started with changed.
        const affectsServer =
          previous.port !== this.settings.port ||
          previous.accessKey !== this.settings.accessKey ||
          previous.openMode !== this.settings.openMode;
        if (affectsServer && this.server) {
          await this.#stopServer();
          await this.#startServer();
          this.#push();
        }
        return { ok: true, value: this.settings };
      }
      case 'regenerateKey':
        this.settings = { ...this.settings, accessKey: `k${Date.now().toString(36)}x0123456789` };
        return { ok: true, value: this.settings };
      case 'openPreview':
        this.previewsOpened += 1;
        return { ok: true, value: null };
      case 'openExternal':
        return { ok: true, value: null };
      case 'copyText':
        this.copied.push(String(arg));
        return { ok: true, value: null };
      case 'listScreenSources':
        return { ok: true, value: this.screenSources };
      case 'chooseScreenSource': {
        const id = String(arg);
        this.chosenScreens.push(id);
        return this.screenSources.some((s) => s.id === id)
          ? { ok: true, value: null }
          : { ok: false, code: 'invalid-argument', message: `${id} is gone` };
      }
      default:
        throw new Error(`unknown method ${method}`);
    }
  }

  /** Always port 0 on loopback: a test's fixed port must not collide with anything else running. */
  async #startServer(): Promise<void> {
    if (this.server) return;
    this.server = await startBroadcastServer({
      host: '127.0.0.1',
      port: 0,
      auth: !this.settings.openMode,
      key: this.settings.accessKey,
    });
    this.#unsubscribe = this.server.onStatus(() => {
      this.#push();
    });
  }

  async #stopServer(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.server?.close();
    this.server = null;
  }

  #push(): void {
    const status = this.status();
    this.#page
      ?.evaluate((s) => {
        const push = (window as unknown as { __lancamPushStatus?: (s: unknown) => void })
          .__lancamPushStatus;
        push?.(s);
      }, status)
      .catch(() => undefined);
  }
}

/** The same mapping main's broadcast.ts does: server status → the contract's BroadcastStatus. */
function mapStatus(
  server: BroadcastServer,
  status: ServerStatus,
  isCameraEnded: boolean,
): BroadcastStatus {
  // The container has no LAN interface worth sharing: fall back to loopback so the panel has a URL.
  const loopback = new URL(`http://127.0.0.1:${server.port}/`);
  if (server.key) loopback.searchParams.set('key', server.key);
  const urls = server.urls.length > 0 ? server.urls : [loopback.toString()];
  // Main's own mapping, so the page sees exactly what the app would show.
  return mapServerStatus({ urls, port: server.port, key: server.key }, status, {
    cameraPaused: isCameraEnded,
    rejectedFrames: 0,
    warning: null,
  });
}
