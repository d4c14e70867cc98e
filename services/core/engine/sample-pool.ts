// Per-window sample buffers: one record per received first copy, three Float64 slots
// interleaved in one array — [ext, delay, sendTag] — so appending a sample writes 24 contiguous
// bytes and closing a window reads them back as one stream (four separate columns measured
// slower: four cache-line streams per sample). sendTag = send time within the window +
// delay class * 2^48 (windows are at most 1 day < 2^47 ns, so both parts stay exact).
//
// Buffers come from power-of-two size classes. A class allocates fixed-size chunks (about 1 MiB,
// or one slot when a slot is larger) and never reallocates them: growing never copies, never
// leaves garbage behind, and a 1-sample window costs 24 bytes, not a typed-array object.
// A slot id is chunk * slotsPerChunk + index.

export const MAX_CLASS = 24;
export const REC = 3;
export const CLASS_SHIFT = 2 ** 48;

/** Delay class of a buffered sample. */
export const CLS_TRUSTED = 0;
export const CLS_UNSYNCED = 1;
export const CLS_NEGATIVE = 2;

const CHUNK_RECORDS = 1 << 15; // 32768 records * 24 B = 768 KiB

class SizeClass {
  readonly chunks: Float64Array[] = [];
  readonly free: number[] = [];
  next = 0;
  readonly slotsPerChunk: number;
  readonly slotRecords: number;

  constructor(c: number) {
    this.slotRecords = 1 << c;
    this.slotsPerChunk = Math.max(1, Math.floor(CHUNK_RECORDS / this.slotRecords));
  }
}

export class SampleBufferPool {
  private readonly classes: SizeClass[] = [];
  /** Samples of capacity currently handed out (for stats). */
  capacityInUse = 0;

  constructor() {
    for (let c = 0; c <= MAX_CLASS; c++) this.classes.push(new SizeClass(c));
  }

  alloc(c: number): number {
    this.capacityInUse += 1 << c;
    const k = this.classes[c];
    if (k.free.length > 0) return k.free.pop() as number;
    const slot = k.next++;
    if (Math.floor(slot / k.slotsPerChunk) === k.chunks.length) {
      k.chunks.push(new Float64Array(k.slotsPerChunk * k.slotRecords * REC));
    }
    return slot;
  }

  release(c: number, slot: number): void {
    this.capacityInUse -= 1 << c;
    this.classes[c].free.push(slot);
  }

  /** The array holding a slot's records. */
  array(c: number, slot: number): Float64Array {
    const k = this.classes[c];
    return k.chunks[Math.floor(slot / k.slotsPerChunk)];
  }

  /** Index of the slot's record 0 in array(c, slot). */
  base(c: number, slot: number): number {
    const k = this.classes[c];
    return (slot % k.slotsPerChunk) * k.slotRecords * REC;
  }

  /** Moves `len` records from (c, slot) to a slot of class c + 1; returns the new slot. */
  promote(c: number, slot: number, len: number): number {
    const to = this.alloc(c + 1);
    const src = this.base(c, slot);
    this.array(c + 1, to).set(this.array(c, slot).subarray(src, src + len * REC), this.base(c + 1, to));
    this.release(c, slot);
    return to;
  }

  /** Bytes of sample buffers allocated (for stats). */
  allocatedBytes(): number {
    let b = 0;
    for (const k of this.classes) for (const a of k.chunks) b += a.byteLength;
    return b;
  }
}
