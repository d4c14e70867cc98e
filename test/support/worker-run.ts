// Running real worker processes against a topic and a database, and reading back what they
// wrote, for the delivery and failure tests.
import path from 'node:path';
import type { ClickHouse } from '../../services/adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../../services/adapters/clickhouse/migrate.ts';
import { startService, until, type ServiceProcess } from './processes.ts';
import { clickhouseUrl, freshDatabase, kafkaBrokers, uniqueName } from './stack.ts';

export interface WorkerTarget {
  readonly topic: string;
  readonly dlq: string;
  readonly groupId: string;
  readonly database: string;
  readonly ch: ClickHouse;
  readonly drop: () => Promise<void>;
}

export async function workerTarget(prefix: string, topic: string, dlq: string): Promise<WorkerTarget> {
  const { ch, database, drop } = await freshDatabase(prefix);
  await migrate(ch, database, loadMigrations(path.resolve('sql')));
  return { topic, dlq, groupId: uniqueName(`${prefix}_group`), database, ch, drop };
}

/** A port below Linux's ephemeral range (32768-60999), so no client connection holds it. */
export const freePortGuess = () => 10_000 + Math.floor(Math.random() * 22_000);

/** The port a worker started with ISOCHRON_WORKER_METRICS_PORT=0 listens on (from its start line). */
export async function metricsPortOf(w: { output(): string }, timeoutMs = 60_000): Promise<number> {
  return until('the worker metrics port', async () => {
    const m = /metrics on http:\/\/[\d.]+:(\d+)\/metrics/.exec(w.output());
    return m ? Number(m[1]) : undefined;
  }, timeoutMs, w.output);
}

/** The environment a test worker runs with: its target, short intervals, `extraEnv` last. */
export function workerEnv(t: WorkerTarget, extraEnv: Record<string, string> = {}): Record<string, string> {
  return {
    ISOCHRON_KAFKA_BROKERS: kafkaBrokers().join(','),
    ISOCHRON_TOPIC_TELEMETRY: t.topic,
    ISOCHRON_TOPIC_DEAD_LETTER: t.dlq,
    ISOCHRON_CLICKHOUSE_URL: clickhouseUrl(),
    ISOCHRON_CLICKHOUSE_DATABASE: t.database,
    ISOCHRON_WORKER_GROUP_ID: t.groupId,
    ISOCHRON_WORKER_METRICS_PORT: String(freePortGuess()),
    ISOCHRON_ALLOWED_LATENESS_MS: '500',
    // Windows close on event time only (the streams end with a closing batch): processing-time
    // idleness would make results depend on how long a test pauses.
    ISOCHRON_PARTITION_IDLE_TIMEOUT_MS: '600000',
    ISOCHRON_WORKER_FLUSH_INTERVAL_MS: '300',
    ISOCHRON_WORKER_CHECKPOINT_INTERVAL_MS: '700',
    ...extraEnv,
  };
}

export function startWorker(t: WorkerTarget, extraEnv: Record<string, string> = {}, niceness = 0): ServiceProcess {
  return startService('services/worker/main.ts', workerEnv(t, extraEnv), niceness);
}

/** Window and discard rows against the samples sent: the accounting identity (docs/metrics.md section 2). */
export async function accountedSamples(ch: ClickHouse): Promise<number> {
  const [w] = await ch.query<{ n: string }>('SELECT sum(received_packets + duplicate_packets + corrupt_packets + unreceived_reports) AS n FROM flow_windows FINAL');
  const [d] = await ch.query<{ n: string }>('SELECT sum(count) AS n FROM flow_discards FINAL');
  return Number(w.n) + Number(d.n);
}

/** Every window row (deduplicated with FINAL) in a stable order, as ClickHouse returns them. */
export async function allWindows(ch: ClickHouse): Promise<Record<string, unknown>[]> {
  return ch.query('SELECT * FROM flow_windows FINAL ORDER BY enterprise_id, device_id, flow_id, window_start_ns');
}

export async function discardTotals(ch: ClickHouse): Promise<Record<string, unknown>[]> {
  return ch.query('SELECT enterprise_id, device_id, flow_id, window_start_ns, reason, sum(count) AS n FROM flow_discards GROUP BY enterprise_id, device_id, flow_id, window_start_ns, reason ORDER BY enterprise_id, device_id, flow_id, window_start_ns, reason');
}

/**
 * Resolves once there are at least `atLeast` distinct window rows and their number has not
 * changed for `quietMs`. (A killed consumer stays in its group until the session times out,
 * so a quiet spell alone does not mean the work is done.)
 */
export async function settled(ch: ClickHouse, quietMs: number, timeoutMs: number, context: () => string, atLeast = 1): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const [r] = await ch.query<{ n: string }>('SELECT count() AS n FROM flow_windows FINAL');
    const n = Number(r.n);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (n >= atLeast && Date.now() - since >= quietMs) return n;
    if (Date.now() > deadline) throw new Error(`window rows did not settle within ${timeoutMs} ms (last count ${n})\n${context()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
