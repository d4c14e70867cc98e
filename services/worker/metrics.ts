// The worker's Prometheus metrics (prom-client), named by Prometheus conventions.
import client from 'prom-client';
import { registerProcessMetrics } from '../adapters/metrics/process-metrics.ts';

export function createWorkerMetrics(registry: client.Registry) {
  const r = [registry];
  registerProcessMetrics(registry, 'isochron_worker_');
  return {
    recordsIn: new client.Counter({ name: 'isochron_worker_records_total', help: 'Kafka records processed, by outcome', labelNames: ['outcome'], registers: r }),
    samplesIn: new client.Counter({ name: 'isochron_worker_samples_total', help: 'Samples in decoded records', registers: r }),
    deadLettered: new client.Counter({ name: 'isochron_worker_dead_lettered_total', help: 'Records sent to the dead-letter topic, by reason', labelNames: ['reason'], registers: r }),
    windowsClosed: new client.Counter({ name: 'isochron_worker_windows_closed_total', help: 'Windows closed by the engine (rows emitted)', registers: r }),
    windowsOut: new client.Counter({ name: 'isochron_worker_window_rows_written_total', help: 'Window rows written to ClickHouse (re-emitted rows included)', registers: r }),
    discardedSamples: new client.Counter({ name: 'isochron_worker_discarded_samples_total', help: 'Samples in no window, by reason', labelNames: ['reason'], registers: r }),
    insertRows: new client.Histogram({ name: 'isochron_worker_insert_rows', help: 'Rows per ClickHouse insert', buckets: [1, 10, 100, 1000, 5000, 20000, 100000], registers: r }),
    insertSeconds: new client.Histogram({ name: 'isochron_worker_insert_duration_seconds', help: 'ClickHouse insert latency', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: r }),
    insertRetries: new client.Counter({ name: 'isochron_worker_insert_retries_total', help: 'ClickHouse insert attempts that failed and were retried', registers: r }),
    insertRejectedRows: new client.Counter({ name: 'isochron_worker_insert_rejected_rows_total', help: 'Rows ClickHouse rejected as bad data (not retried; window and discard rows are dead-lettered, a refused rollup refresh counts 1)', labelNames: ['table', 'reason'], registers: r }),
    consumerLag: new client.Gauge({ name: 'isochron_worker_consumer_lag_records', help: 'Records behind the partition high watermark', labelNames: ['partition'], registers: r }),
    consumerLagSeconds: new client.Gauge({ name: 'isochron_worker_consumer_lag_seconds', help: 'Age of the newest record read while the partition still has records waiting', labelNames: ['partition'], registers: r }),
    watermarkLagSeconds: new client.Gauge({ name: 'isochron_worker_watermark_lag_seconds', help: 'Wall clock minus the partition event-time watermark', labelNames: ['partition'], registers: r }),
    bufferedSamples: new client.Gauge({ name: 'isochron_worker_buffered_samples', help: 'Samples held in open windows', registers: r }),
    openWindows: new client.Gauge({ name: 'isochron_worker_open_windows', help: 'Windows open in the engine', registers: r }),
    flows: new client.Gauge({ name: 'isochron_worker_flows', help: 'Flows with state in the engine', registers: r }),
    restores: new client.Counter({ name: 'isochron_worker_partition_restores_total', help: 'Partitions taken over, by where their state came from', labelNames: ['source'], registers: r }),
    restoreSeconds: new client.Histogram({ name: 'isochron_worker_restore_duration_seconds', help: 'Time to restore one partition from its checkpoint (read and decode)', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: r }),
    restoreFailures: new client.Counter({ name: 'isochron_worker_restore_failures_total', help: 'Partition restore attempts that failed and will be retried', registers: r }),
    endOffset: new client.Gauge({ name: 'isochron_worker_end_offset', help: 'End offset (high watermark) of an owned partition as last asked of the broker', labelNames: ['partition'], registers: r }),
    committedOffset: new client.Gauge({ name: 'isochron_worker_committed_offset', help: 'Next offset of an owned partition last committed to Kafka', labelNames: ['partition'], registers: r }),
    checkpointGaps: new client.Counter({ name: 'isochron_worker_checkpoint_gaps_total', help: 'Take-overs whose committed offset was past the latest checkpoint', registers: r }),
    checkpointBytes: new client.Histogram({ name: 'isochron_worker_checkpoint_bytes', help: 'Size of one partition checkpoint', buckets: [1e3, 1e4, 1e5, 1e6, 1e7, 1e8], registers: r }),
    checkpointSeconds: new client.Histogram({ name: 'isochron_worker_checkpoint_duration_seconds', help: 'Time to write one checkpoint round (the states of all partitions cut together)', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: r }),
    rebalances: new client.Counter({ name: 'isochron_worker_rebalances_total', help: 'Partition assignment changes, by kind', labelNames: ['kind'], registers: r }),
    paused: new client.Gauge({ name: 'isochron_worker_paused_partitions', help: 'Partitions paused because the sink is full', registers: r }),
    pendingRows: new client.Gauge({ name: 'isochron_worker_pending_rows', help: 'Rows waiting to be inserted', registers: r }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
