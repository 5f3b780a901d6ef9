// `npm start`'s launcher (build/launch.mjs) on a machine without the Electron binary: a clear message, no stack.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');

function hasElectronBinary(): boolean {
  try {
    const binary: unknown = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary);
  } catch {
    return false;
  }
}

const skip = hasElectronBinary() && 'an Electron binary is installed here';

/** Runs the launcher the way `npm start` does, with `extraEnv` on top of this process's environment. */
function launch(extraEnv: NodeJS.ProcessEnv = {}): { status: number | null; stderr: string } {
  return spawnSync(process.execPath, ['build/launch.mjs'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ...extraEnv },
  });
}

describe('build/launch.mjs', () => {
  it('explains the missing runtime and how to get it', { skip }, () => {
    const run = launch();
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Electron runtime is not installed/);
    assert.match(run.stderr, /npm install/);
    assert.match(run.stderr, /ELECTRON_OVERRIDE_DIST_PATH/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('names a wrong ELECTRON_OVERRIDE_DIST_PATH', { skip }, () => {
    const run = launch({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /\/nonexistent\/electron-dist/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});
