import { growF64, growU8 } from './columns.ts';

// Sequence-number extension: wire values (16 or 32 bits, mod 2^W) -> an extended integer that
// never wraps, kept in a Number (exact below 2^53, i.e. ~285 years at 1 M packets/s).
//
// Rules (docs/metrics.md "Sequence numbers"):
// - Distance is taken against the highest extended number seen (RFC 3550 App. A.1 udelta).
// - udelta == 2^(W-1): RFC 1982 §3.2 leaves the comparison undefined -> BAD, never guessed.
// - udelta < maxDropout: forward (or equal), a permissible gap.
// - 2^W - udelta < maxMisorder: a backward (reordered or duplicate) packet.
// - anything else is a "very large jump": SUSPECT. If the very next sample of the flow (arrival
//   order) carries the suspect's seq + 1, the sender restarted (RFC 3550 A.1 bad_seq logic): a new
//   sequence epoch starts right after the old maximum, so the extended space stays monotone and
//   no phantom loss appears. Otherwise the suspect is BAD. Packets of a new epoch that map below
//   its first packet are BAD (they would alias the old epoch's numbers).

export const SEQ_ACCEPT = 0;
export const SEQ_BAD = 1;
export const SEQ_SUSPECT = 2;
/** The held suspect and this sample start a new epoch: suspect = ext - 1, this = ext. */
export const SEQ_RESTART = 3;

/** RFC 1982 §3.1 addition, n in [0, 2^(W-1) - 1]. */
export function serialAdd(s: number, n: number, bits: number): number {
  const mod = 2 ** bits;
  if (!(n >= 0 && n <= mod / 2 - 1)) throw new RangeError(`serialAdd: n=${n} outside [0, 2^(W-1)-1]`);
  return (s + n) % mod;
}

/** RFC 1982 §3.2: -1 if a < b, 1 if a > b, 0 if equal, undefined when exactly 2^(W-1) apart. */
export function serialCompare(a: number, b: number, bits: number): -1 | 0 | 1 | undefined {
  const half = 2 ** (bits - 1);
  if (a === b) return 0;
  if ((a < b && b - a < half) || (a > b && a - b > half)) return -1;
  if ((a < b && b - a > half) || (a > b && a - b < half)) return 1;
  return undefined;
}

/** Per-flow sequence state in columns (slot = flow index). */
export class SequenceColumns {
  maxExt: Float64Array;
  maxWire: Float64Array;
  /** Lowest extended number allowed in the current epoch (-Infinity before any restart). */
  floorExt: Float64Array;
  /** Wire value that would confirm a restart (-1 = none). */
  pendingWire: Float64Array;
  bits: Uint8Array;
  has: Uint8Array;
  /** Output of the last observe(): the extended number, and the maximum before the call. */
  ext = 0;
  prevMax = 0;

  constructor(
    capacity: number,
    private readonly dropout16: number,
    private readonly dropout32: number,
    private readonly misorder: number,
  ) {
    this.maxExt = new Float64Array(capacity);
    this.maxWire = new Float64Array(capacity);
    this.floorExt = new Float64Array(capacity);
    this.pendingWire = new Float64Array(capacity);
    this.bits = new Uint8Array(capacity);
    this.has = new Uint8Array(capacity);
  }

  grow(capacity: number): void {
    this.maxExt = growF64(this.maxExt, capacity);
    this.maxWire = growF64(this.maxWire, capacity);
    this.floorExt = growF64(this.floorExt, capacity);
    this.pendingWire = growF64(this.pendingWire, capacity);
    this.bits = growU8(this.bits, capacity);
    this.has = growU8(this.has, capacity);
  }

  reset(slot: number, bits: number): void {
    this.has[slot] = 0;
    this.bits[slot] = bits;
    this.pendingWire[slot] = -1;
    this.floorExt[slot] = -Infinity;
    this.maxExt[slot] = 0;
    this.maxWire[slot] = 0;
  }

  /** Classifies one wire value; on ACCEPT/RESTART sets this.ext (and this.prevMax). */
  observe(slot: number, wire: number): number {
    const maxExt = this.maxExt[slot];
    this.prevMax = maxExt;
    if (this.has[slot] === 0) {
      this.has[slot] = 1;
      this.maxExt[slot] = wire;
      this.maxWire[slot] = wire;
      this.prevMax = wire - 1;
      this.ext = wire;
      return SEQ_ACCEPT;
    }
    const w = this.bits[slot];
    const mod = w === 16 ? 65536 : 4294967296;
    const pending = this.pendingWire[slot];
    if (pending !== -1) this.pendingWire[slot] = -1;
    if (pending === wire) {
      // Two sequential packets after a very large jump: the sender restarted.
      const ext = maxExt + 2;
      this.maxExt[slot] = ext;
      this.maxWire[slot] = wire;
      this.floorExt[slot] = maxExt + 1;
      this.ext = ext;
      return SEQ_RESTART;
    }
    let udelta = wire - this.maxWire[slot];
    if (udelta < 0) udelta += mod;
    if (udelta === mod / 2) return SEQ_BAD;
    if (udelta < (w === 16 ? this.dropout16 : this.dropout32)) {
      const ext = maxExt + udelta;
      if (udelta > 0) {
        this.maxExt[slot] = ext;
        this.maxWire[slot] = wire;
      }
      this.ext = ext;
      return SEQ_ACCEPT;
    }
    const back = mod - udelta;
    if (back < this.misorder) {
      const ext = maxExt - back;
      if (ext < this.floorExt[slot]) return SEQ_BAD;
      this.ext = ext;
      return SEQ_ACCEPT;
    }
    this.pendingWire[slot] = wire + 1 === mod ? 0 : wire + 1;
    return SEQ_SUSPECT;
  }
}
