// Open windows as a structure of arrays (slot = window). A flow's open windows form a linked
// list ascending by window index. Every window has the few fields the common path needs (~50
// bytes); counters of rarer events (duplicates, corruption, reordering, unsynchronised clocks,
// loss reports ...) live in an "extras" record a window takes only when such an event happens.
// Capacity doubles when full (the old columns are freed).
import { growF64, growI32, growU32 } from '../metrics/columns.ts';
import { SampleBufferPool } from './sample-pool.ts';

export class WindowStore {
  capacity = 0;
  open = 0;
  private unused = 0;
  private readonly freeSlots: number[] = [];

  flow = new Int32Array(0);
  next = new Int32Array(0);
  relIdx = new Float64Array(0);
  received = new Uint32Array(0);
  bytes = new Float64Array(0);
  jitter = new Float64Array(0);
  params = new Int32Array(0);
  bufClass = new Uint8Array(0);
  bufSlot = new Int32Array(0);
  extra = new Int32Array(0);

  readonly x = new WindowExtras();
  /** Extended numbers that began a new sequence epoch, per window slot (rare). */
  readonly epochStarts = new Map<number, number[]>();
  readonly pool = new SampleBufferPool();
  /** Interned (transfer interval, max latency, survival time) triples. */
  readonly paramT: number[] = [];
  readonly paramL: number[] = [];
  readonly paramS: number[] = [];
  private readonly paramIds = new Map<string, number>();

  constructor(initialCapacity: number) {
    this.grow(Math.max(1024, initialCapacity));
  }

  private lastT = -1;
  private lastL = -1;
  private lastS = -1;
  private lastId = -1;

  paramId(t: number, l: number, s: number): number {
    if (t === this.lastT && l === this.lastL && s === this.lastS) return this.lastId;
    const k = `${t}/${l}/${s}`;
    let id = this.paramIds.get(k);
    if (id === undefined) {
      id = this.paramT.length;
      this.paramT.push(t);
      this.paramL.push(l);
      this.paramS.push(s);
      this.paramIds.set(k, id);
    }
    this.lastT = t;
    this.lastL = l;
    this.lastS = s;
    this.lastId = id;
    return id;
  }

  /** Takes a free slot and initialises it for (flow, relIdx) with a buffer of class bufClass. */
  alloc(flow: number, relIdx: number, paramId: number, bufClass: number): number {
    let w: number;
    if (this.freeSlots.length > 0) w = this.freeSlots.pop() as number;
    else {
      if (this.unused === this.capacity) this.grow(this.capacity * 2);
      w = this.unused++;
    }
    this.open++;
    this.flow[w] = flow;
    this.next[w] = -1;
    this.relIdx[w] = relIdx;
    this.received[w] = 0;
    this.bytes[w] = 0;
    this.jitter[w] = NaN;
    this.params[w] = paramId;
    this.bufClass[w] = bufClass;
    this.bufSlot[w] = this.pool.alloc(bufClass);
    this.extra[w] = -1;
    return w;
  }

  release(w: number): void {
    this.pool.release(this.bufClass[w], this.bufSlot[w]);
    this.bufSlot[w] = -1;
    if (this.extra[w] >= 0) this.x.release(this.extra[w]);
    this.epochStarts.delete(w);
    this.freeSlots.push(w);
    this.open--;
  }

  /** The window's extras record, created on first use. */
  extras(w: number): number {
    let e = this.extra[w];
    if (e < 0) {
      e = this.x.alloc();
      this.extra[w] = e;
    }
    return e;
  }

  /** Makes room for one more buffered sample (received[w] is the current count). */
  reserve(w: number): void {
    const n = this.received[w];
    const c = this.bufClass[w];
    if (n === 1 << c) {
      this.bufSlot[w] = this.pool.promote(c, this.bufSlot[w], n);
      this.bufClass[w] = c + 1;
    }
  }

  private grow(capacity: number): void {
    this.flow = growI32(this.flow, capacity);
    this.next = growI32(this.next, capacity);
    this.relIdx = growF64(this.relIdx, capacity);
    this.received = growU32(this.received, capacity);
    this.bytes = growF64(this.bytes, capacity);
    this.jitter = growF64(this.jitter, capacity);
    this.params = growI32(this.params, capacity);
    const bc = new Uint8Array(capacity);
    bc.set(this.bufClass);
    this.bufClass = bc;
    this.bufSlot = growI32(this.bufSlot, capacity);
    this.extra = growI32(this.extra, capacity);
    this.capacity = capacity;
  }
}

/** Counters of rarer events, one record per window that saw any. */
export class WindowExtras {
  private capacity = 0;
  private unused = 0;
  private readonly freeSlots: number[] = [];
  duplicates = new Uint32Array(0);
  corrupt = new Uint32Array(0);
  unreceived = new Uint32Array(0);
  unsynced = new Uint32Array(0);
  negative = new Uint32Array(0);
  restarts = new Uint32Array(0);
  reordered = new Uint32Array(0);
  extentSum = new Float64Array(0);
  extentMax = new Uint32Array(0);
  extentCapped = new Uint32Array(0);
  /** Over samples that are not buffered (duplicates, loss reports); buffered ones are read at close. */
  minExt = new Float64Array(0);
  maxExt = new Float64Array(0);
  minSend = new Float64Array(0);

  alloc(): number {
    let e: number;
    if (this.freeSlots.length > 0) e = this.freeSlots.pop() as number;
    else {
      if (this.unused === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
      e = this.unused++;
    }
    this.duplicates[e] = 0;
    this.corrupt[e] = 0;
    this.unreceived[e] = 0;
    this.unsynced[e] = 0;
    this.negative[e] = 0;
    this.restarts[e] = 0;
    this.reordered[e] = 0;
    this.extentSum[e] = 0;
    this.extentMax[e] = 0;
    this.extentCapped[e] = 0;
    this.minExt[e] = Infinity;
    this.maxExt[e] = -Infinity;
    this.minSend[e] = Infinity;
    return e;
  }

  release(e: number): void {
    this.freeSlots.push(e);
  }

  private grow(capacity: number): void {
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
    this.minExt = growF64(this.minExt, capacity);
    this.maxExt = growF64(this.maxExt, capacity);
    this.minSend = growF64(this.minSend, capacity);
    this.capacity = capacity;
  }
}
