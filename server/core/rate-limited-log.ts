// Log lines that clients can cause (refusals, lockouts, evictions) at most once per reason per interval, with a
// count of the ones held back, so a flood of bad requests cannot flood the log or the disk.
import type { Logger } from '../types.ts';

export interface RateLimitedLog {
  /** Logs now if nothing with this reason was logged in the last interval; otherwise counts it. */
  warn(reason: string, message: string): void;
  /** The same, at error level (unexpected failures a client may still be able to repeat). */
  error(reason: string, message: string): void;
  /** Writes out what is still held back and stops the timers. */
  close(): void;
}

interface ReasonState {
  readonly level: 'warn' | 'error';
  suppressed: number;
  latest: string;
  timer: NodeJS.Timeout;
}

export function createRateLimitedLog(logger: Logger, intervalMs = 10_000): RateLimitedLog {
  const states = new Map<string, ReasonState>();
  const window = intervalMs >= 1000 ? `${Math.round(intervalMs / 1000)} s` : `${intervalMs} ms`;
  const flush = (state: ReasonState): boolean => {
    if (state.suppressed === 0) return false;
    logger[state.level](
      `${state.latest} (${state.suppressed} more suppressed in the last ${window})`,
    );
    state.suppressed = 0;
    return true;
  };
  const openWindow = (reason: string, state: Omit<ReasonState, 'timer'>): void => {
    // Unref'd: a pending count must not keep `lancam serve` or a test process alive.
    const timer = setTimeout(() => {
      const current = states.get(reason);
      if (!current) return;
      // Another window only while lines keep coming: a steady flood gives one line per interval.
      if (flush(current)) openWindow(reason, current);
      else states.delete(reason);
    }, intervalMs);
    timer.unref();
    states.set(reason, { ...state, timer });
  };
  const log = (level: ReasonState['level'], reason: string, message: string): void => {
    const state = states.get(reason);
    if (state) {
      state.suppressed += 1;
      state.latest = message;
      return;
    }
    logger[level](message);
    openWindow(reason, { level, suppressed: 0, latest: message });
  };
  return {
    warn(reason, message) {
      log('warn', reason, message);
    },
    error(reason, message) {
      log('error', reason, message);
    },
    close() {
      for (const state of states.values()) {
        clearTimeout(state.timer);
        flush(state);
      }
      states.clear();
    },
  };
}
