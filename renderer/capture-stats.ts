// Rolling capture statistics over the last couple of seconds: fps, encode time, bytes per frame.

export interface CaptureStatsSnapshot {
  readonly fps: number;
  readonly encodeMsAvg: number;
  readonly encodeMsP95: number;
  readonly bytesPerFrame: number;
}

interface Sample {
  readonly atMs: number;
  readonly encodeMs: number;
  readonly bytes: number;
}

export class CaptureStats {
  readonly #windowMs: number;
  #samples: Sample[] = [];

  constructor(windowMs = 2000) {
    this.#windowMs = windowMs;
  }

  record(atMs: number, encodeMs: number, bytes: number): void {
    this.#samples.push({ atMs, encodeMs, bytes });
    this.#trim(atMs);
  }

  reset(): void {
    this.#samples = [];
  }

  snapshot(nowMs: number): CaptureStatsSnapshot {
    this.#trim(nowMs);
    const n = this.#samples.length;
    if (n === 0) return { fps: 0, encodeMsAvg: 0, encodeMsP95: 0, bytesPerFrame: 0 };
    const encode = this.#samples.map((s) => s.encodeMs).sort((a, b) => a - b);
    const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
    return {
      fps: n / (this.#windowMs / 1000),
      encodeMsAvg: sum(encode) / n,
      encodeMsP95: encode[Math.min(n - 1, Math.floor(n * 0.95))] ?? 0,
      bytesPerFrame: sum(this.#samples.map((s) => s.bytes)) / n,
    };
  }

  #trim(nowMs: number): void {
    const oldest = nowMs - this.#windowMs;
    let drop = 0;
    while (drop < this.#samples.length && (this.#samples[drop]?.atMs ?? 0) <= oldest) drop += 1;
    if (drop > 0) this.#samples = this.#samples.slice(drop);
  }
}
