import { growF64, growU8 } from './columns.ts';

// RFC 3550 §6.4.1 / App. A.8 interarrival jitter, in ns, floating point (the reference code's
// `s->jitter += (1./16.) * ((double)d - s->jitter)`), over first copies of received packets in
// arrival order. With S = sender clock, D(i-1,i) = delay_i - delay_(i-1): a constant clock offset
// cancels, so unsynchronised and negative delays take part (METRICS.md §0.4, §6.1).
// The first packet of a flow only sets the reference (J stays 0). J is per flow and carried over
// window boundaries; a window reports J as it stands after its own last-arriving packet.

/** One filter step: J(i) = J(i-1) + (|D| - J(i-1)) / 16 (times 1/16 is exact, like the division). */
export function rfc3550JitterStep(j: number, d: number): number {
  const ad = d < 0 ? -d : d;
  return j + (ad - j) * 0.0625;
}

export class JitterColumns {
  j: Float64Array;
  lastDelay: Float64Array;
  has: Uint8Array;

  constructor(capacity: number) {
    this.j = new Float64Array(capacity);
    this.lastDelay = new Float64Array(capacity);
    this.has = new Uint8Array(capacity);
  }

  grow(capacity: number): void {
    this.j = growF64(this.j, capacity);
    this.lastDelay = growF64(this.lastDelay, capacity);
    this.has = growU8(this.has, capacity);
  }

  reset(slot: number): void {
    this.j[slot] = 0;
    this.has[slot] = 0;
  }

  /** Feeds one arrival; returns J after it. */
  observe(slot: number, delayNs: number): number {
    let j = this.j[slot];
    if (this.has[slot] !== 0) {
      j = rfc3550JitterStep(j, delayNs - this.lastDelay[slot]);
      this.j[slot] = j;
    } else {
      this.has[slot] = 1;
    }
    this.lastDelay[slot] = delayNs;
    return j;
  }
}
