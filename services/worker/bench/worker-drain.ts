// Drains a pre-filled topic with one worker process into ClickHouse and times it: from the
// process start (and from its first consumed sample) until the last data window row is
// queryable, plus the consume rate over the middle of the run, peak RSS and CPU seconds.
import path from 'node:path';
import { createClickHouse } from '../../adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../../adapters/clickhouse/migrate.ts';
import { REPO_ROOT } from '../../../scripts/stack/config.ts';
import { cpuMeter, middleRate, procCpuSeconds, procMemory, sleep } from './probe.ts';
import { startWorkerProcess, workerTimeSplit, type WorkerProcess, type WorkerTarget } from './worker-process.ts';

export interface DrainOptions extends WorkerTarget {
  /** Data samples (their windows must all be written). */
  readonly dataSamples: number;
  /** All samples in the topic (data and closing batches). */
  readonly topicSamples: number;
  readonly expectedRows: number;
  readonly timeoutMs: number;
  readonly pids: Record<string, number | undefined>;
  readonly onStart?: (w: WorkerProcess) => void;
}

export interface DrainResult {
  readonly complete: boolean;
  readonly rows: number;
  readonly seconds: number;
  readonly secondsFromFirstSample: number | null;
  readonly startupSeconds: number | null;
  readonly allSamplesReadAfterS: number | null;
  readonly samplesPerS: number;
  readonly samplesPerSFromFirstSample: number | null;
  readonly steadySamplesPerS: number | null;
  /** Samples per CPU second of the worker process over the middle of the run: what one free core would give. */
  readonly steadySamplesPerWorkerCpuS: number | null;
  readonly peakRssMiB: number | null;
  readonly peakRssMetricMiB: number | null;
  readonly cpuSeconds: Record<string, number | null>;
  readonly check: Record<string, number>;
  readonly workerTime: Record<string, number | null>;
  readonly workerExitCode: number | null;
}

/** Neither samples read nor rows written for this long: the run is stuck, not slow. */
const STALL_MS = 120_000;

export async function migrateDatabase(clickhouseUrl: string, database: string): Promise<void> {
  const ch = createClickHouse({ url: clickhouseUrl, database: 'default' });
  await migrate(ch, database, loadMigrations(path.join(REPO_ROOT, 'sql')));
}

export async function drainWithWorker(o: DrainOptions, log: (line: string) => void): Promise<DrainResult> {
  await migrateDatabase(o.clickhouseUrl, o.database);
  const ch = createClickHouse({ url: o.clickhouseUrl, database: o.database, requestTimeoutMs: 300_000 });
  const t0 = performance.now();
  const w = startWorkerProcess(o);
  o.onStart?.(w);
  const cpu = cpuMeter({ worker: w.pid, ...o.pids });
  const series: [number, number][] = [];
  /** (worker CPU seconds, samples read): the same middle-of-run slope per CPU second. */
  const cpuSeries: [number, number][] = [];
  let startup: number | null = null;
  let firstSample: number | null = null;
  let allRead: number | null = null;
  let rows = 0;
  let peakRss = 0;
  let peakRssMetric = 0;
  let lastLog = t0;
  let lastCount = 0;
  const deadline = t0 + o.timeoutMs;
  let lastProgress = -1;
  let lastChange = t0;
  try {
    while (performance.now() < deadline) {
      if (w.child.exitCode !== null || w.child.signalCode !== null) throw new Error(`worker exited (${w.child.exitCode ?? w.child.signalCode}) during the drain:\n${w.tail()}`);
      const m = await w.scrape();
      const now = (performance.now() - t0) / 1e3;
      const progress = (m?.samples ?? 0) + rows;
      if (progress !== lastProgress) {
        lastProgress = progress;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > STALL_MS) {
        log(`worker: no progress for ${STALL_MS / 1000} s; giving up`);
        break;
      }
      if (m) {
        startup ??= now;
        series.push([now, m.samples]);
        cpuSeries.push([procCpuSeconds(w.pid) ?? NaN, m.samples]);
        if (m.samples > 0) firstSample ??= now;
        if (m.samples >= o.topicSamples) allRead ??= now;
        peakRssMetric = Math.max(peakRssMetric, m.rssBytes ?? 0);
      }
      peakRss = Math.max(peakRss, procMemory(w.pid)?.hwmBytes ?? 0);
      // The count query is cheap next to the inserts; poll it every other round once rows flow.
      if (performance.now() - lastCount > 400) {
        lastCount = performance.now();
        const [r] = await ch.query<{ n: string }>('SELECT count() AS n FROM flow_windows');
        rows = Number(r?.n ?? 0);
        if (rows >= o.expectedRows) break;
      }
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`worker: ${((series.at(-1)?.[1] ?? 0) / 1e6).toFixed(2)} M samples read, ${rows} of ${o.expectedRows} window rows after ${now.toFixed(0)} s`);
      }
      await sleep(200);
    }
    const seconds = (performance.now() - t0) / 1e3;
    const cpuSeconds = cpu();
    const last = await w.scrape();
    peakRss = Math.max(peakRss, procMemory(w.pid)?.hwmBytes ?? 0);
    // Independent of the worker's own counters: every data sample is in exactly one window row
    // (this traffic has no duplicates and nothing arrives late), and nothing was discarded.
    const [c] = await ch.query<Record<string, string>>(
      `SELECT count() AS rows, sum(received_packets) AS received, sum(unreceived_reports) AS unreceived, sum(reordered_packets) AS reordered, sum(owd_count) AS owd
       FROM flow_windows FINAL`,
    );
    const [d] = await ch.query<{ n: string }>('SELECT sum(count) AS n FROM flow_discards FINAL');
    const check = {
      rowsFinal: Number(c.rows),
      samplesInRows: Number(c.received) + Number(c.unreceived),
      expectedSamples: o.dataSamples,
      reorderedPackets: Number(c.reordered),
      discardedSamples: Number(d?.n ?? 0),
    };
    const fromFirst = firstSample === null ? null : seconds - firstSample;
    return {
      complete: rows >= o.expectedRows,
      rows,
      seconds,
      secondsFromFirstSample: fromFirst,
      startupSeconds: startup,
      allSamplesReadAfterS: allRead,
      samplesPerS: o.dataSamples / seconds,
      samplesPerSFromFirstSample: fromFirst ? o.dataSamples / fromFirst : null,
      steadySamplesPerS: middleRate(series, o.topicSamples),
      steadySamplesPerWorkerCpuS: middleRate(cpuSeries, o.topicSamples),
      peakRssMiB: peakRss > 0 ? Math.round(peakRss / 2 ** 20) : null,
      peakRssMetricMiB: peakRssMetric > 0 ? Math.round(peakRssMetric / 2 ** 20) : null,
      cpuSeconds,
      check,
      workerTime: last ? workerTimeSplit(last.text) : {},
      workerExitCode: await w.stop(),
    };
  } catch (e) {
    await w.stop(5000);
    throw e;
  }
}
