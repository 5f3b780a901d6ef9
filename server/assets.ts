// Loads the files the server ships (viewer page, key form, placeholder JPEG) from server/assets, once.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Assets {
  readonly placeholderJpeg: Buffer;
  readonly viewerHtml: Buffer;
  readonly viewerCss: Buffer;
  readonly viewerJs: Buffer;
  readonly keyFormHtml: Buffer;
}

// From source this is server/assets; the bundles copy the folder next to their output and esbuild maps
// import.meta.dirname to __dirname for the CommonJS one (build/bundle.mjs).
export const assetsDir = path.join(import.meta.dirname, 'assets');

export async function loadAssets(dir = assetsDir): Promise<Assets> {
  const load = (name: string): Promise<Buffer> => readFile(path.join(dir, name));
  const [placeholderJpeg, viewerHtml, viewerCss, viewerJs, keyFormHtml] = await Promise.all([
    load('placeholder.jpg'),
    load('viewer.html'),
    load('viewer.css'),
    load('viewer.js'),
    load('key-form.html'),
  ]);
  return { placeholderJpeg, viewerHtml, viewerCss, viewerJs, keyFormHtml };
}
