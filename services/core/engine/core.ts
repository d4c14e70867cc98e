// Shared state of one MetricEngine and the operations on flows and windows that ingest.ts,
// close-window.ts and engine.ts build on. Synchronous, no I/O, no clock.
import type { Identity } from '../wire/batch.ts';
import type { EngineConfig } from './config.ts';
import type { DiscardReason, WindowRow } from './window-row.ts';
import { FlowTable } from './flow-table.ts';
import { WindowStore } from './window-store.ts';
import { DiscardCounter } from './discards.ts';
import { PartitionState } from './watermark.ts';
import { closeWindow, CloseScratch } from './close-window.ts';
import { MAX_CLASS } from './sample-pool.ts';

export interface PendingRow {
  partition: number;
  flowKey: string;
  absIdx: number;
  row: WindowRow;
}

export class EngineCore {
  readonly windowNs: number;
  readonly latenessNs: number;
  readonly flows: FlowTable;
  readonly windows: WindowStore;
  readonly discards = new DiscardCounter();
  readonly partitions = new Map<number, PartitionState>();
  readonly rows: PendingRow[] = [];
  readonly scratch = new CloseScratch();
  samplesIngested = 0;
  flowsEvicted = 0;

  constructor(readonly config: Readonly<EngineConfig>) {
    this.windowNs = config.windowNs;
    this.latenessNs = config.allowedLatenessNs;
    this.flows = new FlowTable(config);
    this.windows = new WindowStore(1 << 16);
  }

  partition(p: number): PartitionState {
    let st = this.partitions.get(p);
    if (st === undefined) {
      st = new PartitionState();
      this.partitions.set(p, st);
    }
    return st;
  }

  /** The open window of flow `slot` with relative index relIdx, created when missing. */
  getWindow(slot: number, relIdx: number, paramId: number): number {
    const flows = this.flows;
    const win = this.windows;
    const last = flows.lastWin[slot];
    if (last >= 0 && win.relIdx[last] === relIdx) return last;
    let prev = -1;
    let w = flows.headWin[slot];
    while (w >= 0 && win.relIdx[w] < relIdx) {
      prev = w;
      w = win.next[w];
    }
    if (w < 0 || win.relIdx[w] !== relIdx) {
      // Periodic flows fill windows alike: size the buffer like the previous window.
      let hint = flows.sizeHint[slot];
      if (prev >= 0 && win.received[prev] > hint) hint = win.received[prev];
      const cls = hint <= 1 ? 0 : Math.min(MAX_CLASS - 4, 32 - Math.clz32(hint - 1));
      const nw = win.alloc(slot, relIdx, paramId, cls);
      win.next[nw] = w;
      if (prev < 0) flows.headWin[slot] = nw;
      else win.next[prev] = nw;
      w = nw;
    }
    flows.lastWin[slot] = w;
    return w;
  }

  /** Closes the flow's windows with relative index below relIdx, in index order. */
  closeBelow(slot: number, relIdx: number): void {
    const flows = this.flows;
    const win = this.windows;
    let w = flows.headWin[slot];
    while (w >= 0 && win.relIdx[w] < relIdx) {
      const next = win.next[w];
      flows.headWin[slot] = next;
      if (flows.lastWin[slot] === w) flows.lastWin[slot] = -1;
      closeWindow(this, slot, w);
      win.release(w);
      w = next;
    }
  }

  /** Raises the flow's lateness threshold (rules b, c, flush) and closes what falls below it. */
  closeFlowBefore(slot: number, absIdx: number): void {
    const rel = absIdx - this.flows.epochIdx[slot];
    if (rel > this.flows.lateIdx[slot]) this.flows.lateIdx[slot] = rel;
    this.closeBelow(slot, this.flows.lateIdx[slot]);
  }

  discardAt(slot: number, relIdx: number, reason: DiscardReason, count: number): void {
    const f = this.flows;
    this.discards.add(f.partition[slot], f.identities[slot] as Identity, f.flowIds[slot] as string, f.keys[slot] as string, f.epochIdx[slot] + relIdx, reason, count);
  }

  /** Forgets a flow whose windows are all closed. */
  dropFlow(slot: number): void {
    const p = this.partitions.get(this.flows.partition[slot]);
    if (p !== undefined) {
      const pos = this.flows.posInPartition[slot];
      const last = p.flows.pop() as number;
      if (last !== slot) {
        p.flows[pos] = last;
        this.flows.posInPartition[last] = pos;
      }
      const key = this.flows.keys[slot] as string;
      const flowId = this.flows.flowIds[slot] as string;
      const prefix = key.slice(0, key.length - flowId.length - 1);
      const device = p.byDevice.get(prefix);
      if (device !== undefined) {
        device.delete(flowId);
        if (device.size === 0) p.byDevice.delete(prefix);
      }
    }
    this.flows.release(slot);
  }
}
