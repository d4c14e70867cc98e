// Open windows as a structure of arrays (slot = window). A flow's open windows form a linked
// list ascending by window index (a flow rarely has more than lateness/window + 2 open).
import { growF64, growI32, growU32 } from '../metrics/columns.ts';
import { SampleBufferPool } from './sample-pool.ts';

export class WindowStore {
  capacity = 0;
  open = 0;
  private freeTop = 0;
  private freeSlots = new Int32Array(0);

  flow = new Int32Array(0);
  next = new Int32Array(0);
  relIdx = new Float64Array(0);
  // Disposition counters (every accepted sample lands in exactly one of the first four).
  received = new Uint32Array(0);
  duplicates = new Uint32Array(0);
  corrupt = new Uint32Array(0);
  unreceived = new Uint32Array(0);
  // Breakdowns and event counters.
  unsynced = new Uint32Array(0);
  negative = new Uint32Array(0);
  restarts = new Uint32Array(0);
  reordered = new Uint32Array(0);
  extentSum = new Float64Array(0);
  extentMax = new Uint32Array(0);
  extentCapped = new Uint32Array(0);
  bytes = new Float64Array(0);
  minExt = new Float64Array(0);
  maxExt = new Float64Array(0);
  minSend = new Float64Array(0);
  jitter = new Float64Array(0);
  paramT = new Float64Array(0);
  paramL = new Float64Array(0);
  paramS = new Float64Array(0);
  bufClass = new Int32Array(0);
  bufSlot = new Int32Array(0);
  /** Extended numbers that began a new sequence epoch, per window slot (rare). */
  readonly epochStarts = new Map<number, number[]>();

  readonly pool = new SampleBufferPool();

  /** Takes a free slot and initialises it for (flow, relIdx). */
  alloc(flow: number, relIdx: number, t: number, l: number, s: number, bufClass: number): number {
    if (this.freeTop === 0) this.grow(Math.max(1024, this.capacity * 2));
    const w = this.freeSlots[--this.freeTop];
    this.open++;
    this.flow[w] = flow;
    this.next[w] = -1;
    this.relIdx[w] = relIdx;
    this.received[w] = 0;
    this.duplicates[w] = 0;
    this.corrupt[w] = 0;
    this.unreceived[w] = 0;
    this.unsynced[w] = 0;
    this.negative[w] = 0;
    this.restarts[w] = 0;
    this.reordered[w] = 0;
    this.extentSum[w] = 0;
    this.extentMax[w] = 0;
    this.extentCapped[w] = 0;
    this.bytes[w] = 0;
    this.minExt[w] = Infinity;
    this.maxExt[w] = -Infinity;
    this.minSend[w] = Infinity;
    this.jitter[w] = NaN;
    this.paramT[w] = t;
    this.paramL[w] = l;
    this.paramS[w] = s;
    this.bufClass[w] = bufClass;
    this.bufSlot[w] = this.pool.alloc(bufClass);
    return w;
  }

  release(w: number): void {
    this.pool.release(this.bufClass[w], this.bufSlot[w]);
    this.bufSlot[w] = -1;
    this.epochStarts.delete(w);
    this.freeSlots[this.freeTop++] = w;
    this.open--;
  }

  /** Makes room for one more buffered sample; returns the index to write at in the class slabs. */
  reserve(w: number): number {
    const n = this.received[w];
    let c = this.bufClass[w];
    if (n === 1 << c) {
      this.bufSlot[w] = this.pool.promote(c, this.bufSlot[w], n);
      c = ++this.bufClass[w];
    }
    return this.bufSlot[w] * (1 << c) + n;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    this.flow = growI32(this.flow, capacity);
    this.next = growI32(this.next, capacity);
    this.relIdx = growF64(this.relIdx, capacity);
    this.received = growU32(this.received, capacity);
    this.duplicates = growU32(this.duplicates, capacity);
    this.corrupt = growU32(this.corrupt, capacity);
    this.unreceived = growU32(this.unreceived, capacity);
    this.unsynced = growU32(this.unsynced, capacity);
    this.negative = growU32(this.negative, capacity);
    this.restarts = growU32(this.restarts, capacity);
    this.reordered = growU32(this.reordered, capacity);
    this.extentSum = growF64(this.extentSum, capacity);
    this.extentMax = growU32(this.extentMax, capacity);
    this.extentCapped = growU32(this.extentCapped, capacity);
    this.bytes = growF64(this.bytes, capacity);
    this.minExt = growF64(this.minExt, capacity);
    this.maxExt = growF64(this.maxExt, capacity);
    this.minSend = growF64(this.minSend, capacity);
    this.jitter = growF64(this.jitter, capacity);
    this.paramT = growF64(this.paramT, capacity);
    this.paramL = growF64(this.paramL, capacity);
    this.paramS = growF64(this.paramS, capacity);
    this.bufClass = growI32(this.bufClass, capacity);
    this.bufSlot = growI32(this.bufSlot, capacity);
    const free = new Int32Array(capacity);
    free.set(this.freeSlots.subarray(0, this.freeTop));
    // New slots are handed out lowest first (stack top = lowest index).
    let top = this.freeTop;
    for (let w = capacity - 1; w >= old; w--) free[top++] = w;
    this.freeSlots = free;
    this.freeTop = top;
    this.capacity = capacity;
  }
}
