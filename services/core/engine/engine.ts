// MetricEngine: decoded batches in, window rows and counted discards out. Pure and synchronous;
// the worker drives it (ingest per batch, tick with processing time, drain after each poll,
// flushPartition on rebalance or shutdown). docs/metrics.md is the reference for every output.
import type { DecodedBatch, DecodedFlow, Identity } from '../wire/batch.ts';
import { validateEngineConfig, type EngineConfig } from './config.ts';
import type { EngineOutput, EngineStats, WindowRow } from './window-row.ts';
import { EngineCore, type PendingRow } from './core.ts';
import { ingestSegment, type SegmentParams } from './ingest.ts';
import { floorDiv, floorDivBig, idleWatermarkIdx, partitionWatermarkIdx, type PartitionState } from './watermark.ts';
import { dropPartition, restorePartition, snapshotPartition } from './snapshot.ts';

/** Relative flow times are rebased before they pass this (keeps them exact far below 2^53). */
const REBASE_AFTER_NS = 2 ** 51;
const BIG_2_52 = 2n ** 52n;

export class MetricEngine {
  readonly config: Readonly<EngineConfig>;
  private readonly core: EngineCore;
  private readonly windowBig: bigint;
  private readonly params: SegmentParams = { baseRel: 0, futureOff: Infinity, paramId: 0 };

  /** Throws IsochronError CONFIG_INVALID listing every problem. Missing settings take defaults. */
  constructor(config: Partial<EngineConfig> = {}) {
    this.config = validateEngineConfig(config);
    this.core = new EngineCore(this.config);
    this.windowBig = BigInt(this.config.windowNs);
  }

  /** Samples of each flow must be in arrival order, and batches of a flow in arrival order. */
  ingest(partition: number, batch: DecodedBatch): void {
    const core = this.core;
    const flows = core.flows;
    const win = core.windows;
    const cfg = this.config;
    const W = core.windowNs;
    const Wb = this.windowBig;
    const pst = core.partition(partition);
    pst.dataSinceTick = true;
    if (batch.flows.length === 0) return;
    const id = batch.identity;
    const prefix = `${id.enterpriseId}\u0000${id.siteId}\u0000${id.networkType}\u0000${id.segmentId}\u0000${id.deviceId}`;
    let device = pst.byDevice.get(prefix);
    let identity: Identity | undefined;
    // Window arithmetic once per batch in bigint; per flow only the (small) offset to it.
    const refBase = batch.flows[0].baseSendNs;
    const refQ = Number(floorDivBig(refBase, Wb));
    const refR = Number(refBase - BigInt(refQ) * Wb);
    const limitOff = batch.createdNs > 0n ? Number(batch.createdNs + BigInt(cfg.maxClockSkewNs) - refBase) : Infinity;
    let maxIdx = -Infinity;
    let maxRem = 0;
    const p = this.params;
    for (const f of batch.flows) {
      if (f.count === 0) continue;
      core.samplesIngested += f.count;
      let qNum: number;
      let r: number;
      let dN = 0;
      if (f.baseSendNs !== refBase) {
        const d = f.baseSendNs - refBase;
        dN = Number(d);
        if (d > BIG_2_52 || d < -BIG_2_52) {
          const q = floorDivBig(f.baseSendNs, Wb);
          qNum = Number(q);
          r = Number(f.baseSendNs - q * Wb);
        } else {
          const k = floorDiv(refR + dN, W);
          qNum = refQ + k;
          r = refR + dN - k * W;
        }
      } else {
        qNum = refQ;
        r = refR;
      }
      let slot = device?.get(f.flowId);
      if (slot === undefined) {
        identity ??= { ...id };
        const key = `${prefix}\u0000${f.flowId}`;
        if (flows.count >= cfg.maxFlows) {
          this.discardUntracked(partition, identity, key, f, qNum, r);
          continue;
        }
        slot = flows.alloc(key, identity, f.flowId, partition, qNum, f.seqBits, pst.closedBeforeIdx - qNum);
        if (device === undefined) {
          device = new Map<string, number>();
          pst.byDevice.set(prefix, device);
        }
        device.set(f.flowId, slot);
        flows.posInPartition[slot] = pst.flows.length;
        pst.flows.push(slot);
      } else {
        if ((qNum - flows.epochIdx[slot]) * W > REBASE_AFTER_NS) flows.rebase(slot, qNum - flows.epochIdx[slot], W, win);
        const rel = pst.closedBeforeIdx - flows.epochIdx[slot];
        if (rel > flows.lateIdx[slot]) flows.lateIdx[slot] = rel;
      }
      if (f.seqBits !== flows.seq.bits[slot]) {
        // A flow cannot change its sequence width; its numbers cannot be compared.
        for (let i = 0; i < f.count; i++) core.discardAt(slot, floorDiv(r + f.sendOffsetNs[i], W) + qNum - flows.epochIdx[slot], 'bad_sequence', 1);
        continue;
      }
      p.baseRel = (qNum - flows.epochIdx[slot]) * W + r;
      p.futureOff = limitOff - dN;
      p.paramId = win.paramId(
        f.transferIntervalNs > 0 ? f.transferIntervalNs : cfg.defaultTransferIntervalNs,
        f.maxLatencyNs > 0 ? f.maxLatencyNs : cfg.defaultMaxLatencyNs,
        f.survivalTimeNs > 0 ? f.survivalTimeNs : cfg.defaultSurvivalTimeNs,
      );
      ingestSegment(core, slot, f, p);
      const late = flows.lateIdx[slot];
      const head = flows.headWin[slot];
      if (head >= 0 && win.relIdx[head] < late) core.closeBelow(slot, late);
      const maxSend = flows.maxSend[slot];
      if (maxSend > -Infinity) {
        const k = floorDiv(maxSend, W);
        const idx = flows.epochIdx[slot] + k;
        const rem = maxSend - k * W;
        if (idx > maxIdx || (idx === maxIdx && rem > maxRem)) {
          maxIdx = idx;
          maxRem = rem;
        }
      }
    }
    if (maxIdx > -Infinity) {
      const batchMax = BigInt(maxIdx) * Wb + BigInt(maxRem);
      if (pst.maxSendNs === null || batchMax > pst.maxSendNs) {
        pst.maxSendNs = batchMax;
        const wm = partitionWatermarkIdx(batchMax, cfg.allowedLatenessNs, cfg.flowIdleGraceNs, W);
        if (wm > pst.closedBeforeIdx) {
          pst.closedBeforeIdx = wm;
          this.sweep(pst);
        }
      }
    }
  }

  /**
   * Processing time as data: closes windows of a partition that has been idle (rule c). Returns
   * whether the partition's state changed (its closing point moved), so the caller can
   * checkpoint a state that moved without a new record.
   */
  tick(partition: number, nowNs: bigint): boolean {
    const pst = this.core.partitions.get(partition);
    if (pst === undefined) return false;
    if (pst.dataSinceTick || pst.lastActiveNs === null) {
      pst.lastActiveNs = nowNs;
      pst.dataSinceTick = false;
      return false;
    }
    if (nowNs - pst.lastActiveNs < BigInt(this.config.partitionIdleTimeoutNs)) return false;
    const idx = idleWatermarkIdx(nowNs, this.config.maxClockSkewNs, this.config.allowedLatenessNs, this.config.windowNs);
    if (idx <= pst.closedBeforeIdx) return false;
    pst.closedBeforeIdx = idx;
    this.sweep(pst);
    return true;
  }

  /**
   * Processing time that must not count as idle: the partition has records waiting, is being
   * restored or paused, or the worker was stalled. Rule (c)'s clock starts again at the next tick.
   */
  holdIdle(partition: number): void {
    const pst = this.core.partitions.get(partition);
    if (pst !== undefined) pst.dataSinceTick = true;
  }

  /** Rows of every window closed since the last drain, and the discards counted since then. */
  drain(): EngineOutput {
    const rows = this.core.rows.splice(0, this.core.rows.length);
    return { windows: sortRows(rows), discards: this.core.discards.take(this.windowBig) };
  }

  /** Closes every window of the partition, forgets its flows, returns that partition's output. */
  flushPartition(partition: number): EngineOutput {
    const core = this.core;
    const pst = core.partitions.get(partition);
    if (pst !== undefined) {
      for (const slot of [...pst.flows]) {
        core.closeBelow(slot, Infinity);
        const h = core.flows.held.get(slot);
        if (h !== undefined) core.discardAt(slot, h.relIdx, 'bad_sequence', 1);
        core.dropFlow(slot);
      }
      core.partitions.delete(partition);
    }
    const mine: PendingRow[] = [];
    const rest: PendingRow[] = [];
    for (const r of core.rows) (r.partition === partition ? mine : rest).push(r);
    core.rows.length = 0;
    core.rows.push(...rest);
    return { windows: sortRows(mine), discards: core.discards.take(this.windowBig, partition) };
  }

  /**
   * The partition's complete state (flows, open windows, watermark) as bytes, for a checkpoint.
   * Drain first: closed rows and discards are not part of it.
   */
  snapshotPartition(partition: number): Uint8Array {
    return snapshotPartition(this.core, partition);
  }

  /**
   * Replaces the partition's state with a snapshot taken by an engine with the same window and
   * sequence settings; throws IsochronError ENGINE_STATE_INVALID otherwise. Rows emitted from
   * then on are identical to those of the engine that took the snapshot.
   */
  restorePartition(partition: number, state: Uint8Array): void {
    restorePartition(this.core, partition, state);
  }

  /** Forgets a partition without closing anything (it moved to another worker). */
  dropPartition(partition: number): void {
    dropPartition(this.core, partition);
  }

  stats(): EngineStats {
    const core = this.core;
    return {
      openWindows: core.windows.open,
      flows: core.flows.count,
      partitions: core.partitions.size,
      bufferedSamples: core.windows.pool.capacityInUse,
      pendingRows: core.rows.length,
      samplesIngested: core.samplesIngested,
      samplesDiscarded: core.discards.total,
      flowsEvicted: core.flowsEvicted,
    };
  }

  /** Rules (b)/(c): close what the partition threshold passed; forget long-quiet flows. */
  private sweep(pst: PartitionState): void {
    const core = this.core;
    const flows = core.flows;
    const evictNs = this.config.flowEvictAfterNs;
    for (const slot of [...pst.flows]) {
      core.closeFlowBefore(slot, pst.closedBeforeIdx);
      if (flows.headWin[slot] >= 0 || flows.held.has(slot) || pst.maxSendNs === null) continue;
      const leadRel = Number(pst.maxSendNs - BigInt(flows.epochIdx[slot]) * this.windowBig);
      if (!(leadRel - flows.maxSend[slot] < evictNs)) {
        core.dropFlow(slot);
        core.flowsEvicted++;
      }
    }
  }

  private discardUntracked(partition: number, identity: Identity, key: string, f: DecodedFlow, qNum: number, r: number): void {
    const W = this.config.windowNs;
    let last = NaN;
    let run = 0;
    for (let i = 0; i < f.count; i++) {
      const abs = qNum + floorDiv(r + f.sendOffsetNs[i], W);
      if (abs !== last && run > 0) {
        this.core.discards.add(partition, identity, f.flowId, key, last, 'flow_state_full', run);
        run = 0;
      }
      last = abs;
      run++;
    }
    if (run > 0) this.core.discards.add(partition, identity, f.flowId, key, last, 'flow_state_full', run);
  }
}

function sortRows(rows: PendingRow[]): WindowRow[] {
  rows.sort((a, b) => (a.flowKey < b.flowKey ? -1 : a.flowKey > b.flowKey ? 1 : a.absIdx - b.absIdx || a.partition - b.partition));
  return rows.map((r) => r.row);
}
