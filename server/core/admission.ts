// Viewer slots, shared by every protocol that streams (MJPEG, and any later frame channel): the total
// `maxViewers` and a per-address share, so one address cannot take every slot.
export interface AdmissionLimits {
  readonly maxViewers: number;
  /** Stream slots one address may hold; see BroadcastServerOptions.maxViewersPerAddress. */
  readonly maxViewersPerAddress: number;
  /** Addresses the per-address share does not apply to (still counted in maxViewers). */
  readonly isUncapped: (address: string) => boolean;
}

/** A held slot; release() is idempotent, so every close path may call it. */
export interface ViewerSlot {
  release(): void;
}

export interface AdmissionRefusal {
  readonly reason: 'server-full' | 'address-full';
  /** 503 when the server is full, 429 when this address holds its share. */
  readonly status: 503 | 429;
  readonly message: string;
  readonly retryAfterS: number;
}

export type Admission =
  | { readonly isAdmitted: true; readonly slot: ViewerSlot }
  | { readonly isAdmitted: false; readonly refusal: AdmissionRefusal };

/** The per-address share when not configured: a quarter of maxViewers, at least 2. */
export function defaultViewersPerAddress(maxViewers: number): number {
  return Math.max(2, Math.ceil(maxViewers / 4));
}

export class ViewerAdmission {
  readonly #limits: AdmissionLimits;
  readonly #byAddress = new Map<string, number>();
  #count = 0;

  constructor(limits: AdmissionLimits) {
    this.#limits = limits;
  }

  /** Viewers admitted and not yet released, over all protocols. */
  get count(): number {
    return this.#count;
  }

  countFor(address: string): number {
    return this.#byAddress.get(address) ?? 0;
  }

  /** Takes a slot for a viewer at `address` (the resolved client address), or says why not. */
  admit(address: string): Admission {
    const { maxViewers, maxViewersPerAddress, isUncapped } = this.#limits;
    if (this.#count >= maxViewers) {
      return refuse('server-full', 503, `Too many viewers (limit ${maxViewers}). Try again later.`);
    }
    const held = this.countFor(address);
    if (held >= maxViewersPerAddress && !isUncapped(address)) {
      return refuse(
        'address-full',
        429,
        `Too many streams from your address (limit ${maxViewersPerAddress}). Close one and try again.`,
      );
    }
    this.#count += 1;
    this.#byAddress.set(address, held + 1);
    let isHeld = true;
    return {
      isAdmitted: true,
      slot: {
        release: () => {
          if (!isHeld) return;
          isHeld = false;
          this.#count -= 1;
          const left = this.countFor(address) - 1;
          if (left > 0) this.#byAddress.set(address, left);
          else this.#byAddress.delete(address);
        },
      },
    };
  }
}

function refuse(
  reason: AdmissionRefusal['reason'],
  status: AdmissionRefusal['status'],
  message: string,
): Admission {
  return { isAdmitted: false, refusal: { reason, status, message, retryAfterS: 5 } };
}
