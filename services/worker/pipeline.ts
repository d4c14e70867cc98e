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
import { IdleJudge, type EndOffsetObservation } from '../core/engine/idleness.ts';
import type { CheckpointStore } from '../adapters/clickhouse/checkpoints.ts';
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
  /** How old an end-offset observation (and the gap between ticks) may be for rule (c) to trust it. */
  readonly maxObservationAgeMs: number;
  /** Longest gap between two ticks that is not a stall of the worker. */
  readonly maxTickGapMs: number;
  /** Records waiting and no progress for this long: not ready. */
  readonly progressTimeoutMs: number;
  /** Fault injection for tests: wait this long before each partition restore (0 in production). */
  readonly restoreDelayMs: number;
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
  /** Resolves once the partition's state is restored (never rejects: restore retries). */
  readonly restoring: Promise<void>;
  restored: boolean;
  /** Next offset the state expects; undefined until restored, or before the first record of an empty restore. */
  next: bigint | undefined;
  /** Records below this offset are already inside the restored state. */
  skipBelow: bigint;
  /** Offset of the last durable checkpoint (what may be committed). */
  checkpointed: bigint | undefined;
  /** Latest event time seen (for the watermark-lag gauge); -1n before any. */
  maxSendNs: bigint;
  /** Failed restore attempts since the partition was assigned (0 once restored). */
  restoreFailures: number;
  /** When `next` last moved (or the partition was assigned), ms since the epoch. */
  progressAtMs: number;
  /** Since when the broker's answers show records waiting (undefined while caught up). */
  waitingSinceMs: number | undefined;
  /**
   * The idle rule moved the state since the last checkpoint without a new record: checkpoint it
   * again at the same offset, or a restore would reopen windows the rows already closed.
   */
  idleClosed: boolean;
}

/** Restores run concurrently, this many at a time, so a worker with hundreds of partitions does not flood ClickHouse. */
const MAX_CONCURRENT_RESTORES = 8;

export interface WorkerHealth {
  readonly ready: boolean;
  readonly problems: readonly string[];
}

export class WorkerPipeline {
  private readonly partitions = new Map<number, PartitionProgress>();
  private readonly idle: IdleJudge;
  private restoresRunning = 0;
  private readonly restoreQueue: (() => void)[] = [];

  constructor(private readonly deps: PipelineDeps) {
    this.idle = new IdleJudge(BigInt(deps.maxObservationAgeMs) * 1_000_000n, BigInt(deps.maxTickGapMs) * 1_000_000n);
  }

  /** Partitions whose records this worker processes now. */
  assignedPartitions(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  /** Takes partitions over: every one starts restoring its state at once (docs/delivery.md). */
  assign(partitions: readonly number[]): void {
    for (const p of partitions) if (!this.partitions.has(p)) this.startRestore(p);
  }

  /** Forgets partitions another member now owns; their state lives on in their checkpoints. */
  revoke(partitions: readonly number[]): void {
    for (const p of partitions) {
      this.partitions.delete(p);
      this.deps.engine.dropPartition(p);
      // Another member reports these partitions now: no stale series from this one.
      for (const g of [this.deps.metrics.consumerLag, this.deps.metrics.consumerLagSeconds, this.deps.metrics.watermarkLagSeconds, this.deps.metrics.endOffset, this.deps.metrics.committedOffset]) {
        g.remove({ partition: String(p) });
      }
    }
  }

  async handleBatch(batch: ConsumedBatch): Promise<void> {
    if (batch.messages.length === 0) return;
    const { engine, metrics } = this.deps;
    const p = batch.partition;
    this.assign([p]);
    let prog = this.partitions.get(p)!;
    if (!prog.restored) {
      await prog.restoring;
      if (this.partitions.get(p) !== prog) return; // revoked (or reset) while restoring
    }
    const first = BigInt(batch.messages[0].offset);
    // An empty restore (no checkpoint yet) starts where the consumer starts the partition (the
    // beginning of what is retained, for a new group).
    if (prog.next === undefined) {
      prog.next = first;
      prog.skipBelow = first;
    }
    if (first > prog.next) {
      // Records between what the state holds and this batch were not seen here: read them first.
      metrics.checkpointGaps.inc();
      this.deps.log(`partition ${p}: batch starts at ${first}, state is at ${prog.next}; seeking back`);
      this.deps.seek(p, prog.next);
      return;
    }
    // Records below prog.next are already in the state (re-delivery or a restored checkpoint).
    prog.skipBelow = prog.next;
    try {
      await this.ingestRecords(batch, prog);
    } catch (e) {
      // The engine may hold part of a record: forget the partition and restore it again.
      if (this.partitions.get(p) === prog) this.startRestore(p);
      throw e;
    }
    if (this.partitions.get(p) !== prog) return;
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
      // Revoked (or reset) while this batch waited on a dead-letter send: the partition's state
      // is no longer ours to change.
      if (this.partitions.get(p) !== prog) return;
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
      if (this.partitions.get(p) !== prog) return;
      prog.next = offset + 1n;
      prog.progressAtMs = Date.now();
    }
  }

  /** Hands engine output to the sink and counts it. */
  private take(out: EngineOutput, source?: DiscardSource): void {
    const { metrics } = this.deps;
    if (out.windows.length > 0) metrics.windowsClosed.inc(out.windows.length);
    for (const d of out.discards) metrics.discardedSamples.inc({ reason: d.reason }, d.count);
    this.deps.sink.add(out, source);
  }

  /** (Re)starts restoring a partition from its latest checkpoint; until then it holds no state. */
  private startRestore(partition: number): void {
    this.deps.engine.dropPartition(partition);
    let resolve!: () => void;
    const prog: PartitionProgress = {
      restoring: new Promise<void>((r) => (resolve = r)),
      restored: false,
      next: undefined,
      skipBelow: 0n,
      checkpointed: undefined,
      maxSendNs: -1n,
      restoreFailures: 0,
      progressAtMs: Date.now(),
      waitingSinceMs: undefined,
      idleClosed: false,
    };
    this.partitions.set(partition, prog);
    void this.restore(partition, prog).finally(resolve);
  }

  private async restore(partition: number, prog: PartitionProgress): Promise<void> {
    const { engine, checkpoints, metrics, log } = this.deps;
    const current = () => this.partitions.get(partition) === prog;
    await this.restoreSlot();
    try {
      // ClickHouse may be down or the checkpoint unreadable: the partition's batches wait (it
      // stalls, nothing is skipped, /readyz says so) and the read is tried again with capped backoff.
      for (let delayMs = 200; current(); delayMs = Math.min(5000, delayMs * 2)) {
        const t0 = performance.now();
        try {
          if (this.deps.restoreDelayMs > 0) await new Promise((r) => setTimeout(r, this.deps.restoreDelayMs));
          const cp = await checkpoints.latest(partition);
          if (!current()) return;
          if (cp) {
            engine.restorePartition(partition, cp.state);
            metrics.restores.inc({ source: 'checkpoint' });
            Object.assign(prog, { next: cp.offset, skipBelow: cp.offset, checkpointed: cp.offset });
          } else {
            metrics.restores.inc({ source: 'empty' });
          }
          const seconds = (performance.now() - t0) / 1000;
          metrics.restoreSeconds.observe(seconds);
          log(`partition ${partition}: restored ${cp ? `checkpoint at offset ${cp.offset} (${cp.state.length} bytes)` : 'empty (no checkpoint)'} in ${(seconds * 1000).toFixed(0)} ms`);
          prog.restored = true;
          prog.restoreFailures = 0;
          prog.progressAtMs = Date.now();
          return;
        } catch (e) {
          if (!current()) return;
          engine.dropPartition(partition);
          prog.restoreFailures++;
          metrics.restoreFailures.inc();
          if (prog.restoreFailures === 1 || prog.restoreFailures % 10 === 0) {
            log(`partition ${partition}: restoring its checkpoint failed (attempt ${prog.restoreFailures}), retrying: ${(e as Error).message}`);
          }
          await new Promise((r) => setTimeout(r, delayMs));
        }
      }
    } finally {
      // Hand the place straight to a waiting restore, or give it back.
      const waiting = this.restoreQueue.shift();
      if (waiting) waiting();
      else this.restoresRunning--;
    }
  }

  /** Waits for one of MAX_CONCURRENT_RESTORES places. */
  private async restoreSlot(): Promise<void> {
    if (this.restoresRunning < MAX_CONCURRENT_RESTORES) this.restoresRunning++;
    else await new Promise<void>((r) => this.restoreQueue.push(r)); // the place is handed over
  }

  /** Answers of the broker about end offsets (the idleness rule's evidence), with when they were asked. */
  observeEndOffsets(observation: EndOffsetObservation, nowMs: number): void {
    this.idle.observe(observation);
    for (const [p, prog] of this.partitions) {
      const end = observation.endOffsets.get(p);
      if (end !== undefined) this.deps.metrics.endOffset.set({ partition: String(p) }, Number(end));
      if (this.idle.waiting(p, prog.next) === 0n) prog.waitingSinceMs = undefined;
      else prog.waitingSinceMs ??= nowMs;
    }
  }

  /** Offsets Kafka accepted as committed. */
  committed(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) if (this.partitions.has(o.partition)) this.deps.metrics.committedOffset.set({ partition: String(o.partition) }, Number(o.offset));
  }

  /**
   * Ready unless a partition cannot be restored, or has records waiting and has not moved for
   * `progressTimeoutMs` (stuck restore, ClickHouse down with consumption paused, a wedged loop).
   */
  health(nowMs: number): WorkerHealth {
    const problems: string[] = [];
    for (const [p, prog] of this.partitions) {
      if (prog.restoreFailures > 0) problems.push(`partition ${p}: restore failing (${prog.restoreFailures} attempts)`);
      else if (!prog.restored) {
        if (nowMs - prog.progressAtMs > this.deps.progressTimeoutMs) problems.push(`partition ${p}: restoring, no progress for ${((nowMs - prog.progressAtMs) / 1000).toFixed(0)} s`);
      } else if (prog.waitingSinceMs !== undefined) {
        // Stuck: records have waited, and nothing moved, for the whole timeout (a partition
        // that rarely gets a record is not stuck because its last record is old).
        const stuckForMs = nowMs - Math.max(prog.progressAtMs, prog.waitingSinceMs);
        if (stuckForMs > this.deps.progressTimeoutMs) problems.push(`partition ${p}: ${this.idle.waiting(p, prog.next)} records waiting, no progress for ${(stuckForMs / 1000).toFixed(0)} s`);
      }
    }
    return { ready: problems.length === 0, problems };
  }

  /** Wall clock minus each partition's event-time watermark (latest send time - lateness), in s. */
  watermarkLagSeconds(nowNs: bigint, allowedLatenessNs: number): Map<number, number> {
    const out = new Map<number, number>();
    for (const [p, prog] of this.partitions) {
      if (prog.maxSendNs >= 0n) out.set(p, Number(nowNs - prog.maxSendNs + BigInt(allowedLatenessNs)) / 1e9);
    }
    return out;
  }

  /**
   * Rule (c)'s input: processing time, as data. The idle clock of a partition runs only at ticks
   * where the worker knows it holds every record the broker has for it (core/engine/idleness.ts);
   * at every other tick (records waiting, restoring, paused, worker stalled) it is held.
   */
  tick(nowNs: bigint, paused: ReadonlySet<number>): void {
    const { engine } = this.deps;
    this.idle.beginTick(nowNs);
    for (const [p, prog] of this.partitions) {
      if (this.idle.quiet(p, { consuming: prog.restored && !paused.has(p), nextOffset: prog.next }, nowNs)) {
        if (engine.tick(p, nowNs)) prog.idleClosed = true;
      } else engine.holdIdle(p);
    }
    this.take(engine.drain());
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
      if (!prog.restored || prog.next === undefined || (prog.next === prog.checkpointed && !prog.idleClosed)) continue;
      cuts.push({ partition: p, offset: prog.next, state: engine.snapshotPartition(p) });
      prog.idleClosed = false; // this cut holds the closures; a failed save sets it again below
    }
    const offsets: TopicPartitionOffset[] = [];
    try {
      await sink.flush();
      if (cuts.length === 0) return offsets;
      const t0 = performance.now();
      await checkpoints.saveMany(cuts, nowSeconds);
      metrics.checkpointSeconds.observe((performance.now() - t0) / 1000);
    } catch (e) {
      for (const c of cuts) {
        const prog = this.partitions.get(c.partition);
        if (prog) prog.idleClosed = true; // not saved: the next round cuts the partition again
      }
      throw e;
    }
    for (const c of cuts) {
      metrics.checkpointBytes.observe(c.state.length);
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
