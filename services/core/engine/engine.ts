// MetricEngine: decoded batches in, window rows and counted discards out. Pure and synchronous;
// the worker drives it (ingest per batch, tick with processing time, drain after each poll,
// flushPartition on rebalance or shutdown). docs/metrics.md is the reference for every output.
import type { DecodedBatch, DecodedFlow, Identity } from '../wire/batch.ts';
import { validateEngineConfig, type EngineConfig } from './config.ts';
import type { EngineOutput, EngineStats, WindowRow } from './window-row.ts';
import { EngineCore, type PendingRow } from './core.ts';
import { ingestSegment, type SegmentParams } from './ingest.ts';
import { floorDiv, floorDivBig, idleWatermarkIdx, partitionWatermarkIdx, type PartitionState } from './watermark.ts';

/** Relative flow times are rebased before they pass this (keeps them exact far below 2^53). */
const REBASE_AFTER_NS = 2 ** 51;

export class MetricEngine {
  readonly config: Readonly<EngineConfig>;
  private readonly core: EngineCore;
  private readonly windowBig: bigint;
  private readonly params: SegmentParams = { baseRel: 0, futureOff: Infinity, t: 0, l: 0, s: 0 };

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
    const cfg = this.config;
    const W = core.windowNs;
    const Wb = this.windowBig;
    const pst = core.partition(partition);
    pst.dataSinceTick = true;
    const id = batch.identity;
    const prefix = `${id.enterpriseId}\u0000${id.siteId}\u0000${id.networkType}\u0000${id.segmentId}\u0000${id.deviceId}`;
    let identity: Identity | undefined;
    const limitNs = batch.createdNs > 0n ? batch.createdNs + BigInt(cfg.maxClockSkewNs) : -1n;
    let batchMax: bigint | null = null;
    const p = this.params;
    for (const f of batch.flows) {
      if (f.count === 0) continue;
      core.samplesIngested += f.count;
      const key = `${prefix}\u0000${f.flowId}`;
      const q = floorDivBig(f.baseSendNs, Wb);
      const qNum = Number(q);
      const r = Number(f.baseSendNs - q * Wb);
      let slot = pst.byKey.get(key);
      if (slot === undefined) {
        identity ??= { ...id };
        if (flows.count >= cfg.maxFlows) {
          this.discardUntracked(partition, identity, key, f, qNum, r);
          continue;
        }
        slot = flows.alloc(key, identity, f.flowId, partition, qNum, f.seqBits, pst.closedBeforeIdx - qNum);
        pst.byKey.set(key, slot);
        flows.posInPartition[slot] = pst.flows.length;
        pst.flows.push(slot);
      } else {
        if ((qNum - flows.epochIdx[slot]) * W > REBASE_AFTER_NS) flows.rebase(slot, qNum - flows.epochIdx[slot], W, core.windows);
        const rel = pst.closedBeforeIdx - flows.epochIdx[slot];
        if (rel > flows.lateIdx[slot]) flows.lateIdx[slot] = rel;
      }
      if (f.seqBits !== flows.seq.bits[slot]) {
        // A flow cannot change its sequence width; its numbers cannot be compared.
        for (let i = 0; i < f.count; i++) core.discardAt(slot, floorDiv(r + f.sendOffsetNs[i], W) + qNum - flows.epochIdx[slot], 'bad_sequence', 1);
        continue;
      }
      p.baseRel = (qNum - flows.epochIdx[slot]) * W + r;
      p.futureOff = limitNs >= 0n ? Number(limitNs - f.baseSendNs) : Infinity;
      p.t = f.transferIntervalNs > 0 ? f.transferIntervalNs : cfg.defaultTransferIntervalNs;
      p.l = f.maxLatencyNs > 0 ? f.maxLatencyNs : cfg.defaultMaxLatencyNs;
      p.s = f.survivalTimeNs > 0 ? f.survivalTimeNs : cfg.defaultSurvivalTimeNs;
      ingestSegment(core, slot, f, p);
      core.closeBelow(slot, flows.lateIdx[slot]);
      const maxSend = flows.maxSend[slot];
      if (maxSend > -Infinity) {
        const abs = BigInt(flows.epochIdx[slot]) * Wb + BigInt(Math.floor(maxSend));
        if (batchMax === null || abs > batchMax) batchMax = abs;
      }
    }
    if (batchMax !== null && (pst.maxSendNs === null || batchMax > pst.maxSendNs)) {
      pst.maxSendNs = batchMax;
      const wm = partitionWatermarkIdx(batchMax, cfg.allowedLatenessNs, cfg.flowIdleGraceNs, W);
      if (wm > pst.closedBeforeIdx) {
        pst.closedBeforeIdx = wm;
        this.sweep(pst);
      }
    }
  }

  /** Processing time as data: closes windows of a partition that has been idle (rule c). */
  tick(partition: number, nowNs: bigint): void {
    const pst = this.core.partitions.get(partition);
    if (pst === undefined) return;
    if (pst.dataSinceTick || pst.lastActiveNs === null) {
      pst.lastActiveNs = nowNs;
      pst.dataSinceTick = false;
      return;
    }
    if (nowNs - pst.lastActiveNs < BigInt(this.config.partitionIdleTimeoutNs)) return;
    const idx = idleWatermarkIdx(nowNs, this.config.maxClockSkewNs, this.config.allowedLatenessNs, this.config.windowNs);
    if (idx > pst.closedBeforeIdx) {
      pst.closedBeforeIdx = idx;
      this.sweep(pst);
    }
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
