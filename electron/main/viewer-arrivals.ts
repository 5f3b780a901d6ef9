// Who just started watching (pure): compares each status with the viewers seen before, for the system
// notification and the tray. A viewer counts once per connection; reconnects after a size change would
// otherwise notify again, so an address already watching within the last minute is not news.
import type { BroadcastStatus, ViewerSummary } from '../ipc.ts';

/** A reconnect within this long of the same address leaving is the same person, not a new arrival. */
export const rejoinGraceMs = 60_000;

export interface ArrivalNotice {
  readonly title: string;
  readonly body: string;
}

export class ViewerArrivals {
  readonly #seenIds = new Set<number>();
  /** Address → last time a viewer from it was seen (epoch ms). */
  readonly #lastSeenMs = new Map<string, number>();

  /** The viewers in `status` that are new arrivals; call with every status in order. */
  next(status: BroadcastStatus, nowMs = Date.now()): ViewerSummary[] {
    if (status.state === 'off' || status.state === 'error') {
      this.#seenIds.clear();
      this.#lastSeenMs.clear();
      return [];
    }
    const arrivals: ViewerSummary[] = [];
    for (const viewer of status.viewers) {
      if (this.#seenIds.has(viewer.id)) continue;
      this.#seenIds.add(viewer.id);
      const lastSeenMs = this.#lastSeenMs.get(viewer.address);
      if (lastSeenMs === undefined || nowMs - lastSeenMs > rejoinGraceMs) arrivals.push(viewer);
    }
    for (const viewer of status.viewers) this.#lastSeenMs.set(viewer.address, nowMs);
    const current = new Set(status.viewers.map((viewer) => viewer.id));
    for (const id of this.#seenIds) if (!current.has(id)) this.#seenIds.delete(id);
    return arrivals;
  }
}

/** One notification for one or several arrivals, in plain words. */
export function arrivalNotice(arrivals: readonly ViewerSummary[]): ArrivalNotice | null {
  const [firstArrival] = arrivals;
  if (!firstArrival) return null;
  const who = `${firstArrival.device} at ${firstArrival.address}`;
  return {
    title:
      arrivals.length === 1
        ? 'Someone started watching'
        : `${arrivals.length} people started watching`,
    body:
      arrivals.length === 1
        ? `${who} is watching your camera.`
        : `${who} and ${arrivals.length - 1} more are watching your camera.`,
  };
}
