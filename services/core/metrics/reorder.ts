import { growF64, growU32 } from './columns.ts';

// Reordering per RFC 4737, over first copies of received packets in arrival order.
// §3.3 singleton: s >= NextExp -> in order, NextExp = s + 1; otherwise reordered.
// §4.2.3 extent: e = i - j for the smallest j < i with s[j] > s[i] (i, j arrival indexes).
//
// The smallest such j is the arrival at which NextExp first moved above s[i], so it suffices to
// keep the last H "breakpoints" (ext, arrival index) of in-order arrivals: binary-search the first
// breakpoint with ext > s. If e < H that breakpoint is always still kept (fewer than H arrivals,
// hence fewer than H breakpoints, happened since); if e >= H the value reported is H, meaning
// "extent >= H" (RFC 4737 §6 bounded history). Reported extent = min(e, H), always exact in that
// sense. Breakpoints store ext and arrival index modulo 2^32 (ToUint32, `>>> 0`; config keeps
// H * maxDropout < 2^31 so kept breakpoints are never 2^32 or more behind NextExp).

const TWO32 = 4294967296;

export class ReorderColumns {
  /** -Infinity before the first arrival (which is in order, RFC 4737 §3.6). */
  nextExp: Float64Array;
  arrivals: Float64Array;
  head: Uint32Array;
  len: Uint32Array;
  ringExt: Uint32Array;
  ringArr: Uint32Array;

  constructor(capacity: number, readonly cap: number) {
    this.nextExp = new Float64Array(capacity);
    this.arrivals = new Float64Array(capacity);
    this.head = new Uint32Array(capacity);
    this.len = new Uint32Array(capacity);
    this.ringExt = new Uint32Array(capacity * cap);
    this.ringArr = new Uint32Array(capacity * cap);
  }

  grow(capacity: number): void {
    this.nextExp = growF64(this.nextExp, capacity);
    this.arrivals = growF64(this.arrivals, capacity);
    this.head = growU32(this.head, capacity);
    this.len = growU32(this.len, capacity);
    this.ringExt = growU32(this.ringExt, capacity * this.cap);
    this.ringArr = growU32(this.ringArr, capacity * this.cap);
  }

  reset(slot: number): void {
    this.nextExp[slot] = -Infinity;
    this.arrivals[slot] = 0;
    this.head[slot] = 0;
    this.len[slot] = 0;
  }

  /** Records the arrival of first copy `ext`; returns 0 when in order, else min(extent, H). */
  observe(slot: number, ext: number): number {
    const i = this.arrivals[slot];
    this.arrivals[slot] = i + 1;
    const cap = this.cap;
    const base = slot * cap;
    if (ext >= this.nextExp[slot]) {
      this.nextExp[slot] = ext + 1;
      // Ring: entries [head, head+len) in age order, oldest first.
      const len = this.len[slot];
      const head = this.head[slot];
      let at: number;
      if (len < cap) {
        at = head + len;
        if (at >= cap) at -= cap;
        this.len[slot] = len + 1;
      } else {
        at = head;
        this.head[slot] = head + 1 === cap ? 0 : head + 1;
      }
      this.ringExt[base + at] = ext >>> 0;
      this.ringArr[base + at] = i >>> 0;
      return 0;
    }
    // Reordered. Distances below NextExp are positive and < 2^31 for every kept breakpoint.
    const nextExp = this.nextExp[slot];
    const nextLow = nextExp >>> 0;
    const dS = nextExp - ext;
    const len = this.len[slot];
    const head = this.head[slot];
    // Find the first ring position p (age order) with dB(p) < dS; dB decreases with p.
    let lo = 0;
    let hi = len - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let at = head + mid;
      if (at >= cap) at -= cap;
      let dB = nextLow - this.ringExt[base + at];
      if (dB < 0) dB += TWO32;
      if (dB < dS) hi = mid;
      else lo = mid + 1;
    }
    let at = head + lo;
    if (at >= cap) at -= cap;
    let e = (i >>> 0) - this.ringArr[base + at];
    if (e < 0) e += TWO32;
    return e < cap ? e : cap;
  }
}
