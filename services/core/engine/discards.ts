// Counted discards: samples that are in no window, aggregated per (flow, window, reason) until
// the next drain. Rows are increments (add them up downstream).
import type { Identity } from '../wire/batch.ts';
import type { DiscardReason, DiscardRow } from './window-row.ts';

interface Entry {
  partition: number;
  identity: Identity;
  flowId: string;
  flowKey: string;
  absIdx: number;
  reason: DiscardReason;
  count: number;
}

export class DiscardCounter {
  private readonly entries = new Map<string, Entry>();
  total = 0;

  add(partition: number, identity: Identity, flowId: string, flowKey: string, absIdx: number, reason: DiscardReason, count: number): void {
    this.total += count;
    const k = `${partition}\u0001${flowKey}\u0001${absIdx}\u0001${reason}`;
    const e = this.entries.get(k);
    if (e !== undefined) e.count += count;
    else this.entries.set(k, { partition, identity, flowId, flowKey, absIdx, reason, count });
  }

  /** Forgets the counts of one partition. */
  drop(partition: number): void {
    for (const [k, e] of this.entries) if (e.partition === partition) this.entries.delete(k);
  }

  /**
   * Rows in deterministic order (flow key, window, reason) and clears them; only those of one
   * partition when `partition` is given.
   */
  take(windowNs: bigint, partition?: number): DiscardRow[] {
    const list: Entry[] = [];
    for (const [k, e] of this.entries) {
      if (partition !== undefined && e.partition !== partition) continue;
      list.push(e);
      this.entries.delete(k);
    }
    list.sort((a, b) => (a.flowKey < b.flowKey ? -1 : a.flowKey > b.flowKey ? 1 : a.absIdx - b.absIdx || a.partition - b.partition || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)));
    return list.map((e) => ({
      enterpriseId: e.identity.enterpriseId,
      siteId: e.identity.siteId,
      networkType: e.identity.networkType,
      segmentId: e.identity.segmentId,
      deviceId: e.identity.deviceId,
      flowId: e.flowId,
      windowStartNs: BigInt(e.absIdx) * windowNs,
      reason: e.reason,
      count: e.count,
    }));
  }
}
