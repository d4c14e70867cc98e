// npm run load — the three k6 load tests against a local stack, and a summary.
//
//   ingest     constant arrival rate of pre-encoded device batches against one gateway process
//   freshness  live telemetry through gateway, Kafka and a worker; poll ClickHouse per window
//   soak       ingest at a lower rate for longer; the gateway's resident memory must stay flat
//
// Stack: when ISOCHRON_KAFKA_BROKERS and ISOCHRON_CLICKHOUSE_URL are both set, that stack is
// used (a fresh database and fresh topics on it, removed at the end); otherwise the runner
// starts its own Kafka + ClickHouse in .stack/load on ports 45011-45014 and stops it at the
// end. The gateway listens on 45015 (45017 for the freshness phase), the worker's metrics on
// 45016. Everything the runner starts is stopped at the end, on failure and on Ctrl-C.
//
//   npm run load                          full size: the goals of docs/load.md as thresholds
//   npm run load -- --quick               a short run of each (20 s / 20 s / 60 s)
//   options: --only ingest,freshness,soak  --samples-per-s N  --ingest-seconds N
//            --fresh-seconds N  --soak-seconds N  --soak-samples-per-s N  --keep-stack
//            --worker-flush-ms N (the worker's ISOCHRON_WORKER_FLUSH_INTERVAL_MS; default its default)
// Prints a JSON line per phase on stdout and a readable summary on stderr; exits 1 when a
// threshold failed.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { createClickHouse } from '../../services/adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../../services/adapters/clickhouse/migrate.ts';
import { createRegistry } from '../../services/adapters/tenancy/registry.ts';
import { WORKER_SETTINGS } from '../../services/config/settings.ts';
import { REPO_ROOT, stackConfig, type StackConfig } from '../stack/config.ts';
import { clickhouseDaemon } from '../stack/clickhouse.ts';
import { kafkaDaemon } from '../stack/kafka.ts';
import { runningPid } from '../stack/process.ts';
import { stackDown, stackUp } from '../stack/stack.ts';
import { generateFresh, generateIngest } from './generate.ts';
import { requireK6, runK6, type K6Summary } from './k6.ts';
import { bucketQuantile, cpuMeter, memoryTrend, parseBuckets, shareAbove, type Buckets, type CpuUse } from './measure.ts';
import { residentBytes, startGateway, startWorker, waitReady, type Service } from './services.ts';

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'ingest,freshness,soak' },
    'samples-per-s': { type: 'string' },
    'ingest-seconds': { type: 'string' },
    'fresh-seconds': { type: 'string' },
    'soak-seconds': { type: 'string' },
    'soak-samples-per-s': { type: 'string' },
    'worker-flush-ms': { type: 'string' },
    'keep-stack': { type: 'boolean', default: false },
  },
  strict: true,
});
const num = (name: string, raw: string | undefined, fallback: number) => {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} ${raw}: give a positive number`);
  return n;
};
const phases = new Set(a.only!.split(','));
for (const p of phases) if (!['ingest', 'freshness', 'soak'].includes(p)) throw new Error(`--only: unknown phase ${p}`);
const targetSamplesPerS = num('samples-per-s', a['samples-per-s'], 2_000_000);
const ingestSeconds = num('ingest-seconds', a['ingest-seconds'], a.quick ? 20 : 60);
const freshSeconds = num('fresh-seconds', a['fresh-seconds'], a.quick ? 20 : 60);
const soakSeconds = num('soak-seconds', a['soak-seconds'], a.quick ? 60 : 300);
const workerFlushMs = num('worker-flush-ms', a['worker-flush-ms'], WORKER_SETTINGS.flushIntervalMs.default);
const soakSamplesPerS = num('soak-samples-per-s', a['soak-samples-per-s'], targetSamplesPerS / 2);

// Goals (docs/load.md): thresholds of npm run load, not of CI.
const GOAL_P99_MS = 25;
const WINDOW_MS = WORKER_SETTINGS.windowMs.default;
const LATENESS_MS = WORKER_SETTINGS.allowedLatenessMs.default;
const GOAL_FRESHNESS_P99_MS = WINDOW_MS + LATENESS_MS + 1000;
/** Soak: mean RSS of the last third at most this much above the first third's. */
const MAX_RSS_GROWTH = 0.1;
/** Soak latency guard: the latency goal is the ingest phase's; the soak only catches a collapse. */
const SOAK_MAX_P99_MS = 100;
const PRODUCE_HISTOGRAM = 'isochron_gateway_produce_duration_seconds';

const PORTS = { kafka: 45011, kafkaController: 45012, clickhouseHttp: 45013, clickhouseTcp: 45014, gateway: 45015, workerMetrics: 45016, freshGateway: 45017 };
// Ingest load is spread over several enterprises, each under the gateway's per-enterprise rate
// limit (ISOCHRON_GATEWAY_RATE_LIMIT_SAMPLES_PER_S), as a real fleet would be; freshness has its own.
const INGEST_ENTERPRISES = Array.from({ length: 8 }, (_, i) => ({ enterpriseId: `ent-load-${i + 1}`, identifierPrefix: `88.990.${i + 1}` }));
const FRESH_ENTERPRISE = { enterpriseId: 'ent-load-fresh', identifierPrefix: '88.991.1' };
const log = (line: string) => process.stderr.write(`[load] ${line}\n`);

const k6 = requireK6();
const t0 = Date.now();
const tag = `${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-load-'));
const started: Service[] = [];
let stack: StackConfig | undefined;
let cleanupDb: (() => Promise<void>) | undefined;
let cleanupTopics: (() => Promise<void>) | undefined;
const abort = new AbortController();

let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    abort.abort();
    await Promise.all(started.map((s) => s.stop(10_000)));
    await cleanupTopics?.().catch((e) => log(`deleting topics failed: ${(e as Error).message}`));
    await cleanupDb?.().catch((e) => log(`dropping the database failed: ${(e as Error).message}`));
    if (stack && !a['keep-stack']) {
      await stackDown(stack);
      fs.rmSync(stack.dir, { recursive: true, force: true });
      log('own stack stopped');
    }
    fs.rmSync(work, { recursive: true, force: true });
  })());
}
// A closed pipe on our output (e.g. `| head`) must not end the run before it cleans up.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
// Whatever ends this process, its gateway and worker go with it.
process.on('exit', () => {
  for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping everything the load run started`);
    void stopAll().finally(() => process.exit(130));
  });
}

const results: Record<string, unknown>[] = [];
let failed = false;

try {
  let brokers = process.env.ISOCHRON_KAFKA_BROKERS;
  let clickhouseUrl = process.env.ISOCHRON_CLICKHOUSE_URL;
  if (!brokers || !clickhouseUrl) {
    stack = stackConfig('test', {
      ...process.env,
      ISOCHRON_STACK_DIR: path.join(REPO_ROOT, '.stack', 'load'),
      ISOCHRON_KAFKA_PORT: String(PORTS.kafka),
      ISOCHRON_KAFKA_CONTROLLER_PORT: String(PORTS.kafkaController),
      ISOCHRON_CLICKHOUSE_HTTP_PORT: String(PORTS.clickhouseHttp),
      ISOCHRON_CLICKHOUSE_TCP_PORT: String(PORTS.clickhouseTcp),
    });
    await stackDown(stack);
    fs.rmSync(stack.dir, { recursive: true, force: true });
    log(`starting own stack in ${stack.dir} (Kafka 127.0.0.1:${PORTS.kafka}, ClickHouse 127.0.0.1:${PORTS.clickhouseHttp})`);
    await stackUp(stack);
    brokers = `127.0.0.1:${PORTS.kafka}`;
    clickhouseUrl = `http://127.0.0.1:${PORTS.clickhouseHttp}`;
  } else log(`using the stack at Kafka ${brokers}, ClickHouse ${clickhouseUrl}`);

  // A fresh database with the registry and the tables, and fresh topics.
  const database = `isochron_load_${tag}`;
  const root = createClickHouse({ url: clickhouseUrl, database: 'default' });
  await root.command(`CREATE DATABASE ${database}`);
  cleanupDb = () => root.command(`DROP DATABASE IF EXISTS ${database}`);
  const ch = root.withDatabase(database);
  await migrate(ch, database, loadMigrations(path.join(REPO_ROOT, 'sql')));
  const topics = { ingest: `isochron.load.ingest.${tag}`, fresh: `isochron.load.fresh.${tag}`, dlq: `isochron.load.dlq.${tag}` };
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING, clientId: 'isochron-load' }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: topics.ingest, numPartitions: 8 }, { topic: topics.fresh, numPartitions: 8 }, { topic: topics.dlq, numPartitions: 1 }].map((t) => ({ ...t, replicationFactor: 1 })), waitForLeaders: true });
  await admin.disconnect();
  cleanupTopics = async () => {
    const adm = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING, clientId: 'isochron-load' }).admin();
    await adm.connect();
    await adm.deleteTopics({ topics: Object.values(topics) }).finally(() => adm.disconnect());
  };

  // The load enterprises and their ingest keys, through the registry the gateway reads.
  const registry = createRegistry(ch);
  const all = [...INGEST_ENTERPRISES, FRESH_ENTERPRISE];
  await registry.putEnterprises(all.map((e) => ({ ...e, name: `Load test ${e.enterpriseId}`, region: 'load', industry: 'load' })));
  const keys: Record<string, string> = {};
  for (const e of all) keys[e.enterpriseId] = (await registry.createCredential({ role: 'ingest', enterpriseId: e.enterpriseId, label: 'npm run load' })).apiKey;
  log(`database ${database}, topics ${Object.values(topics).join(', ')}, ${all.length} enterprises with an ingest key each`);

  const ingest = generateIngest(work, INGEST_ENTERPRISES, { devices: 32, flowsPerDevice: 8, intervalMs: 500, startMs: Date.now() - 3_600_000 });
  log(`ingest bodies: ${ingest.bodies.length} device batches of ${INGEST_ENTERPRISES.length} enterprises, mean ${Math.round(ingest.meanSamplesPerBody)} samples / ${Math.round(ingest.meanBytesPerBody)} bytes`);
  const stackPids = () => (stack ? { kafka: runningPid(kafkaDaemon(stack)), clickhouse: runningPid(clickhouseDaemon(stack)) } : {});

  // The gateway's own histogram of validated batch -> Kafka acknowledgement, to tell Kafka's
  // share of the request latency from the rest (HTTP, decode, auth, scheduling).
  const produceBuckets = async (url: string): Promise<Buckets> => {
    try {
      return parseBuckets(await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text(), PRODUCE_HISTOGRAM);
    } catch {
      return [];
    }
  };
  const produceSummary = (before: Buckets, after: Buckets) => {
    const ms = (v: number | null) => (v === null ? null : v === Infinity ? 'above the largest bucket' : v * 1000);
    return { p50UpToMs: ms(bucketQuantile(before, after, 0.5)), p99UpToMs: ms(bucketQuantile(before, after, 0.99)), shareOver25Ms: round(shareAbove(before, after, 0.025), 4) };
  };
  const k6Phase = async (name: string, script: string, vars: Record<string, string | number>, pids: Record<string, number | undefined>) => {
    const summaryPath = path.join(work, `${name}.summary.json`);
    log(`${name}: k6 ${path.basename(script)} ...`);
    const cpu = cpuMeter(pids);
    const load0 = os.loadavg();
    const t = Date.now();
    const res = await runK6(path.join(REPO_ROOT, 'load-tests', script), vars, summaryPath, {
      onLine: (l) => void (l.trim() && log(`  k6: ${l.trim()}`)),
      onSpawn: (pid) => cpu.add('k6', pid, true),
      signal: abort.signal,
    });
    const wallS = (Date.now() - t) / 1000;
    if (!res.summary) throw new Error(`${name}: k6 exited ${res.code} without a summary:\n${res.output.slice(-4000)}`);
    return { code: res.code, summary: res.summary, cpu: cpu.stop(wallS), loadavg1: +os.loadavg()[0].toFixed(2), loadavg1Before: +load0[0].toFixed(2) };
  };

  if (phases.has('freshness')) {
    const fresh = generateFresh(work, FRESH_ENTERPRISE, { devices: 4, flowsPerDevice: 10, stepMs: 200 });
    const gw = startGateway({ port: PORTS.freshGateway, brokers, topic: topics.fresh, clickhouseUrl, database });
    started.push(gw);
    const worker = startWorker({ metricsPort: PORTS.workerMetrics, brokers, topic: topics.fresh, deadLetterTopic: topics.dlq, clickhouseUrl, database, groupId: `isochron-load-${tag}`, env: { ISOCHRON_WORKER_FLUSH_INTERVAL_MS: String(workerFlushMs) } });
    started.push(worker);
    await Promise.all([waitReady(gw, '/readyz'), waitReady(worker, '/readyz', 90_000)]);
    const r = await k6Phase(
      'freshness',
      'freshness.js',
      {
        GATEWAY_URL: gw.url,
        INGEST_KEY: keys[FRESH_ENTERPRISE.enterpriseId],
        FRESH_MANIFEST: path.join(work, 'fresh.json'),
        CLICKHOUSE_URL: clickhouseUrl,
        CLICKHOUSE_DATABASE: database,
        ENTERPRISE_ID: FRESH_ENTERPRISE.enterpriseId,
        FEED_SECONDS: freshSeconds,
        WINDOW_MS,
        LATENESS_MS,
        POLL_MS: 100,
        MAX_FRESHNESS_P99_MS: GOAL_FRESHNESS_P99_MS,
      },
      { gateway: gw.pid, worker: worker.pid, ...stackPids() },
    );
    const m = r.summary.metrics;
    const line = {
      phase: 'freshness',
      passed: r.code === 0,
      flows: fresh.flows,
      samplesPerS: Math.round((fresh.samplesPerStep * 1000) / fresh.stepMs),
      feedSeconds: freshSeconds,
      windowMs: WINDOW_MS,
      allowedLatenessMs: LATENESS_MS,
      flushIntervalMs: workerFlushMs,
      freshnessMs: pick(m.freshness_ms, ['med', 'p(90)', 'p(99)', 'max']),
      afterCloseMs: pick(m.freshness_after_close_ms, ['med', 'p(90)', 'p(99)', 'max']),
      goalP99Ms: GOAL_FRESHNESS_P99_MS,
      rowsExpected: m.fresh_rows_expected?.value ?? null,
      rowsSeen: m.fresh_rows_seen?.count ?? 0,
      rowsMissing: m.fresh_rows_missing?.value ?? null,
      postP99Ms: round(m['http_req_duration{scenario:feed}']?.['p(99)'] ?? m.http_req_duration?.['p(99)']),
      // How late k6 posted a step's batch (load generator lag, included in freshness).
      feedLagP99Ms: round(m.fresh_feed_lag_ms?.['p(99)']),
      cpuCores: r.cpu,
      loadavg1: r.loadavg1,
    };
    results.push(line);
    process.stdout.write(`${JSON.stringify(line)}\n`);
    failed ||= r.code !== 0;
    await Promise.all([gw.stop(), worker.stop()]);
  }

  if (phases.has('ingest') || phases.has('soak')) {
    const gw = startGateway({ port: PORTS.gateway, brokers, topic: topics.ingest, clickhouseUrl, database });
    started.push(gw);
    await waitReady(gw, '/readyz');
    const rateFor = (samplesPerS: number) => Math.max(1, Math.round(samplesPerS / ingest.meanSamplesPerBody));
    const ingestVars = (samplesPerS: number, seconds: number) => ({
      GATEWAY_URL: gw.url,
      INGEST_KEYS: INGEST_ENTERPRISES.map((e) => keys[e.enterpriseId]).join(','),
      INGEST_MANIFEST: path.join(work, 'ingest.json'),
      RATE: rateFor(samplesPerS),
      DURATION: `${seconds}s`,
      PRE_VUS: 100,
      MAX_VUS: 400,
      // The achieved rate must be within 5 % of the offered one (k6 counts over the whole run).
      MIN_SAMPLES_PER_S: Math.floor(samplesPerS * 0.95),
      MAX_P99_MS: GOAL_P99_MS,
      MAX_ERROR_RATE: 0,
    });
    // Warm-up (not reported): the gateway's JIT, its Kafka connections and k6's VUs settle
    // before the measured run, which then starts at full rate.
    const warm = await k6Phase('warm-up', 'ingest.js', { ...ingestVars(targetSamplesPerS / 4, 10), MIN_SAMPLES_PER_S: 1, MAX_P99_MS: 60_000, MAX_ERROR_RATE: 1 }, {});
    log(`warm-up: ${Math.round(warm.summary.metrics.samples_accepted?.rate ?? 0)} samples/s for 10 s (not reported)`);
    if (phases.has('ingest')) {
      const hist0 = await produceBuckets(gw.url);
      const r = await k6Phase('ingest', 'ingest.js', ingestVars(targetSamplesPerS, ingestSeconds), { gateway: gw.pid, ...stackPids() });
      const produce = produceSummary(hist0, await produceBuckets(gw.url));
      const m = r.summary.metrics;
      const line = {
        phase: 'ingest',
        passed: r.code === 0,
        offeredSamplesPerS: Math.round(rateFor(targetSamplesPerS) * ingest.meanSamplesPerBody),
        achievedSamplesPerS: Math.round(m.samples_accepted?.rate ?? 0),
        batchesPerS: round(m.batches_accepted?.rate ?? 0),
        meanSamplesPerBatch: Math.round(ingest.meanSamplesPerBody),
        meanBytesPerBatch: Math.round(ingest.meanBytesPerBody),
        latencyMs: pick(m['http_req_duration{scenario:ingest}'] ?? m.http_req_duration, ['med', 'p(90)', 'p(99)', 'max']),
        errorRate: m['http_req_failed{scenario:ingest}']?.value ?? m.http_req_failed?.value ?? null,
        rejected: m.batches_rejected?.count ?? 0,
        droppedIterations: m.dropped_iterations?.count ?? 0,
        kafkaProduce: produce,
        seconds: ingestSeconds,
        cpuCores: r.cpu,
        loadavg1: r.loadavg1,
      };
      results.push(line);
      process.stdout.write(`${JSON.stringify(line)}\n`);
      failed ||= r.code !== 0;
    }
    if (phases.has('soak')) {
      const rss: [number, number][] = [];
      let source = '';
      const sampler = setInterval(() => {
        void residentBytes(gw).then((r) => {
          if (r) {
            rss.push([Date.now(), r.bytes]);
            source = r.source;
          }
        });
      }, 2000);
      const hist0 = await produceBuckets(gw.url);
      const r = await k6Phase('soak', 'soak.js', { ...ingestVars(soakSamplesPerS, soakSeconds), MAX_P99_MS: SOAK_MAX_P99_MS }, { gateway: gw.pid, ...stackPids() });
      const produce = produceSummary(hist0, await produceBuckets(gw.url));
      clearInterval(sampler);
      const trend = memoryTrend(rss);
      const m = r.summary.metrics;
      const memoryFlat = trend !== null && trend.growth <= MAX_RSS_GROWTH;
      const line = {
        phase: 'soak',
        passed: r.code === 0 && memoryFlat,
        seconds: soakSeconds,
        offeredSamplesPerS: Math.round(rateFor(soakSamplesPerS) * ingest.meanSamplesPerBody),
        achievedSamplesPerS: Math.round(m.samples_accepted?.rate ?? 0),
        latencyMs: pick(m['http_req_duration{scenario:soak}'] ?? m.http_req_duration, ['med', 'p(99)', 'max']),
        errorRate: m['http_req_failed{scenario:soak}']?.value ?? m.http_req_failed?.value ?? null,
        maxP99Ms: SOAK_MAX_P99_MS,
        kafkaProduce: produce,
        rssSource: source === 'metrics' ? 'process_resident_memory_bytes (/metrics)' : 'VmRSS (/proc)',
        rssSamples: rss.length,
        rssFirstThirdMiB: trend ? round(trend.firstMean / 2 ** 20) : null,
        rssLastThirdMiB: trend ? round(trend.lastMean / 2 ** 20) : null,
        rssGrowth: trend ? round(trend.growth, 3) : null,
        rssSlopeMiBPerMin: trend ? round(trend.slopePerS * 60 / 2 ** 20, 2) : null,
        maxRssGrowth: MAX_RSS_GROWTH,
        cpuCores: r.cpu,
        loadavg1: r.loadavg1,
      };
      results.push(line);
      process.stdout.write(`${JSON.stringify(line)}\n`);
      failed ||= !line.passed;
    }
    await gw.stop();
  }
} catch (e) {
  log(`failed: ${e instanceof Error ? e.message : String(e)}`);
  failed = true;
} finally {
  await stopAll();
}

printSummary();
log(`finished in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${failed ? 'a threshold FAILED' : 'all thresholds passed'}`);
process.exit(failed ? 1 : 0);

function round(v: number | undefined | null, digits = 1): number | null {
  if (v === undefined || v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function pick(m: K6Summary['metrics'][string] | undefined, keys: string[]): Record<string, number | null> | null {
  if (!m) return null;
  return Object.fromEntries(keys.map((k) => [k, round(m[k])]));
}

function printSummary(): void {
  const cores = (c: CpuUse) => Object.entries(c).map(([k, v]) => `${k} ${v === null ? '?' : v.toFixed(2)}`).join(', ');
  log(`summary (k6 ${path.basename(path.dirname(k6))}, ${os.cpus().length} cores; CPU in cores used on average per process, machine = everything running):`);
  for (const r of results as Record<string, any>[]) {
    if (r.phase === 'ingest') {
      log(`  ingest     ${r.passed ? 'PASS' : 'FAIL'}  ${r.achievedSamplesPerS.toLocaleString('en')} samples/s of ${r.offeredSamplesPerS.toLocaleString('en')} offered (${r.batchesPerS} batches/s of ${r.meanSamplesPerBatch} samples), p(99) ${r.latencyMs?.['p(99)']} ms (goal < ${GOAL_P99_MS}), errors ${r.errorRate} (${r.rejected} rejected, ${r.droppedIterations} dropped iterations); Kafka ack (gateway histogram) p50 <= ${r.kafkaProduce.p50UpToMs} ms, p99 <= ${r.kafkaProduce.p99UpToMs} ms, ${r.kafkaProduce.shareOver25Ms} over 25 ms; CPU ${cores(r.cpuCores)}; load ${r.loadavg1}`);
    } else if (r.phase === 'freshness') {
      log(`  freshness  ${r.passed ? 'PASS' : 'FAIL'}  p(99) ${r.freshnessMs?.['p(99)']} ms from window start (goal < ${r.goalP99Ms} = window ${r.windowMs} + lateness ${r.allowedLatenessMs} + 1000; worker flush interval ${r.flushIntervalMs} ms), median ${r.freshnessMs?.med} ms; after close p(99) ${r.afterCloseMs?.['p(99)']} ms; feed lag p(99) ${r.feedLagP99Ms} ms; ${r.rowsSeen}/${r.rowsExpected} rows; ${r.flows} flows at ${r.samplesPerS} samples/s; CPU ${cores(r.cpuCores)}; load ${r.loadavg1}`);
    } else if (r.phase === 'soak') {
      log(`  soak       ${r.passed ? 'PASS' : 'FAIL'}  ${r.seconds} s at ${r.achievedSamplesPerS.toLocaleString('en')} samples/s, p(99) ${r.latencyMs?.['p(99)']} ms (guard < ${r.maxP99Ms}), errors ${r.errorRate}; Kafka ack p99 <= ${r.kafkaProduce.p99UpToMs} ms; gateway RSS ${r.rssFirstThirdMiB} -> ${r.rssLastThirdMiB} MiB (first vs last third, growth ${r.rssGrowth}, max ${r.maxRssGrowth}; slope ${r.rssSlopeMiBPerMin} MiB/min; ${r.rssSource}); CPU ${cores(r.cpuCores)}; load ${r.loadavg1}`);
    }
  }
}
