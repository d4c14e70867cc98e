// Worker process: consumes TelemetryBatch records, computes windows with the metric engine,
// writes them to ClickHouse, commits offsets after the rows are durable, and serves
// /metrics, /healthz and /readyz. SIGTERM/SIGINT drain: stop consuming, flush, commit, exit.
import Fastify from 'fastify';
import client from 'prom-client';
import { createClickHouse } from '../adapters/clickhouse/client.ts';
import { createConsumer, createProducer } from '../adapters/kafka/client.ts';
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, WORKER_SETTINGS } from '../config/settings.ts';
import { MetricEngine } from '../core/engine/engine.ts';
import { DEFAULT_WIRE_LIMITS } from '../core/wire/limits.ts';
import { createWorkerMetrics } from './metrics.ts';
import { WorkerPipeline } from './pipeline.ts';
import { ClickHouseSink } from './sink.ts';

const config = loadConfig('worker', WORKER_SETTINGS, ALL_ENV_VARS);
const MS = 1_000_000;
const engine = new MetricEngine({ windowNs: config.windowMs * MS, allowedLatenessNs: config.allowedLatenessMs * MS, maxFlows: config.maxFlows });
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'isochron_worker_' });
const metrics = createWorkerMetrics(registry);
const ch = createClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase, user: config.clickhouseUser, password: config.clickhousePassword });
const sink = new ClickHouseSink(ch, {
  maxInsertRows: config.maxInsertRows,
  retryInitialMs: 200,
  retryMaxMs: 5000,
  onRetry: (e, attempt) => {
    metrics.insertRetries.inc();
    if (attempt === 1 || attempt % 10 === 0) console.log(`[worker] ClickHouse insert failed (attempt ${attempt}), retrying: ${e.message}`);
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
  engine,
  sink,
  limits: DEFAULT_WIRE_LIMITS,
  metrics,
  sendDeadLetter: (r) => dlqProducer.send(config.deadLetterTopic, [{ key: r.key ?? '', value: r.value ?? Buffer.alloc(0), headers: r.headers }]),
});
const consumer = await createConsumer(kafka, { groupId: config.groupId, topics: [config.telemetryTopic] });
const partitionsSeen = new Set<number>();
const paused = new Set<number>();
let stopping = false;

void consumer.run(async (batch) => {
  partitionsSeen.add(batch.partition);
  await pipeline.handleBatch(batch);
  if (sink.pendingRows > config.maxPendingRows && !paused.has(batch.partition)) {
    // Bounded memory: stop reading until ClickHouse has taken the backlog.
    consumer.pause(batch.topic, [batch.partition]);
    paused.add(batch.partition);
  }
});

async function flushOnce(): Promise<void> {
  pipeline.tick([...partitionsSeen], BigInt(Date.now()) * 1_000_000n);
  const offsets = await pipeline.flush();
  await consumer.commit(offsets);
  if (paused.size > 0 && sink.pendingRows <= config.maxPendingRows) {
    consumer.resume(config.telemetryTopic, [...paused]);
    paused.clear();
  }
  const s = engine.stats();
  metrics.openWindows.set(s.openWindows);
  metrics.flows.set(s.flows);
  metrics.pendingRows.set(sink.pendingRows);
}

let flushing: Promise<void> = Promise.resolve();
const timer = setInterval(() => {
  flushing = flushing.then(flushOnce).catch((e) => console.error(`[worker] flush failed: ${(e as Error).message}`));
}, config.flushIntervalMs);

const http = Fastify({ logger: false });
http.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
http.get('/healthz', async () => ({ status: 'ok' }));
http.get('/readyz', async (_req, reply) => (stopping ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' }));
await http.listen({ host: config.metricsHost, port: config.metricsPort });
console.log(`[worker] consuming ${config.telemetryTopic} as group ${config.groupId} (${config.kafkaClient}); writing to ${config.clickhouseUrl}/${config.clickhouseDatabase}; metrics on http://${config.metricsHost}:${config.metricsPort}/metrics`);

async function shutdown(sig: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${sig}: draining`);
  clearInterval(timer);
  const hardStop = setTimeout(() => process.exit(1), 30_000);
  try {
    await flushing;
    consumer.pause(config.telemetryTopic, [...partitionsSeen]);
    for (const p of partitionsSeen) pipeline.flushPartition(p);
    await consumer.commit(await pipeline.flush());
    await consumer.disconnect();
  } catch (e) {
    console.error(`[worker] drain incomplete: ${(e as Error).message}`);
  }
  clearTimeout(hardStop);
  await dlqProducer.disconnect().catch(() => undefined);
  await http.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
