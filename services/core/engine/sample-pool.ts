// Per-window sample buffers (received first copies: extended seq, delay, send time within the
// window, delay class) from a pool of power-of-two size classes. Each class keeps its slots in
// one slab per column, so a window with 1 sample costs ~25 bytes instead of four typed-array
// objects (~600 bytes), and buffers are reused instead of garbage-collected.

export const MAX_CLASS = 24;

/** Delay class of a buffered sample. */
export const CLS_TRUSTED = 0;
export const CLS_UNSYNCED = 1;
export const CLS_NEGATIVE = 2;

export class SampleBufferPool {
  readonly ext: Float64Array[] = [];
  readonly delay: Float64Array[] = [];
  readonly send: Float64Array[] = [];
  readonly cls: Uint8Array[] = [];
  private readonly slots: number[] = [];
  private readonly freeList: number[][] = [];
  private readonly next: number[] = [];
  /** Samples of capacity currently handed out (for stats). */
  capacityInUse = 0;

  constructor() {
    for (let c = 0; c <= MAX_CLASS; c++) {
      this.ext.push(new Float64Array(0));
      this.delay.push(new Float64Array(0));
      this.send.push(new Float64Array(0));
      this.cls.push(new Uint8Array(0));
      this.slots.push(0);
      this.freeList.push([]);
      this.next.push(0);
    }
  }

  alloc(c: number): number {
    this.capacityInUse += 1 << c;
    const free = this.freeList[c];
    if (free.length > 0) return free.pop() as number;
    if (this.next[c] === this.slots[c]) this.growClass(c);
    return this.next[c]++;
  }

  release(c: number, slot: number): void {
    this.capacityInUse -= 1 << c;
    this.freeList[c].push(slot);
  }

  /** Moves `len` samples from (c, slot) to a slot of class c + 1; returns the new slot. */
  promote(c: number, slot: number, len: number): number {
    const to = this.alloc(c + 1);
    const src = slot * (1 << c);
    const dst = to * (1 << (c + 1));
    this.ext[c + 1].set(this.ext[c].subarray(src, src + len), dst);
    this.delay[c + 1].set(this.delay[c].subarray(src, src + len), dst);
    this.send[c + 1].set(this.send[c].subarray(src, src + len), dst);
    this.cls[c + 1].set(this.cls[c].subarray(src, src + len), dst);
    this.release(c, slot);
    return to;
  }

  private growClass(c: number): void {
    const old = this.slots[c];
    // Small classes grow in large steps (many windows), big classes one slot at a time-ish.
    const minSlots = c <= 6 ? 1024 : c <= 12 ? 16 : 1;
    const slots = Math.max(minSlots, old * 2);
    const n = slots * (1 << c);
    this.ext[c] = copyInto(new Float64Array(n), this.ext[c]);
    this.delay[c] = copyInto(new Float64Array(n), this.delay[c]);
    this.send[c] = copyInto(new Float64Array(n), this.send[c]);
    this.cls[c] = copyInto(new Uint8Array(n), this.cls[c]);
    this.slots[c] = slots;
  }
}

function copyInto<T extends Float64Array | Uint8Array>(to: T, from: T): T {
  to.set(from as never);
  return to;
}
