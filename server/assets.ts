// Loads the files the server ships (viewer page and its players, key form, placeholder JPEG) from server/assets, once.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Assets {
  readonly placeholderJpeg: Buffer;
  readonly viewerHtml: Buffer;
  readonly viewerCss: Buffer;
  readonly viewerJs: Buffer;
  /** The source switcher and grid (several sources). */
  readonly viewerSourcesJs: Buffer;
  readonly h264PlayerJs: Buffer;
  readonly msePlayerJs: Buffer;
  /** The key card for a request without a key. */
  readonly keyFormHtml: Buffer;
  /** The same card after a wrong key, with the error inline. */
  readonly wrongKeyFormHtml: Buffer;
  /** The card while the address is locked out. */
  readonly lockedFormHtml: Buffer;
}

/** Fills the key card's notice slot; the messages are ours, never a client's words. */
function keyCard(template: string, notice: string, isInvalid: boolean): Buffer {
  const filled = template.replace(
    '<!--notice-->',
    notice === '' ? '' : `<p id="key-notice" class="notice" role="alert">${notice}</p>`,
  );
  return Buffer.from(
    isInvalid
      ? filled.replace('aria-invalid="false"', 'aria-invalid="true" aria-describedby="key-notice"')
      : filled,
  );
}

// From source this is server/assets; the bundles copy the folder next to their output and esbuild maps
// import.meta.dirname to __dirname for the CommonJS one (build/bundle.mjs).
export const assetsDir = path.join(import.meta.dirname, 'assets');

export async function loadAssets(dir = assetsDir): Promise<Assets> {
  const load = (name: string): Promise<Buffer> => readFile(path.join(dir, name));
  const [
    placeholderJpeg,
    viewerHtml,
    viewerCss,
    viewerJs,
    viewerSourcesJs,
    h264PlayerJs,
    msePlayerJs,
    keyForm,
  ] = await Promise.all([
    load('placeholder.jpg'),
    load('viewer.html'),
    load('viewer.css'),
    load('viewer.js'),
    load('viewer-sources.js'),
    load('h264-player.js'),
    load('mse-player.js'),
    load('key-form.html'),
  ]);
  const template = keyForm.toString('utf8');
  return {
    placeholderJpeg,
    viewerHtml,
    viewerCss,
    viewerJs,
    viewerSourcesJs,
    h264PlayerJs,
    msePlayerJs,
    keyFormHtml: keyCard(template, '', false),
    wrongKeyFormHtml: keyCard(
      template,
      'That key is not right. Check it in LanCam and try again.',
      true,
    ),
    lockedFormHtml: keyCard(
      template,
      'Too many wrong keys from this device. Wait a few minutes, then try again.',
      false,
    ),
  };
}
