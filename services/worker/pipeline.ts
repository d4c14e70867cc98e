// The worker's processing of consumed records: decode, feed the metric engine, dead-letter
// what cannot be decoded (with the reason and source offset in headers), and hand closed
// windows to the sink. Offsets are committed only after the sink confirmed the rows.
import type { ConsumedBatch, TopicPartitionOffset } from '../adapters/kafka/client.ts';
import type { MetricEngine } from '../core/engine/engine.ts';
import { isIsochronError } from '../core/errors.ts';
import { decodeBatch } from '../core/wire/decode-batch.ts';
import type { WireLimits } from '../core/wire/limits.ts';
import type { ClickHouseSink } from './sink.ts';
import type { WorkerMetrics } from './metrics.ts';

export interface DeadLetter {
  readonly value: Buffer | null;
  readonly key: Buffer | null;
  readonly headers: Record<string, string>;
}

export interface PipelineDeps {
  readonly engine: MetricEngine;
  readonly sink: ClickHouseSink;
  readonly limits: WireLimits;
  readonly metrics: WorkerMetrics;
  readonly sendDeadLetter: (record: DeadLetter) => Promise<void>;
}

export class WorkerPipeline {
  /** Next offset to commit per "topic\0partition", advanced as records are processed. */
  private readonly processed = new Map<string, TopicPartitionOffset>();

  constructor(private readonly deps: PipelineDeps) {}

  async handleBatch(batch: ConsumedBatch): Promise<void> {
    const { engine, metrics } = this.deps;
    for (const m of batch.messages) {
      if (m.value === null || m.value.length === 0) {
        await this.deadLetter(batch, m.offset, m.key, m.value, 'ISO_WIRE_MALFORMED', 'empty record value');
      } else {
        try {
          const decoded = decodeBatch(m.value, this.deps.limits);
          engine.ingest(batch.partition, decoded);
          metrics.recordsIn.inc({ outcome: 'ingested' });
          metrics.samplesIn.inc(decoded.sampleCount);
        } catch (e) {
          if (!isIsochronError(e)) throw e;
          await this.deadLetter(batch, m.offset, m.key, m.value, e.code, e.message);
        }
      }
      this.processed.set(`${batch.topic}\u0000${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: String(BigInt(m.offset) + 1n) });
    }
    const lagOffsets = BigInt(batch.highWatermark) - (BigInt(batch.messages[batch.messages.length - 1]?.offset ?? batch.highWatermark) + 1n);
    metrics.consumerLag.set({ partition: String(batch.partition) }, Number(lagOffsets < 0n ? 0n : lagOffsets));
    this.deps.sink.add(engine.drain());
  }

  /** Idle rule input: processing time, as data, for every partition this worker reads. */
  tick(partitions: readonly number[], nowNs: bigint): void {
    for (const p of partitions) this.deps.engine.tick(p, nowNs);
    this.deps.sink.add(this.deps.engine.drain());
  }

  /**
   * Writes every closed window and returns the offsets that may be committed now (those of
   * records processed before the rows were taken).
   */
  async flush(): Promise<TopicPartitionOffset[]> {
    const offsets = [...this.processed.values()];
    await this.deps.sink.flush();
    return offsets;
  }

  /** Closes every window of a partition (revoked or shutting down) into the sink. */
  flushPartition(partition: number): void {
    this.deps.sink.add(this.deps.engine.flushPartition(partition));
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
