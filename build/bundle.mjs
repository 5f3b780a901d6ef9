// Bundles every target into out/ with esbuild and copies the static files each target needs.
// Usage: node build/bundle.mjs [--only main|preload|renderer|cli] [--watch]
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'out');
const { values: flags } = parseArgs({
  options: { only: { type: 'string' }, watch: { type: 'boolean', default: false } },
});

const common = {
  bundle: true,
  sourcemap: true,
  target: 'es2023',
  logLevel: 'warning',
  absWorkingDir: root,
};

/** @type {Record<string, { options: esbuild.BuildOptions, copy: [string, string][] }>} */
const targets = {
  // Electron main process: CommonJS for Node, dependencies left to node_modules (electron-builder packs them).
  main: {
    options: {
      entryPoints: { index: 'electron/main/index.ts' },
      outdir: 'out/main',
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      // server/assets.ts locates its files with import.meta.dirname, which CommonJS spells __dirname.
      define: { 'import.meta.dirname': '__dirname' },
    },
    copy: [
      ['server/assets', 'out/main/assets'],
      // Window and tray icon at run time (the installers take theirs from build/ directly).
      ['build/icon.png', 'out/main/icon.png'],
    ],
  },
  // Sandboxed preloads cannot require() anything but electron: one self-contained CommonJS file.
  preload: {
    options: {
      entryPoints: { 'control-window': 'electron/preload/control-window.ts' },
      outdir: 'out/preload',
      outExtension: { '.js': '.cjs' },
      platform: 'browser',
      format: 'cjs',
      external: ['electron'],
    },
    copy: [],
  },
  // Renderer pages and their worker: classic scripts (IIFE), so nothing depends on module loading over app://.
  renderer: {
    options: {
      entryPoints: {
        'control-window': 'renderer/control-window.ts',
        'capture-worker': 'renderer/worker/capture-worker.ts',
        'encode-worker': 'renderer/worker/encode-worker.ts',
      },
      outdir: 'out/renderer',
      platform: 'browser',
      format: 'iife',
    },
    copy: [
      ['renderer/control-window.html', 'out/renderer/control-window.html'],
      ['renderer/styles.css', 'out/renderer/styles.css'],
    ],
  },
  // `lancam serve`: the headless CLI over the same server code.
  cli: {
    options: {
      entryPoints: { lancam: 'server/cli/cli.ts' },
      outdir: 'out/cli',
      outExtension: { '.js': '.mjs' },
      platform: 'node',
      format: 'esm',
      packages: 'external',
      banner: { js: '#!/usr/bin/env node' },
    },
    copy: [['server/assets', 'out/cli/assets']],
  },
};

const selected = flags.only ? flags.only.split(',') : Object.keys(targets);
for (const name of selected) if (!(name in targets)) throw new Error(`unknown target "${name}"`);

async function copyStatic(target) {
  for (const [from, to] of target.copy) {
    await mkdir(path.dirname(path.join(root, to)), { recursive: true });
    // tsconfig.json files type-check the sources and *.sh regenerate assets; neither is part of the app.
    const filter = (file) => path.basename(file) !== 'tsconfig.json' && !file.endsWith('.sh');
    await cp(path.join(root, from), path.join(root, to), { recursive: true, filter });
  }
}

if (!flags.only) await rm(out, { recursive: true, force: true });
const started = performance.now();
await Promise.all(
  selected.map(async (name) => {
    const target = targets[name];
    if (flags.watch) {
      const copyPlugin = { name: 'copy', setup: (b) => b.onEnd(() => copyStatic(target)) };
      const ctx = await esbuild.context({ ...common, ...target.options, plugins: [copyPlugin] });
      await ctx.watch();
    } else {
      await esbuild.build({ ...common, ...target.options });
      await copyStatic(target);
    }
  }),
);
if (flags.watch) console.log(`watching ${selected.join(', ')} …`);
else
  console.log(
    `built ${selected.join(', ')} into out/ in ${Math.round(performance.now() - started)} ms`,
  );
