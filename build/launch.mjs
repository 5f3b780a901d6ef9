// `npm start` after the bundle: runs Electron on out/, or explains in plain words why it cannot.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;

/** The Electron executable the npm package points at, or null when the binary was never downloaded. */
function electronBinary() {
  try {
    // The package's index.js returns the executable path, and throws when its download step never ran.
    const binary = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary === null) {
  const lines = [
    '',
    'LanCam cannot start: the Electron runtime is not installed on this machine.',
    '',
    override
      ? `  ELECTRON_OVERRIDE_DIST_PATH is set to "${override}", but no Electron executable was found there.`
      : '  The "electron" npm package is present (its types are used for building), but its binary was',
    override
      ? '  It must be the folder of an unpacked Electron release (the one holding the electron executable).'
      : '  never downloaded: installs made with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or without internet skip it.',
    '',
    'To get it, do one of these, then run `npm start` again:',
    '  1. With internet access, run `node node_modules/electron/install.js` (downloads the binary into',
    '     node_modules/electron/dist), or delete node_modules and run a normal `npm install`.',
    '  2. Unpack an Electron release for this OS (same major as package.json) and set',
    '     ELECTRON_OVERRIDE_DIST_PATH=/path/to/that/folder',
    '',
    'Without Electron you can still run the tests (`npm test`) and the headless server (`npm run serve`).',
    '',
  ];
  console.error(lines.join('\n'));
  process.exit(1);
}

const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
