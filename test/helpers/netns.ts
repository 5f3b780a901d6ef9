// Two network namespaces joined by a veth pair, the server → viewer direction shaped with tc tbf: a real slow
// link on one machine. Only names and 10.213.x.x addresses made here are used, and they are removed on every exit.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ShapedLink {
  readonly serverNs: string;
  readonly viewerNs: string;
  readonly serverAddress: string;
  readonly viewerAddress: string;
  /** Shapes the server → viewer direction (tbf: this kernel has no netem). */
  setRate(rateKbit: number): void;
  /** Bytes the server's end has sent over the link so far (Ethernet frames: payload plus all headers). */
  sentBytes(): number;
  /** An executable that runs Chromium inside the viewer namespace (Playwright talks to it over a pipe). */
  readonly chromiumWrapper: string;
  close(): void;
}

const live = new Set<ShapedLink>();
let isExitHookInstalled = false;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Why namespaces cannot be made here, or null when they can. */
export function namespacesUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  for (const tool of ['ip', 'tc']) {
    if (spawnSync(tool, ['-V']).error) return `${tool} (iproute2) is not installed`;
  }
  const probe = `lc-probe-${randomInt(1e6)}`;
  const result = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (result.status !== 0) return `ip netns add failed: ${result.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

export function createShapedLink(chromiumPath = '/usr/bin/chromium'): ShapedLink {
  const tag = randomInt(1e5).toString(36);
  const subnet = randomInt(256);
  const serverNs = `lc-srv-${tag}`;
  const viewerNs = `lc-view-${tag}`;
  const serverIf = `lcs${tag}`;
  const viewerIf = `lcv${tag}`;
  const serverAddress = `10.213.${subnet}.1`;
  const viewerAddress = `10.213.${subnet}.2`;
  const dir = mkdtempSync(path.join(tmpdir(), 'lancam-link-'));
  let isClosed = false;
  const link: ShapedLink = {
    serverNs,
    viewerNs,
    serverAddress,
    viewerAddress,
    chromiumWrapper: path.join(dir, 'chromium-in-viewer-ns'),
    setRate(rateKbit) {
      // burst: a few packets; latency bounds the qdisc's own queue, as a Wi-Fi AP's would be.
      spawnSync('tc', ['-n', serverNs, 'qdisc', 'del', 'dev', serverIf, 'root']);
      execFileSync('tc', [
        ...['-n', serverNs, 'qdisc', 'add', 'dev', serverIf, 'root', 'tbf'],
        ...['rate', `${rateKbit}kbit`, 'burst', '32kbit', 'latency', '400ms'],
      ]);
    },
    sentBytes() {
      const json = execFileSync(
        'ip',
        ['-n', serverNs, '-j', '-s', 'link', 'show', 'dev', serverIf],
        {
          encoding: 'utf8',
        },
      );
      const [entry] = JSON.parse(json) as { stats64?: { tx?: { bytes?: number } } }[];
      const bytes = entry?.stats64?.tx?.bytes;
      if (typeof bytes !== 'number') throw new Error(`no byte count for ${serverIf}`);
      return bytes;
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      live.delete(link);
      // Deleting a namespace deletes its end of the veth pair, and with it the other end.
      spawnSync('ip', ['netns', 'del', serverNs]);
      spawnSync('ip', ['netns', 'del', viewerNs]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(link);
  if (!isExitHookInstalled) {
    isExitHookInstalled = true;
    process.once('exit', () => {
      for (const each of [...live]) each.close();
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        for (const each of [...live]) each.close();
        process.exit(130);
      });
    }
  }
  try {
    ip('netns', 'add', serverNs);
    ip('netns', 'add', viewerNs);
    ip('link', 'add', serverIf, 'type', 'veth', 'peer', 'name', viewerIf);
    ip('link', 'set', serverIf, 'netns', serverNs);
    ip('link', 'set', viewerIf, 'netns', viewerNs);
    ip('-n', serverNs, 'addr', 'add', `${serverAddress}/30`, 'dev', serverIf);
    ip('-n', viewerNs, 'addr', 'add', `${viewerAddress}/30`, 'dev', viewerIf);
    for (const [ns, dev] of [
      [serverNs, serverIf],
      [viewerNs, viewerIf],
      [serverNs, 'lo'],
      [viewerNs, 'lo'],
    ] as const) {
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
    writeFileSync(
      link.chromiumWrapper,
      `#!/bin/sh\nexec ip netns exec ${viewerNs} ${chromiumPath} "$@"\n`,
    );
    chmodSync(link.chromiumWrapper, 0o755);
  } catch (error) {
    link.close();
    throw error;
  }
  return link;
}
