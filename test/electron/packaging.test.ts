// electron-builder.yml and build/ resources, checked with electron-builder's own loader and schema (no download).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(path.join(root, 'package.json'));

interface BuilderConfig {
  readonly electronFuses?: Record<string, boolean>;
  readonly mac?: {
    readonly hardenedRuntime?: boolean;
    readonly entitlements?: string;
    readonly extendInfo?: Record<string, unknown>;
  };
  readonly files?: readonly string[];
}
interface ConfigModule {
  getConfig(
    projectDir: string,
    configPath: null,
    fromOptions: null,
    packageMetadata: { value: Promise<unknown> },
  ): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
}
interface Scheme {
  readonly definitions: {
    readonly FuseOptionsV1: { readonly properties: Record<string, unknown> };
  };
}

// app-builder-lib is what `electron-builder` runs; its loader and validator need no network.
const builder = require('app-builder-lib/out/util/config/config.js') as ConfigModule;
const { DebugLogger, log } = require('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
  log: { stream: NodeJS.WritableStream };
};
// electron-builder logs to process.stdout, which carries node:test's own results from this process.
log.stream = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

async function loadConfig(): Promise<BuilderConfig> {
  const packageJson = JSON.parse(
    await readFile(path.join(root, 'package.json'), 'utf8'),
  ) as unknown;
  return builder.getConfig(root, null, null, { value: Promise.resolve(packageJson) });
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema validation', async () => {
    const config = await loadConfig();
    await builder.validateConfiguration(config, new DebugLogger(false));
  });

  it('states every fuse explicitly, with the hardening ones set', async () => {
    const { electronFuses = {} } = await loadConfig();
    const scheme = JSON.parse(
      await readFile(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
    ) as Scheme;
    assert.deepEqual(
      Object.keys(electronFuses).sort(),
      Object.keys(scheme.definitions.FuseOptionsV1.properties).sort(),
    );
    assert.equal(electronFuses.runAsNode, false);
    assert.equal(electronFuses.enableNodeOptionsEnvironmentVariable, false);
    assert.equal(electronFuses.enableNodeCliInspectArguments, false);
    assert.equal(electronFuses.onlyLoadAppFromAsar, true);
    assert.equal(electronFuses.enableEmbeddedAsarIntegrityValidation, true);
    assert.equal(electronFuses.grantFileProtocolExtraPrivileges, false);
  });

  it('macOS: hardened runtime, camera entitlement and usage string', async () => {
    const { mac } = await loadConfig();
    assert.ok(mac?.entitlements);
    assert.equal(mac.hardenedRuntime, true);
    assert.match(String(mac.extendInfo?.NSCameraUsageDescription), /camera/);
    const plist = await readFile(path.join(root, mac.entitlements), 'utf8');
    assert.match(plist, /<key>com\.apple\.security\.device\.camera<\/key>\s*<true\/>/);
  });
});

describe('icons', () => {
  it('PNG, ICO and ICNS exist and carry PNG renditions of the same source', async () => {
    const png = await readFile(path.join(root, 'build/icon.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 1024, 'width');
    const ico = await readFile(path.join(root, 'build/icon.ico'));
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1]);
    assert.ok(ico.readUInt16LE(4) >= 5, 'several sizes');
    assert.ok(ico.includes(Buffer.from('IHDR')));
    const icns = await readFile(path.join(root, 'build/icon.icns'));
    assert.equal(icns.subarray(0, 4).toString('latin1'), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
    assert.ok(icns.includes(Buffer.from('ic10')), 'the 1024 px rendition');
  });
});
