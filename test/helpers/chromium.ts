// Launches Debian's Chromium through playwright-core with the flags this machine needs (root, closed network).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium off the (closed) network and let it run as root in a container. */
export const quietChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumOptions {
  /** Use a fake camera; with a .y4m path it plays that file, else Chromium's built-in pattern. */
  readonly fakeCamera?: boolean | string;
  /** Grant camera permission without a prompt (default true when fakeCamera is set). */
  readonly autoGrantCamera?: boolean;
  readonly extraArgs?: readonly string[];
}

export function hasChromium(): boolean {
  return existsSync(chromiumPath);
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  const args = [...quietChromiumArgs, ...(options.extraArgs ?? [])];
  if (options.fakeCamera) {
    args.push('--use-fake-device-for-media-stream');
    if (options.autoGrantCamera ?? true) args.push('--use-fake-ui-for-media-stream');
    if (typeof options.fakeCamera === 'string') {
      args.push(`--use-file-for-fake-video-capture=${options.fakeCamera}`);
    }
  }
  const launch: LaunchOptions = { executablePath: chromiumPath, headless: true, args };
  return chromium.launch(launch);
}
