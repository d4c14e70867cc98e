// The worker's processing of consumed records: decode, feed the metric engine, dead-letter
// what cannot be decoded (reason and source offset in headers), and hand closed windows to
// the sink. Delivery is effectively-once (docs/delivery.md):
//   - a checkpoint is a consistent cut: the engine's state of a partition at an offset, taken
//     synchronously together with the rows closed before it;
//   - the rows are made durable first, then the checkpoint, and only then is the offset
//     committed; a worker that gets the partition restores the checkpoint and skips records
//     below its offset, so the windows it emits are identical to an undisturbed run.
import type { ConsumedBatch, TopicPartitionOffset } from '../adapters/kafka/client.ts';
import type { MetricEngine } from '../core/engine/engine.ts';
import type { EngineOutput } from '../core/engine/window-row.ts';
import type { DiscardSource } from '../adapters/clickhouse/window-columns.ts';
import { isIsochronError } from '../core/errors.ts';
import { decodeBatch } from '../core/wire/decode-batch.ts';
import type { WireLimits } from '../core/wire/limits.ts';
import type { DecodedBatch } from '../core/wire/batch.ts';
import type { CheckpointStore } from './checkpoints.ts';
import type { WorkerMetrics } from './metrics.ts';
import type { ClickHouseSink } from './sink.ts';

export interface DeadLetter {
  readonly value: Buffer | null;
  readonly key: Buffer | null;
  readonly headers: Record<string, string>;
}

export interface PipelineDeps {
  readonly topic: string;
  readonly engine: MetricEngine;
  readonly sink: ClickHouseSink;
  readonly checkpoints: CheckpointStore;
  readonly limits: WireLimits;
  readonly metrics: WorkerMetrics;
  readonly sendDeadLetter: (record: DeadLetter) => Promise<void>;
  /** Asks the consumer to deliver the partition again from `offset` (a gap was seen). */
  readonly seek: (partition: number, offset: bigint) => void;
  readonly log: (line: string) => void;
}

/** Latest send time (ns since the epoch) in a decoded batch, or -1n when it has no samples. */
function maxSendNs(batch: DecodedBatch): bigint {
  let best = -1n;
  for (const f of batch.flows) {
    if (f.count === 0) continue;
    let m = -Infinity;
    const off = f.sendOffsetNs;
    for (let i = 0; i < f.count; i++) if (off[i] > m) m = off[i];
    const t = f.baseSendNs + BigInt(m);
    if (t > best) best = t;
  }
  return best;
}

interface PartitionProgress {
  /** Next offset this worker expects; undefined until the partition's state is restored. */
  next: bigint | undefined;
  /** Records below this offset are already inside the restored state. */
  skipBelow: bigint;
  /** Offset of the last durable checkpoint (what may be committed). */
  checkpointed: bigint | undefined;
  /** Latest event time seen (for the watermark-lag gauge); -1n before any. */
  maxSendNs: bigint;
}

export class WorkerPipeline {
  private readonly partitions = new Map<number, PartitionProgress>();

  constructor(private readonly deps: PipelineDeps) {}

  /** Partitions whose records this worker processes now. */
  assignedPartitions(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  assign(partitions: readonly number[]): void {
    for (const p of partitions) if (!this.partitions.has(p)) this.partitions.set(p, { next: undefined, skipBelow: 0n, checkpointed: undefined, maxSendNs: -1n });
  }

  /** Forgets partitions another member now owns; their state lives on in their checkpoints. */
  revoke(partitions: readonly number[]): void {
    for (const p of partitions) {
      this.partitions.delete(p);
      this.deps.engine.dropPartition(p);
      // Another member reports these partitions now: no stale series from this one.
      for (const g of [this.deps.metrics.consumerLag, this.deps.metrics.consumerLagSeconds, this.deps.metrics.watermarkLagSeconds]) g.remove({ partition: String(p) });
    }
  }

  async handleBatch(batch: ConsumedBatch): Promise<void> {
    if (batch.messages.length === 0) return;
    const { engine, metrics } = this.deps;
    const p = batch.partition;
    this.assign([p]);
    let prog = this.partitions.get(p)!;
    const first = BigInt(batch.messages[0].offset);
    if (prog.next === undefined) {
      // New to this partition (start, rebalance, or a failed step before): continue from its
      // last checkpoint, never from possibly stale local state.
      await this.restore(p, first);
      const restored = this.partitions.get(p);
      if (restored === undefined) return; // revoked while restoring
      prog = restored;
    }
    if (prog.next !== undefined && first > prog.next) {
      // Records between what the state holds and this batch were not seen here: read them first.
      metrics.checkpointGaps.inc();
      this.deps.log(`partition ${p}: batch starts at ${first}, state is at ${prog.next}; seeking back`);
      this.deps.seek(p, prog.next);
      return;
    }
    // Records below prog.next are already in the state (re-delivery or a restored checkpoint).
    prog.skipBelow = prog.next ?? 0n;
    try {
      await this.ingestRecords(batch, prog);
    } catch (e) {
      // The engine may hold part of a record: forget the partition; the next batch restores it.
      this.partitions.set(p, { next: undefined, skipBelow: 0n, checkpointed: undefined, maxSendNs: -1n });
      throw e;
    }
    const lastMessage = batch.messages[batch.messages.length - 1];
    const lag = BigInt(batch.highWatermark) - BigInt(lastMessage.offset) - 1n;
    metrics.consumerLag.set({ partition: String(p) }, Number(lag < 0n ? 0n : lag));
    // Lag in time: how old the newest record read is, while records are still waiting.
    metrics.consumerLagSeconds.set({ partition: String(p) }, lag > 0n ? Math.max(0, (Date.now() - lastMessage.timestampMs) / 1000) : 0);
    this.take(engine.drain());
  }

  private async ingestRecords(batch: ConsumedBatch, prog: PartitionProgress): Promise<void> {
    const { engine, metrics } = this.deps;
    const p = batch.partition;
    for (const m of batch.messages) {
      const offset = BigInt(m.offset);
      if (offset < prog.skipBelow) continue;
      if (m.value === null || m.value.length === 0) {
        await this.deadLetter(batch, m.offset, m.key, m.value, 'ISO_WIRE_MALFORMED', 'empty record value');
      } else {
        try {
          const decoded = decodeBatch(m.value, this.deps.limits);
          engine.ingest(p, decoded);
          const latest = maxSendNs(decoded);
          if (latest > prog.maxSendNs) prog.maxSendNs = latest;
          // Drained per record so every discard row carries the record it came from.
          this.take(engine.drain(), { partition: p, offset });
          metrics.recordsIn.inc({ outcome: 'ingested' });
          metrics.samplesIn.inc(decoded.sampleCount);
        } catch (e) {
          if (!isIsochronError(e)) throw e;
          await this.deadLetter(batch, m.offset, m.key, m.value, e.code, e.message);
        }
      }
      prog.next = offset + 1n;
    }
  }

  /** Hands engine output to the sink and counts it. */
  private take(out: EngineOutput, source?: DiscardSource): void {
    const { metrics } = this.deps;
    if (out.windows.length > 0) metrics.windowsClosed.inc(out.windows.length);
    for (const d of out.discards) metrics.discardedSamples.inc({ reason: d.reason }, d.count);
    this.deps.sink.add(out, source);
  }

  private async restore(partition: number, firstOffset: bigint): Promise<void> {
    const { engine, checkpoints, metrics, log } = this.deps;
    // Until this completes the partition counts as not restored (a failure here leaves no
    // half-state behind: the next batch restores again).
    this.partitions.set(partition, { next: undefined, skipBelow: 0n, checkpointed: undefined, maxSendNs: -1n });
    engine.dropPartition(partition);
    // ClickHouse may be down: keep the batch in hand (its partition stalls, nothing is skipped)
    // and try again with capped backoff.
    let cp: Awaited<ReturnType<CheckpointStore['latest']>>;
    for (let delayMs = 200; ; delayMs = Math.min(5000, delayMs * 2)) {
      try {
        cp = await checkpoints.latest(partition);
        break;
      } catch (e) {
        if (!isIsochronError(e) || !e.retriable) throw e;
        metrics.insertRetries.inc();
        log(`partition ${partition}: reading its checkpoint failed, retrying: ${e.message}`);
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
    if (!this.partitions.has(partition)) return; // revoked meanwhile
    if (cp) {
      engine.restorePartition(partition, cp.state);
      metrics.restores.inc({ source: 'checkpoint' });
      this.partitions.set(partition, { next: cp.offset, skipBelow: cp.offset, checkpointed: cp.offset, maxSendNs: -1n });
    } else {
      // No checkpoint yet: the partition starts empty, from where the consumer starts it
      // (the beginning of what is retained, for a new group).
      metrics.restores.inc({ source: 'empty' });
      this.partitions.set(partition, { next: firstOffset, skipBelow: firstOffset, checkpointed: undefined, maxSendNs: -1n });
    }
  }

  /** Wall clock minus each partition's event-time watermark (latest send time - lateness), in s. */
  watermarkLagSeconds(nowNs: bigint, allowedLatenessNs: number): Map<number, number> {
    const out = new Map<number, number>();
    for (const [p, prog] of this.partitions) {
      if (prog.maxSendNs >= 0n) out.set(p, Number(nowNs - prog.maxSendNs + BigInt(allowedLatenessNs)) / 1e9);
    }
    return out;
  }

  /** Idle rule input: processing time, as data, for every partition this worker owns. */
  tick(nowNs: bigint): void {
    // Only partitions whose state is restored: a take-over must not close windows before the
    // records that complete them are replayed.
    for (const [p, prog] of this.partitions) if (prog.next !== undefined) this.deps.engine.tick(p, nowNs);
    this.take(this.deps.engine.drain());
  }

  /** Writes every closed window (no commit). */
  async flush(): Promise<void> {
    this.take(this.deps.engine.drain());
    await this.deps.sink.flush();
  }

  /**
   * A consistent cut of the given partitions (default: all owned): rows durable, then state,
   * and the offsets that may now be committed.
   */
  async checkpoint(nowSeconds: number, only?: readonly number[]): Promise<TopicPartitionOffset[]> {
    const { engine, sink, checkpoints, metrics } = this.deps;
    // Synchronous section: rows closed so far and each partition's state, at the same point.
    this.take(engine.drain());
    const cuts: { partition: number; offset: bigint; state: Uint8Array }[] = [];
    for (const [p, prog] of this.partitions) {
      if (only && !only.includes(p)) continue;
      if (prog.next === undefined || prog.next === prog.checkpointed) continue;
      cuts.push({ partition: p, offset: prog.next, state: engine.snapshotPartition(p) });
    }
    await sink.flush();
    const offsets: TopicPartitionOffset[] = [];
    for (const c of cuts) {
      const t0 = performance.now();
      await checkpoints.save(c.partition, c.offset, c.state, nowSeconds);
      metrics.checkpointBytes.observe(c.state.length);
      metrics.checkpointSeconds.observe((performance.now() - t0) / 1000);
      const prog = this.partitions.get(c.partition);
      if (prog && (prog.checkpointed === undefined || c.offset > prog.checkpointed)) prog.checkpointed = c.offset;
      offsets.push({ topic: this.deps.topic, partition: c.partition, offset: c.offset.toString() });
    }
    return offsets;
  }

  private async deadLetter(batch: ConsumedBatch, offset: string, key: Buffer | null, value: Buffer | null, code: string, message: string): Promise<void> {
    await this.deps.sendDeadLetter({
      key,
      value,
      headers: {
        'isochron-error-code': code,
        'isochron-error-message': message.slice(0, 1000),
        'isochron-source-topic': batch.topic,
        'isochron-source-partition': String(batch.partition),
        'isochron-source-offset': offset,
      },
    });
    this.deps.metrics.recordsIn.inc({ outcome: 'dead_lettered' });
    this.deps.metrics.deadLettered.inc({ reason: code });
  }
}
