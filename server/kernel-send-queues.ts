// How many bytes each TCP connection still has queued in the kernel (unsent + unacknowledged), read from Linux's
// /proc/net/tcp{,6}. Node cannot cap SO_SNDBUF, and Linux grows a slow viewer's send buffer to megabytes, which
// would hold seconds of old frames no matter how well user space drops frames; this lets viewers see that queue.
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';

/** Queued bytes per connection, keyed by connectionKey(). */
export type SendQueueTable = ReadonlyMap<string, number>;

/** The key of one connection as /proc/net/tcp spells it: local port, remote address and remote port, in hex. */
export function connectionKey(
  localPort: number,
  remoteAddress: string,
  remotePort: number,
): string | null {
  const address = procAddressHex(remoteAddress);
  return address === null ? null : `${portHex(localPort)}|${address}:${portHex(remotePort)}`;
}

/** Parses the text of /proc/net/tcp or /proc/net/tcp6 into queued bytes per connection. */
export function parseProcNetTcp(
  text: string,
  into = new Map<string, number>(),
): Map<string, number> {
  // Columns: sl local_address rem_address st tx_queue:rx_queue …
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    const remote = fields[2];
    const queues = fields[4];
    if (!local || !remote || !queues || fields[0] === 'sl') continue;
    const localPort = local.slice(local.indexOf(':') + 1);
    const txQueue = Number.parseInt(queues.slice(0, queues.indexOf(':')), 16);
    if (Number.isFinite(txQueue)) into.set(`${localPort}|${remote}`, txQueue);
  }
  return into;
}

/** Reads both tables now; null where there is no /proc/net/tcp (not Linux, or hidden). */
export function readKernelSendQueues(): SendQueueTable | null {
  try {
    const table = parseProcNetTcp(readFileSync('/proc/net/tcp', 'latin1'));
    try {
      parseProcNetTcp(readFileSync('/proc/net/tcp6', 'latin1'), table);
    } catch {
      // IPv6 disabled: the IPv4 table is all there is.
    }
    return table;
  } catch {
    return null;
  }
}

function portHex(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

// /proc prints each 32-bit word of an address in host byte order (little-endian on every platform Node ships).
function procAddressHex(address: string): string | null {
  const bytes = isIPv4(address) ? ipv4Bytes(address) : isIPv6(address) ? ipv6Bytes(address) : null;
  if (!bytes) return null;
  let hex = '';
  for (let word = 0; word < bytes.length; word += 4) {
    for (let i = 3; i >= 0; i--)
      hex += (bytes[word + i] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  }
  return hex;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function ipv6Bytes(address: string): number[] | null {
  let text = address.replace(/%.*$/, '');
  // An embedded IPv4 tail (::ffff:127.0.0.1) is the last two groups written in dotted form.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] && dotted[2]) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(dotted[2]);
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/**
 * The latest reading of every connection's kernel send queue, refreshed by the viewers' upkeep tick. On systems
 * without /proc/net/tcp it reads nothing and answers null, and viewers fall back to write-completion alone.
 */
export class KernelSendQueueMonitor {
  #table: SendQueueTable | null = null;
  #generation = 0;
  #isAvailable = true;
  #nextReadAtMs = 0;
  #readAtMs = 0;

  /** Reads the tables again, unless the last read was too recent for the CPU budget (see below). */
  refresh(nowMs = performance.now()): void {
    if (!this.#isAvailable || nowMs < this.#nextReadAtMs) return;
    const table = readKernelSendQueues();
    if (table === null) this.#isAvailable = false;
    this.#table = table;
    this.#generation += 1;
    this.#readAtMs = Date.now();
    // The kernel prints every TCP socket of the machine: ~0.5 ms for a hundred, ~12 ms for two thousand.
    // Reading at most at a 2 % duty cycle keeps that under 2 % of a core at any viewer count, while a
    // desktop with a few dozen viewers still gets a fresh reading every tick.
    // The cap keeps readings coming when one read was slow for other reasons (cold code, a busy machine).
    this.#nextReadAtMs =
      nowMs +
      Math.min(MAX_READ_INTERVAL_MS, (performance.now() - nowMs) * READ_INTERVAL_PER_READ_MS);
  }

  /** Counts readings, so a viewer can tell a reading taken after its last write from one taken before. */
  get generation(): number {
    return this.#generation;
  }

  /** When the latest reading was taken (epoch ms). */
  get readAtMs(): number {
    return this.#readAtMs;
  }

  /** False where there is nothing to read (not Linux): callers then rely on write completion alone. */
  get isAvailable(): boolean {
    return this.#isAvailable;
  }

  /** Queued bytes of that connection at the latest reading; undefined if it was not there (yet). */
  queuedBytes(key: string): number | undefined {
    return this.#table?.get(key);
  }
}

/** Time between readings per millisecond one reading took: 50 → a 2 % duty cycle. */
const READ_INTERVAL_PER_READ_MS = 50;
const MAX_READ_INTERVAL_MS = 250;
