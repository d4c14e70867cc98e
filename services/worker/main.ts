// Worker process: consumes TelemetryBatch records, computes windows with the metric engine,
// writes them to ClickHouse, checkpoints partition state and commits offsets only after rows
// and state are durable (docs/delivery.md), and serves /metrics, /healthz and /readyz.
// SIGTERM/SIGINT drain: stop consuming, write closed windows, checkpoint, commit, exit.
import Fastify from 'fastify';
import client from 'prom-client';
import { createClickHouse } from '../adapters/clickhouse/client.ts';
import { createConsumer, createEndOffsetReader, createProducer } from '../adapters/kafka/client.ts';
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, WORKER_SETTINGS } from '../config/settings.ts';
import { MetricEngine } from '../core/engine/engine.ts';
import { DEFAULT_WIRE_LIMITS } from '../core/wire/limits.ts';
import { isIsochronError } from '../core/errors.ts';
import { CheckpointStore } from '../adapters/clickhouse/checkpoints.ts';
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
  // A row ClickHouse refuses as bad data goes to the dead-letter topic like any other poison,
  // with the reason, before the flush completes (so before its offsets can be committed).
  onRejected: async (table, rows, e) => {
    const code = isIsochronError(e) ? e.code : 'ISO_CLICKHOUSE_BAD_DATA';
    metrics.insertRejectedRows.inc({ table, reason: code }, Math.max(1, rows.length));
    console.error(`[worker] ClickHouse rejected ${rows.length > 0 ? `${rows.length} row(s)` : 'the refresh'} of ${table} (not retried${rows.length > 0 ? '; dead-lettered' : ''}): ${e.message}`);
    if (rows.length === 0) return;
    await dlqProducer.send(
      config.deadLetterTopic,
      rows.map((row) => ({
        key: `${String(row.enterprise_id ?? '')}/${String(row.device_id ?? '')}`,
        // As the row would have been inserted (JSONEachRow): 64-bit integers as strings.
        value: Buffer.from(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))),
        headers: {
          'isochron-error-code': code,
          'isochron-error-message': e.message.slice(0, 1000),
          'isochron-source-topic': config.telemetryTopic,
          'isochron-source-table': table,
        },
      })),
    );
  },
});
const kafka = { brokers: config.kafkaBrokers, clientId: 'isochron-worker', client: config.kafkaClient };
const dlqProducer = await createProducer(kafka);
const endOffsetReader = await createEndOffsetReader(kafka);
// Partition batches handled at once: a partition waiting for its restore does not hold up the
// others, which consume as soon as their own state is back (the CPU work stays serial).
const PARTITIONS_CONSUMED_CONCURRENTLY = 8;
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
  maxObservationAgeMs: 3 * config.endOffsetRefreshMs,
  // Ticks come with flushes, on the same chain as checkpoints: a gap longer than a few of them is a stall.
  maxTickGapMs: Math.max(3 * config.endOffsetRefreshMs, 3 * config.flushIntervalMs),
  progressTimeoutMs: config.progressTimeoutMs,
  restoreDelayMs: config.faultRestoreDelayMs,
});
if (config.faultRestoreDelayMs > 0) log(`fault injection: every partition restore waits ${config.faultRestoreDelayMs} ms first`);

/** Commits offsets and tells the pipeline (the committed-offset gauge) once Kafka took them. */
async function commit(offsets: Awaited<ReturnType<WorkerPipeline['checkpoint']>>): Promise<void> {
  await consumer.commit(offsets);
  pipeline.committed(offsets);
}

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
  partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
  onAssign: (partitions) => {
    metrics.rebalances.inc({ kind: 'assign' });
    pipeline.assign(partitions);
    log(`assigned partitions [${partitions.join(', ')}]`);
  },
  onRevoke: (partitions) =>
    serial(async () => {
      metrics.rebalances.inc({ kind: 'revoke' });
      // Hand over cleanly where the client lets us: checkpoint, commit, then forget.
      const offsets = await pipeline.checkpoint(nowSeconds(), partitions).catch((e: Error) => {
        log(`revoke: checkpoint of [${partitions.join(', ')}] failed, the next owner replays from the previous one: ${e.message}`);
        return [];
      });
      await commit(offsets).catch((e: Error) => log(`revoke: commit failed: ${e.message}`));
      pipeline.revoke(partitions);
      log(`revoked partitions [${partitions.join(', ')}]`);
    }),
});
const paused = new Set<number>();
let stopping = false;
const inFlight = new Set<Promise<void>>();

void consumer.run(async (batch) => {
  if (stopping) return;
  const work = pipeline.handleBatch(batch);
  const settled = work.catch(() => undefined);
  inFlight.add(settled);
  void settled.finally(() => inFlight.delete(settled));
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
  pipeline.tick(BigInt(Date.now()) * 1_000_000n, paused);
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
const checkpointTimer = everyMs(config.checkpointIntervalMs, async () => commit(await pipeline.checkpoint(nowSeconds())));

// The idleness rule's evidence (docs/metrics.md rule (c)): the broker's end offsets, asked on
// their own client so the answer comes while the consumer restores, is paused or is busy. The
// time recorded is when the question left, so a stalled worker never trusts an old answer.
let endOffsetsAsked = false;
let endOffsetFailures = 0;
const endOffsetTimer = setInterval(() => {
  if (endOffsetsAsked) return;
  endOffsetsAsked = true;
  const requestedAtNs = BigInt(Date.now()) * 1_000_000n;
  endOffsetReader
    .endOffsets(config.telemetryTopic)
    .then((endOffsets) => {
      pipeline.observeEndOffsets({ endOffsets, requestedAtNs }, Date.now());
      endOffsetFailures = 0;
    })
    .catch((e: Error) => {
      if (endOffsetFailures++ % 60 === 0) log(`asking the broker for end offsets failed (${endOffsetFailures} in a row; idle partitions stay open meanwhile): ${e.message}`);
    })
    .finally(() => (endOffsetsAsked = false));
}, config.endOffsetRefreshMs);

const http = Fastify({ logger: false });
http.get('/metrics', async (_req, reply) => {
  updateGauges();
  return reply.type(registry.contentType).send(await registry.metrics());
});
http.get('/healthz', async () => ({ status: 'ok' }));
http.get('/readyz', async (_req, reply) => {
  if (stopping) return reply.code(503).send({ status: 'draining' });
  const health = pipeline.health(Date.now());
  return health.ready ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready', problems: health.problems });
});
await http.listen({ host: config.metricsHost, port: config.metricsPort });
const metricsPort = (http.server.address() as { port: number }).port;
log(`consuming ${config.telemetryTopic} as group ${config.groupId} (${config.kafkaClient}); writing to ${config.clickhouseUrl}/${config.clickhouseDatabase}; metrics on http://${config.metricsHost}:${metricsPort}/metrics`);

async function shutdown(sig: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${sig}: draining`);
  clearInterval(flushTimer);
  clearInterval(checkpointTimer);
  clearInterval(endOffsetTimer);
  const hardStop = setTimeout(() => {
    log('drain timed out; exiting (the next owner replays from the last checkpoint)');
    process.exit(1);
  }, config.drainTimeoutMs);
  try {
    consumer.pause(config.telemetryTopic, pipeline.assignedPartitions());
    await Promise.all([...inFlight]);
    await serial(async () => commit(await pipeline.checkpoint(nowSeconds())));
    await consumer.disconnect();
  } catch (e) {
    log(`drain incomplete: ${(e as Error).message}`);
  }
  clearTimeout(hardStop);
  await dlqProducer.disconnect().catch(() => undefined);
  await endOffsetReader.disconnect().catch(() => undefined);
  await http.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
