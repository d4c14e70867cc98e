import { growU32 } from './columns.ts';

// Duplicate detection (RFC 5560 §2.5, RFC 4737 §3.6: only the first copy counts).
// The identity of a packet is (flow, extended sequence number). Each flow keeps one bit per
// extended number in (maxExt - span, maxExt]; span = seqMaxMisorder, so every number the sequence
// extension accepts (sequence.ts) is inside the bitmap and duplicate detection is exact.
// span is a power of two dividing 2^32, so the bit position is ToUint32(ext) & (span - 1)
// (ToUint32 is the exact modulo 2^32 of any integer Number, negatives included).

export class DedupColumns {
  words: Uint32Array;
  readonly wordsPerFlow: number;
  private readonly mask: number;

  constructor(capacity: number, private readonly span: number) {
    if ((span & (span - 1)) !== 0 || span < 32) throw new RangeError(`dedup span ${span} must be a power of two >= 32`);
    this.wordsPerFlow = span >>> 5;
    this.mask = span - 1;
    this.words = new Uint32Array(capacity * this.wordsPerFlow);
  }

  grow(capacity: number): void {
    this.words = growU32(this.words, capacity * this.wordsPerFlow);
  }

  reset(slot: number): void {
    const base = slot * this.wordsPerFlow;
    this.words.fill(0, base, base + this.wordsPerFlow);
  }

  /** The maximum moved from prevMax to newMax: forget the numbers that left the span. */
  advance(slot: number, prevMax: number, newMax: number): void {
    const delta = newMax - prevMax;
    if (delta >= this.span) {
      this.reset(slot);
      return;
    }
    const base = slot * this.wordsPerFlow;
    const mask = this.mask;
    for (let e = prevMax + 1; e <= newMax; e++) {
      const pos = (e >>> 0) & mask;
      this.words[base + (pos >>> 5)] &= ~(1 << (pos & 31));
    }
  }

  /** advance(prevMax, newMax) and mark newMax, which cannot be a duplicate (it is a new maximum). */
  advanceAndMark(slot: number, prevMax: number, newMax: number): void {
    const base = slot * this.wordsPerFlow;
    if (newMax - prevMax === 1) {
      const pos = (newMax >>> 0) & this.mask;
      this.words[base + (pos >>> 5)] |= 1 << (pos & 31);
      return;
    }
    this.advance(slot, prevMax, newMax);
    const pos = (newMax >>> 0) & this.mask;
    this.words[base + (pos >>> 5)] |= 1 << (pos & 31);
  }

  /** True when ext was already marked (a duplicate); marks it otherwise. */
  testAndSet(slot: number, ext: number): boolean {
    const pos = (ext >>> 0) & this.mask;
    const i = slot * this.wordsPerFlow + (pos >>> 5);
    const bit = 1 << (pos & 31);
    const w = this.words[i];
    if ((w & bit) !== 0) return true;
    this.words[i] = w | bit;
    return false;
  }
}
