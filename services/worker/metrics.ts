// The worker's Prometheus metrics (prom-client), named by Prometheus conventions.
import client from 'prom-client';

export function createWorkerMetrics(registry: client.Registry) {
  const r = [registry];
  return {
    recordsIn: new client.Counter({ name: 'isochron_worker_records_total', help: 'Kafka records processed, by outcome', labelNames: ['outcome'], registers: r }),
    samplesIn: new client.Counter({ name: 'isochron_worker_samples_total', help: 'Samples in decoded records', registers: r }),
    deadLettered: new client.Counter({ name: 'isochron_worker_dead_lettered_total', help: 'Records sent to the dead-letter topic, by reason', labelNames: ['reason'], registers: r }),
    windowsOut: new client.Counter({ name: 'isochron_worker_window_rows_total', help: 'Window rows written to ClickHouse', registers: r }),
    discardedSamples: new client.Counter({ name: 'isochron_worker_discarded_samples_total', help: 'Samples in no window, by reason', labelNames: ['reason'], registers: r }),
    insertRows: new client.Histogram({ name: 'isochron_worker_insert_rows', help: 'Rows per ClickHouse insert', buckets: [1, 10, 100, 1000, 5000, 20000, 100000], registers: r }),
    insertSeconds: new client.Histogram({ name: 'isochron_worker_insert_duration_seconds', help: 'ClickHouse insert latency', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: r }),
    insertRetries: new client.Counter({ name: 'isochron_worker_insert_retries_total', help: 'ClickHouse insert attempts that failed and were retried', registers: r }),
    insertRejectedRows: new client.Counter({ name: 'isochron_worker_insert_rejected_rows_total', help: 'Rows ClickHouse rejected as bad data (not retried)', registers: r }),
    consumerLag: new client.Gauge({ name: 'isochron_worker_consumer_lag_records', help: 'Records behind the partition high watermark', labelNames: ['partition'], registers: r }),
    openWindows: new client.Gauge({ name: 'isochron_worker_open_windows', help: 'Windows open in the engine', registers: r }),
    flows: new client.Gauge({ name: 'isochron_worker_flows', help: 'Flows with state in the engine', registers: r }),
    pendingRows: new client.Gauge({ name: 'isochron_worker_pending_rows', help: 'Rows waiting to be inserted', registers: r }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
