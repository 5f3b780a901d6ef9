// Samples a process's CPU time and resident memory from /proc (Linux) every 500 ms.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CpuReading {
  readonly atMs: number;
  readonly cpuSeconds: number;
}

const clockTicksPerSecond = readClockTicks();

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** utime + stime of a process, in seconds; null once it is gone. */
export function readCpu(pid: number): CpuReading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may contain spaces; the numeric fields start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { atMs: performance.now(), cpuSeconds: ticks / clockTicksPerSecond };
  } catch {
    return null;
  }
}

/** Resident set size in bytes; null once the process is gone. */
export function readRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU used between two readings, as % of one core. */
export function cpuPercent(from: CpuReading, to: CpuReading): number {
  const wallSeconds = (to.atMs - from.atMs) / 1000;
  return wallSeconds > 0 ? ((to.cpuSeconds - from.cpuSeconds) / wallSeconds) * 100 : 0;
}

/** Keeps the peak RSS of a process, sampled every `intervalMs` until stop(). */
export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  #peakBytes = 0;

  constructor(pid: number, intervalMs = 500) {
    this.#pid = pid;
    this.sample();
    this.#timer = setInterval(() => {
      this.sample();
    }, intervalMs);
  }

  /** Takes a reading now (also called at the moments the runner cares about) and returns it. */
  sample(): number {
    const rss = readRss(this.#pid) ?? 0;
    this.#peakBytes = Math.max(this.#peakBytes, rss);
    return rss;
  }

  get peakBytes(): number {
    return this.#peakBytes;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
