// npm run bench:worker — one worker process draining a pre-filled topic into ClickHouse, side
// by side with the ClickHouse Kafka table engine + materialized view on the same samples, on
// the benchmark's own Kafka and ClickHouse (ports 45092/45093/45123/45000, folder
// .stack/bench-worker, stopped at the end). Not a test: prints one JSON line per measurement
// on stdout and a short summary on stderr. These machines are shared and noisy: read the
// ratio and the CPU seconds, and the machine load printed with them.
//
//   npm run bench:worker -- --quick                 2 M samples, 1000 flows, one 20 s live run
//   npm run bench:worker -- --samples 50000000      the issue's size (default), 10 000 flows;
//                                                   60 s live runs with 1000 and 10 000 flows
//   options: --flows N --period-ms N --live-seconds N --live-rate N --live-flows N[,N...] --baseline-consumers N
//            --skip-worker --skip-baseline --skip-live --keep-stack
//            --cpu-prof-dir DIR (V8 CPU profiles of the worker processes, for finding where time goes)
//
// Traffic (traffic.ts): 10 flows per device, every flow periodic (default 4 ms cycle) with
// +-20 us send jitter, 0.1 % loss reports, 0.2 % adjacent reorderings, 1 % delay outliers;
// one record per device per 500 ms of event time (1250 samples by default); 8 partitions;
// a closing batch per device an hour of event time later so every data window closes on
// event time. The baseline reads the same samples as TabSeparated rows (baseline.ts: on 18.16
// its group must be pointed at the start by hand, and it may drop rows, which is reported).
// The window-end-to-queryable delay comes from live runs with event time = wall clock (live.ts).
import { parseArgs } from 'node:util';
import { WORKER_SETTINGS } from '../../config/settings.ts';
import { runBaseline, type BaselineResult } from './baseline.ts';
import { startBenchStack, type BenchStack } from './bench-stack.ts';
import { fillTopics } from './fill.ts';
import { runLive } from './live.ts';
import { machineLoad } from './probe.ts';
import { dataSamples, eventSeconds, expectedWindowRows, planTraffic, samplesPerRecord, WINDOW_NS } from './traffic.ts';
import { drainWithWorker, type DrainResult } from './worker-drain.ts';
import { clickhouseDaemon } from '../../../scripts/stack/clickhouse.ts';
import { kafkaDaemon } from '../../../scripts/stack/kafka.ts';
import { runningPid } from '../../../scripts/stack/process.ts';

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    samples: { type: 'string' },
    flows: { type: 'string' },
    'period-ms': { type: 'string', default: '4' },
    'live-seconds': { type: 'string' },
    'live-rate': { type: 'string' },
    'live-flows': { type: 'string' },
    'baseline-consumers': { type: 'string', default: '1' },
    'skip-worker': { type: 'boolean', default: false },
    'skip-baseline': { type: 'boolean', default: false },
    'skip-live': { type: 'boolean', default: false },
    'keep-stack': { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
  },
  strict: true,
});

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} ${raw}: give a positive integer`);
  return n;
}

const samples = positiveInt('samples', a.samples, a.quick ? 2_000_000 : 50_000_000);
const flows = positiveInt('flows', a.flows, a.quick ? 1000 : 10_000);
const periodMs = positiveInt('period-ms', a['period-ms'], 4);
const liveSeconds = positiveInt('live-seconds', a['live-seconds'], a.quick ? 20 : 60);
const liveRate = positiveInt('live-rate', a['live-rate'], a.quick ? 200_000 : 500_000);
// Several live runs, one per flow count: window rows per second grow with flows, not samples.
const liveFlows = (a['live-flows'] ?? (a.quick ? '1000' : '1000,10000')).split(',').map((x) => positiveInt('live-flows', x, 0));
const baselineConsumers = positiveInt('baseline-consumers', a['baseline-consumers'], 1);
const allowedLatenessMs = WORKER_SETTINGS.allowedLatenessMs.default;
const STEP_NS = 500_000_000;
// A fixed, W-aligned event-time origin (2025-06-15T00:00:00Z): runs are comparable.
const START_NS = 1_749_945_600n * 1_000_000_000n;

const log = (line: string) => process.stderr.write(`[bench:worker] ${line}\n`);
const results: Record<string, unknown>[] = [];
function emit(obj: Record<string, unknown>): void {
  const line = { ...obj, load: machineLoad() };
  results.push(line);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
const r0 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v));
const cpuSum = (c: Record<string, number | null>) => Object.values(c).reduce<number>((a, v) => a + (v ?? NaN), 0);
const r2 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : +v.toFixed(2));

const plan = planTraffic(samples, flows, periodMs * 1_000_000, STEP_NS, START_NS);
if (START_NS % BigInt(WINDOW_NS) !== 0n) throw new Error('START_NS must be window-aligned');
const run = Date.now().toString(36);
const names = {
  packed: `bench.telemetry.${run}`,
  dlq: `bench.telemetry.${run}.dlq`,
  tsv: `bench.baseline.tsv.${run}`,
  live: `bench.live.${run}`,
  liveDlq: `bench.live.${run}.dlq`,
  workerDb: `bench_worker_${run}`,
  baselineDb: `bench_baseline_${run}`,
  liveDb: `bench_live_${run}`,
};

let stack: BenchStack | undefined;
let exitCode = 0;
try {
  emit({ bench: 'worker.start', samples: dataSamples(plan), flows, periodMs, eventSeconds: eventSeconds(plan), samplesPerRecord: samplesPerRecord(plan), node: process.version });
  stack = await startBenchStack({ keep: a['keep-stack'] }, log);
  const s = stack;
  const pids = () => ({ clickhouse: runningPid(clickhouseDaemon(s.config)), kafka: runningPid(kafkaDaemon(s.config)) });
  await s.createTopics([
    { name: names.packed, partitions: 8 },
    { name: names.dlq, partitions: 1 },
    { name: names.tsv, partitions: 8 },
    ...liveFlows.flatMap((_, i) => [{ name: `${names.live}.${i}`, partitions: 8 }, { name: `${names.liveDlq}.${i}`, partitions: 1 }]),
  ]);

  log(`filling ${(dataSamples(plan) / 1e6).toFixed(1)} M samples over ${flows} flows (${eventSeconds(plan)} s of event time)`);
  const fill = await fillTopics(plan, { brokers: s.brokers, packedTopic: names.packed, tsvTopic: a['skip-baseline'] ? undefined : names.tsv }, log);
  emit({
    bench: 'worker.fill', dataSamples: fill.dataSamples, closingSamples: fill.closingSamples, packedRecords: fill.packedRecords,
    packedBytesPerSample: r2(fill.packedBytes / fill.dataSamples), tsvMessages: fill.tsvMessages, tsvBytesPerSample: r2(fill.tsvBytes / fill.dataSamples), seconds: r2(fill.seconds),
  });
  const expectedRows = expectedWindowRows(plan);
  const timeoutMs = Math.max(300_000, (dataSamples(plan) / 50_000) * 1000);

  let drain: DrainResult | undefined;
  if (!a['skip-worker']) {
    log(`worker: draining ${names.packed} (expect ${expectedRows} window rows)`);
    drain = await drainWithWorker(
      {
        brokers: s.brokers, clickhouseUrl: s.clickhouseUrl, database: names.workerDb, topic: names.packed, deadLetterTopic: names.dlq, groupId: `bench-worker-${run}`,
        metricsPort: 45464, cpuProfDir: a['cpu-prof-dir'], dataSamples: fill.dataSamples, topicSamples: fill.dataSamples + fill.closingSamples, expectedRows, timeoutMs, pids: pids(),
        onStart: (w) => s.track(w.child),
      },
      log,
    );
    emit({
      bench: 'worker.drain', complete: drain.complete, samples: fill.dataSamples, windowRows: drain.rows, expectedWindowRows: expectedRows,
      seconds: r2(drain.seconds), samplesPerS: r0(drain.samplesPerS), samplesPerSFromFirstSample: r0(drain.samplesPerSFromFirstSample), steadySamplesPerS: r0(drain.steadySamplesPerS),
      startupSeconds: r2(drain.startupSeconds), allSamplesReadAfterS: r2(drain.allSamplesReadAfterS), peakRssMiB: drain.peakRssMiB, peakRssMetricMiB: drain.peakRssMetricMiB,
      cpuSeconds: drain.cpuSeconds, samplesPerWorkerCpuS: r0(fill.dataSamples / (drain.cpuSeconds.worker ?? NaN)), steadySamplesPerWorkerCpuS: r0(drain.steadySamplesPerWorkerCpuS),
      samplesPerPathCpuS: r0(fill.dataSamples / cpuSum(drain.cpuSeconds)), check: drain.check, workerTime: drain.workerTime, workerExitCode: drain.workerExitCode,
      goalSamplesPerS: 3_000_000,
    });
    if (drain.check.samplesInRows !== drain.check.expectedSamples || drain.check.rowsFinal !== expectedRows) {
      log(`WARNING: worker output check failed: ${JSON.stringify(drain.check)} (expected ${expectedRows} rows)`);
    }
  }

  let baseline: BaselineResult | undefined;
  if (!a['skip-baseline']) {
    log(`baseline: Kafka engine + materialized view on ${names.tsv} (${baselineConsumers} consumer)`);
    baseline = await runBaseline(
      {
        clickhouseUrl: s.clickhouseUrl, database: names.baselineDb, brokers: s.brokers, topic: names.tsv, groupId: `bench-baseline-${run}`, consumers: baselineConsumers,
        expectedSamples: fill.dataSamples, expectedRows, timeoutMs, pids: pids(),
      },
      log,
    );
    emit({
      bench: 'baseline.kafka_engine_mv', complete: baseline.complete, consumedAll: baseline.consumedAll, samplesLost: baseline.samplesLost, format: 'TabSeparated', kafkaNumConsumers: baselineConsumers, samples: baseline.samples, windowRows: baseline.rows,
      seconds: r2(baseline.seconds), samplesPerS: r0(baseline.samplesPerS), steadySamplesPerS: r0(baseline.steadySamplesPerS), firstRowsAfterS: r2(baseline.firstRowsAfterS),
      finalQueryMs: r0(baseline.finalQueryMs), cpuSeconds: baseline.cpuSeconds, samplesPerPathCpuS: r0(baseline.samples / cpuSum(baseline.cpuSeconds)), clickhouseRssMaxMiB: baseline.clickhouseRssMaxMiB,
      computes: ['count', 'received', 'delay quantiles (reservoir-sampled, per flow and 1 s window by send time)'],
    });
  }

  if (drain && baseline) {
    emit({
      bench: 'worker.ratio', workerSamplesPerS: r0(drain.samplesPerS), baselineSamplesPerS: r0(baseline.samplesPerS), ratioWorkerToBaseline: r2(drain.samplesPerS / baseline.samplesPerS),
      ratioSteady: r2((drain.steadySamplesPerS ?? NaN) / (baseline.steadySamplesPerS ?? NaN)),
      // Samples per CPU second spent by every process on the path (worker + Kafka + ClickHouse vs
      // Kafka + ClickHouse): less sensitive to what else the shared machine runs.
      ratioPerPathCpuS: r2(fill.dataSamples / cpuSum(drain.cpuSeconds) / (baseline.samples / cpuSum(baseline.cpuSeconds))),
    });
  }

  for (const [i, liveFlowCount] of (a['skip-live'] ? [] : liveFlows).entries()) {
    log(`live: ${liveSeconds} s at about ${liveRate} samples/s over ${liveFlowCount} flows, event time = wall clock`);
    const live = await runLive(
      {
        brokers: s.brokers, clickhouseUrl: s.clickhouseUrl, database: `${names.liveDb}_${i}`, topic: `${names.live}.${i}`, deadLetterTopic: `${names.liveDlq}.${i}`,
        groupId: `bench-live-${run}-${i}`, metricsPort: 45465, cpuProfDir: a['cpu-prof-dir'], flows: liveFlowCount, targetSamplesPerS: liveRate, seconds: liveSeconds, stepMs: 100, pollMs: 200, allowedLatenessMs, pids: pids(),
        onStart: (w) => s.track(w.child),
      },
      log,
    );
    emit({ bench: 'worker.live_delay', allowedLatenessMs, stepMs: 100, pollMs: 200, ...live, samplesPerS: r0(live.samplesPerS) });
  }
} catch (e) {
  exitCode = 1;
  log(`FAILED: ${(e as Error).stack ?? String(e)}`);
  emit({ bench: 'worker.error', error: (e as Error).message.slice(0, 2000) });
} finally {
  await stack?.down();
  summary();
}
process.exit(exitCode);

function summary(): void {
  const by = (name: string) => results.find((r) => r.bench === name) as Record<string, any> | undefined;
  const d = by('worker.drain');
  const b = by('baseline.kafka_engine_mv');
  const r = by('worker.ratio');
  const lives = results.filter((x) => x.bench === 'worker.live_delay') as Record<string, any>[];
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const out = [
    '',
    `summary (${fmt(dataSamples(plan))} samples, ${fmt(flows)} flows, ${eventSeconds(plan)} s event time; load at start ${fmt(results[0]?.load && (results[0].load as any).loadavg1)}, at end ${machineLoad().loadavg1} on ${machineLoad().cpus} cores)`,
    d ? `  worker   ${fmt(d.samplesPerS)} samples/s start-to-last-row (${fmt(d.steadySamplesPerS)}/s steady, ${fmt(d.steadySamplesPerWorkerCpuS)} per worker CPU second), peak RSS ${fmt(d.peakRssMiB)} MiB, worker CPU ${fmt(d.cpuSeconds?.worker)} s, output check ${d.check?.samplesInRows === d.check?.expectedSamples && d.check?.rowsFinal === d.expectedWindowRows ? 'ok' : 'FAILED'}` : '  worker   not run',
    b ? `  baseline ${fmt(b.samplesPerS)} samples/s (${fmt(b.steadySamplesPerS)}/s steady), ClickHouse Kafka engine + MV, TabSeparated${b.complete ? '' : b.consumedAll ? `; LOST ${fmt(b.samplesLost)} samples silently (18.16 engine, ClickHouse#4890)` : ' (INCOMPLETE: timed out)'}` : '  baseline not run',
    r ? `  ratio worker/baseline ${fmt(r.ratioWorkerToBaseline)} (steady ${fmt(r.ratioSteady)}; per CPU second of the whole path ${fmt(r.ratioPerPathCpuS)})` : '',
    ...lives.map((l) => `  live${l.valid ? '' : ' (INVALID: the benchmark producer fell behind the wall clock)'}${l.workerKeptUp ? '' : ` (WORKER FELL BEHIND: ${fmt(l.rowsMissing)} of ${fmt(l.rowsExpected)} closable rows not written in time, delay trend ${fmt(l.delayTrendMsPerS)} ms per s)`}: ${fmt(l.flows)} flows, p99 window-close-to-queryable ${fmt(l.delayAfterCloseMs?.p99)} ms (p50 ${fmt(l.delayAfterCloseMs?.p50)}, max ${fmt(l.delayAfterCloseMs?.max)}; second half p99 ${fmt(l.delayAfterCloseMsSecondHalf?.p99)} ms); p99 from window end ${fmt(l.delayAfterWindowEndMs?.p99)} ms incl. ${allowedLatenessMs} ms allowed lateness; ${fmt(l.samplesPerS)} samples/s; ${fmt(l.rowsMissing)} rows missing`),
    '  baseline cannot compute: RFC 3550 jitter, IPDV/PDV, sequence-based loss and loss periods, reordering, duplicates, 3GPP availability/survival time, exact quantiles, event-time window completeness (its rows are partial until the last sample arrives).',
  ];
  process.stderr.write(`${out.filter((x) => x !== '').join('\n')}\n`);
}
