// Per-flow state as a structure of arrays (slot = flow). Holds what must outlive a window:
// time epoch and lateness threshold, sequence/duplicate/reordering/jitter state, and the values
// carried from one closed window to the next (sent boundary, open loss run, IPDV partner,
// availability). Memory per flow is fixed (no per-flow objects besides the key strings).
import type { Identity } from '../wire/batch.ts';
import type { EngineConfig } from './config.ts';
import { growF64, growI32, growU32 } from '../metrics/columns.ts';
import { SequenceColumns } from '../metrics/sequence.ts';
import { DedupColumns } from '../metrics/duplicates.ts';
import { ReorderColumns } from '../metrics/reorder.ts';
import { JitterColumns } from '../metrics/jitter.ts';

/** A sample held back until the next one says whether its sequence jump was a restart. */
export interface HeldSample {
  wire: number;
  relT: number;
  relIdx: number;
  delayNs: number;
  sizeBytes: number;
  flags: number;
  paramId: number;
}

export class FlowTable {
  capacity = 0;
  count = 0;
  private freeSlots: number[] = [];

  keys: (string | undefined)[] = [];
  identities: (Identity | undefined)[] = [];
  flowIds: (string | undefined)[] = [];
  partition = new Int32Array(0);
  /** Index of the flow in its partition's flow list. */
  posInPartition = new Int32Array(0);
  /** Absolute window index of the flow's time origin; flow times are ns relative to epochIdx * windowNs. */
  epochIdx = new Float64Array(0);
  maxSend = new Float64Array(0);
  /** Windows with a relative index below this are closed (late samples are discarded). */
  lateIdx = new Float64Array(0);
  headWin = new Int32Array(0);
  lastWin = new Int32Array(0);
  /** Received samples of the flow's last closed window: new windows start with a buffer that size. */
  sizeHint = new Uint32Array(0);
  // Carried between windows.
  countedUpTo = new Float64Array(0);
  lossRun = new Float64Array(0);
  ipdvExt = new Float64Array(0);
  ipdvDelay = new Float64Array(0);
  availUp = new Float64Array(0);
  /** End of the interval the previous row judged (NaN = availability not started). */
  availPrevEnd = new Float64Array(0);

  readonly held = new Map<number, HeldSample>();
  readonly seq: SequenceColumns;
  readonly dedup: DedupColumns;
  readonly reorder: ReorderColumns;
  readonly jitter: JitterColumns;
  readonly reorderCap: number;

  constructor(private readonly config: Readonly<EngineConfig>) {
    this.reorderCap = config.reorderExtentCap;
    this.seq = new SequenceColumns(0, config.seqMaxDropout16, config.seqMaxDropout32, config.seqMaxMisorder);
    this.dedup = new DedupColumns(0, config.seqMaxMisorder);
    this.reorder = new ReorderColumns(0, config.reorderExtentCap);
    this.jitter = new JitterColumns(0);
  }

  alloc(key: string, identity: Identity, flowId: string, partition: number, epochIdx: number, seqBits: number, lateIdx: number): number {
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop() as number;
    else {
      if (this.count === this.capacity) this.grow(Math.min(Math.max(1024, this.capacity * 2), Math.max(this.config.maxFlows, 1024)));
      slot = this.count;
    }
    this.count++;
    this.keys[slot] = key;
    this.identities[slot] = identity;
    this.flowIds[slot] = flowId;
    this.partition[slot] = partition;
    this.epochIdx[slot] = epochIdx;
    this.maxSend[slot] = -Infinity;
    this.lateIdx[slot] = lateIdx;
    this.headWin[slot] = -1;
    this.lastWin[slot] = -1;
    this.sizeHint[slot] = 0;
    this.countedUpTo[slot] = NaN;
    this.lossRun[slot] = 0;
    this.ipdvExt[slot] = NaN;
    this.ipdvDelay[slot] = NaN;
    this.availUp[slot] = 0;
    this.availPrevEnd[slot] = NaN;
    this.seq.reset(slot, seqBits);
    this.dedup.reset(slot);
    this.reorder.reset(slot);
    this.jitter.reset(slot);
    return slot;
  }

  release(slot: number): void {
    this.keys[slot] = undefined;
    this.identities[slot] = undefined;
    this.flowIds[slot] = undefined;
    this.held.delete(slot);
    this.freeSlots.push(slot);
    this.count--;
  }

  /**
   * Moves the flow's time origin forward by deltaIdx windows so relative times stay far below
   * 2^53 ns (exact integers) on flows that live for months.
   */
  rebase(slot: number, deltaIdx: number, windowNs: number, windows: { relIdx: Float64Array; next: Int32Array }): void {
    const dt = deltaIdx * windowNs;
    this.epochIdx[slot] += deltaIdx;
    this.maxSend[slot] -= dt;
    this.lateIdx[slot] -= deltaIdx;
    this.availUp[slot] -= dt;
    this.availPrevEnd[slot] -= dt;
    for (let w = this.headWin[slot]; w >= 0; w = windows.next[w]) {
      windows.relIdx[w] -= deltaIdx;
    }
    const h = this.held.get(slot);
    if (h !== undefined) {
      h.relT -= dt;
      h.relIdx -= deltaIdx;
    }
  }

  private grow(capacity: number): void {
    this.partition = growI32(this.partition, capacity);
    this.posInPartition = growI32(this.posInPartition, capacity);
    this.epochIdx = growF64(this.epochIdx, capacity);
    this.maxSend = growF64(this.maxSend, capacity);
    this.lateIdx = growF64(this.lateIdx, capacity);
    this.headWin = growI32(this.headWin, capacity);
    this.lastWin = growI32(this.lastWin, capacity);
    this.sizeHint = growU32(this.sizeHint, capacity);
    this.countedUpTo = growF64(this.countedUpTo, capacity);
    this.lossRun = growF64(this.lossRun, capacity);
    this.ipdvExt = growF64(this.ipdvExt, capacity);
    this.ipdvDelay = growF64(this.ipdvDelay, capacity);
    this.availUp = growF64(this.availUp, capacity);
    this.availPrevEnd = growF64(this.availPrevEnd, capacity);
    this.seq.grow(capacity);
    this.dedup.grow(capacity);
    this.reorder.grow(capacity);
    this.jitter.grow(capacity);
    this.capacity = capacity;
  }
}
