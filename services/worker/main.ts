// Worker process: consumes TelemetryBatch records, computes windows with the metric engine,
// writes them to ClickHouse, checkpoints partition state and commits offsets only after rows
// and state are durable (docs/delivery.md), and serves /metrics, /healthz and /readyz.
// SIGTERM/SIGINT drain: stop consuming, write closed windows, checkpoint, commit, exit.
import Fastify from 'fastify';
import client from 'prom-client';
import { createClickHouse } from '../adapters/clickhouse/client.ts';
import { createConsumer, createProducer } from '../adapters/kafka/client.ts';
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, WORKER_SETTINGS } from '../config/settings.ts';
import { MetricEngine } from '../core/engine/engine.ts';
import { DEFAULT_WIRE_LIMITS } from '../core/wire/limits.ts';
import { CheckpointStore } from './checkpoints.ts';
import { createWorkerMetrics } from './metrics.ts';
import { WorkerPipeline } from './pipeline.ts';
import { ClickHouseSink } from './sink.ts';

const config = loadConfig('worker', WORKER_SETTINGS, ALL_ENV_VARS);
const log = (line: string) => console.log(`[worker] ${line}`);
const MS = 1_000_000;
const engine = new MetricEngine({
  windowNs: config.windowMs * MS,
  allowedLatenessNs: config.allowedLatenessMs * MS,
  partitionIdleTimeoutNs: config.partitionIdleTimeoutMs * MS,
  maxFlows: config.maxFlows,
});
const registry = new client.Registry();
const metrics = createWorkerMetrics(registry);
const ch = createClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase, user: config.clickhouseUser, password: config.clickhousePassword });
const sink = new ClickHouseSink(ch, {
  maxInsertRows: config.maxInsertRows,
  retryInitialMs: 200,
  retryMaxMs: 5000,
  onRetry: (e, attempt) => {
    metrics.insertRetries.inc();
    if (attempt === 1 || attempt % 10 === 0) log(`ClickHouse insert failed (attempt ${attempt}), retrying: ${e.message}`);
  },
  onInsert: (table, rows, seconds) => {
    metrics.insertRows.observe(rows);
    metrics.insertSeconds.observe(seconds);
    if (table === 'flow_windows') metrics.windowsOut.inc(rows);
  },
  onRejected: (table, rows, e) => {
    metrics.insertRejectedRows.inc(rows);
    console.error(`[worker] ClickHouse rejected ${rows} rows of ${table} (not retried): ${e.message}`);
  },
});
const kafka = { brokers: config.kafkaBrokers, clientId: 'isochron-worker', client: config.kafkaClient };
const dlqProducer = await createProducer(kafka);
const pipeline = new WorkerPipeline({
  topic: config.telemetryTopic,
  engine,
  sink,
  checkpoints: new CheckpointStore(ch, config.telemetryTopic),
  limits: DEFAULT_WIRE_LIMITS,
  metrics,
  log,
  // Bound late: the consumer is created below, and only batches it delivers can ask to seek.
  seek: (partition, offset) => consumer.seek(config.telemetryTopic, partition, offset.toString()),
  sendDeadLetter: (r) => dlqProducer.send(config.deadLetterTopic, [{ key: r.key ?? '', value: r.value ?? Buffer.alloc(0), headers: r.headers }]),
});

// One chain serialises everything that touches offsets: flushes, checkpoints, revocations.
let chain: Promise<unknown> = Promise.resolve();
let failuresInARow = 0;
function serial<T>(task: () => Promise<T>): Promise<T> {
  const next = chain.then(task);
  chain = next.then(
    () => (failuresInARow = 0),
    (e) => {
      // A failed flush or checkpoint is tried again at the next interval; say so, not on every tick.
      if (failuresInARow++ % 20 === 0) log(`background task failed (${failuresInARow} in a row), will retry: ${(e as Error).message}`);
    },
  );
  return next;
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

const consumer = await createConsumer(kafka, {
  groupId: config.groupId,
  topics: [config.telemetryTopic],
  maxBatchMessages: config.maxBatchRecords,
  onAssign: (partitions) => {
    metrics.rebalances.inc({ kind: 'assign' });
    pipeline.assign(partitions);
    log(`assigned partitions [${partitions.join(', ')}]`);
  },
  onRevoke: (partitions) =>
    serial(async () => {
      metrics.rebalances.inc({ kind: 'revoke' });
      // Hand over cleanly where the client lets us: checkpoint, commit, then forget.
      const offsets = await pipeline.checkpoint(nowSeconds(), partitions).catch(() => []);
      await consumer.commit(offsets).catch(() => undefined);
      pipeline.revoke(partitions);
      log(`revoked partitions [${partitions.join(', ')}]`);
    }),
});
const paused = new Set<number>();
let stopping = false;
let inFlight: Promise<void> = Promise.resolve();

void consumer.run(async (batch) => {
  if (stopping) return;
  const work = pipeline.handleBatch(batch);
  inFlight = work.catch(() => undefined);
  await work;
  if (sink.pendingRows > config.maxPendingRows && !paused.has(batch.partition)) {
    // Bounded memory: stop reading this partition until ClickHouse has taken the backlog.
    consumer.pause(batch.topic, [batch.partition]);
    paused.add(batch.partition);
    metrics.paused.set(paused.size);
  }
});

function updateGauges(): void {
  const s = engine.stats();
  metrics.openWindows.set(s.openWindows);
  metrics.flows.set(s.flows);
  metrics.pendingRows.set(sink.pendingRows);
  metrics.bufferedSamples.set(s.bufferedSamples);
  for (const [p, lag] of pipeline.watermarkLagSeconds(BigInt(Date.now()) * 1_000_000n, config.allowedLatenessMs * MS)) {
    metrics.watermarkLagSeconds.set({ partition: String(p) }, lag);
  }
}

async function flushOnce(): Promise<void> {
  pipeline.tick(BigInt(Date.now()) * 1_000_000n);
  await pipeline.flush();
  if (paused.size > 0 && sink.pendingRows <= config.maxPendingRows) {
    consumer.resume(config.telemetryTopic, [...paused]);
    paused.clear();
    metrics.paused.set(0);
  }
  updateGauges();
}

/** Runs `task` on the chain unless the previous run of the same timer is still queued (bounded during outages). */
function everyMs(ms: number, task: () => Promise<void>): NodeJS.Timeout {
  let queued = false;
  return setInterval(() => {
    if (queued) return;
    queued = true;
    void serial(task)
      .catch(() => undefined) // logged by serial()
      .finally(() => (queued = false));
  }, ms);
}
const flushTimer = everyMs(config.flushIntervalMs, flushOnce);
const checkpointTimer = everyMs(config.checkpointIntervalMs, async () => consumer.commit(await pipeline.checkpoint(nowSeconds())));

const http = Fastify({ logger: false });
http.get('/metrics', async (_req, reply) => {
  updateGauges();
  return reply.type(registry.contentType).send(await registry.metrics());
});
http.get('/healthz', async () => ({ status: 'ok' }));
http.get('/readyz', async (_req, reply) => (stopping ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' }));
await http.listen({ host: config.metricsHost, port: config.metricsPort });
log(`consuming ${config.telemetryTopic} as group ${config.groupId} (${config.kafkaClient}); writing to ${config.clickhouseUrl}/${config.clickhouseDatabase}; metrics on http://${config.metricsHost}:${config.metricsPort}/metrics`);

async function shutdown(sig: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${sig}: draining`);
  clearInterval(flushTimer);
  clearInterval(checkpointTimer);
  const hardStop = setTimeout(() => {
    log('drain timed out; exiting (the next owner replays from the last checkpoint)');
    process.exit(1);
  }, config.drainTimeoutMs);
  try {
    consumer.pause(config.telemetryTopic, pipeline.assignedPartitions());
    await inFlight;
    await serial(async () => consumer.commit(await pipeline.checkpoint(nowSeconds())));
    await consumer.disconnect();
  } catch (e) {
    log(`drain incomplete: ${(e as Error).message}`);
  }
  clearTimeout(hardStop);
  await dlqProducer.disconnect().catch(() => undefined);
  await http.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
