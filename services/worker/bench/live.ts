// Live-paced phase: gateways (50 flows each) produce one batch every `stepMs` of wall-clock
// time covering the step just ended, with event time = the wall clock (the per-step sample
// pattern repeats: live-records.ts), and one worker consumes it. A window
// [start, end) may close once the worker has read a sample with event time >= end + allowed
// lateness, i.e. no earlier than wall time end + lateness. So the delay measured per window
// row is
//     (wall time the row was first seen in ClickHouse) - (window end + allowed lateness)
// which covers batching at the source (one step), Kafka, decode, engine, the flush interval
// and the insert. Rows are seen by polling `count() ... GROUP BY window_start_ns` every
// `pollMs`; a row is stamped with the time the poll's answer arrived (an upper bound, too
// late by at most one poll interval plus the query time).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createClickHouse } from '../../adapters/clickhouse/client.ts';
import { createProducer, type OutgoingMessage } from '../../adapters/kafka/client.ts';
import { liveRecord, liveTemplates } from './live-records.ts';
import { cpuMeter, procMemory, sleep, weightedPercentile } from './probe.ts';
import { WINDOW_NS, type TrafficPlan } from './traffic.ts';
import { migrateDatabase } from './worker-drain.ts';
import { startWorkerProcess, workerTimeSplit, type WorkerProcess, type WorkerTarget } from './worker-process.ts';

export interface LiveOptions extends WorkerTarget {
  readonly flows: number;
  readonly targetSamplesPerS: number;
  readonly seconds: number;
  readonly stepMs: number;
  readonly pollMs: number;
  readonly allowedLatenessMs: number;
  readonly pids: Record<string, number | undefined>;
  readonly onStart?: (w: WorkerProcess) => void;
}

export interface LiveResult {
  /** False when the benchmark's own producer fell more than 5 steps behind the wall clock. */
  readonly valid: boolean;
  readonly delayTrendMsPerS: number | null;
  readonly workerKeptUp: boolean;
  readonly flows: number;
  readonly periodMs: number;
  readonly samplesProduced: number;
  readonly samplesPerS: number;
  readonly producerMaxLagMs: number;
  readonly windowsExpected: number;
  readonly rowsExpected: number;
  readonly rowsSeen: number;
  readonly rowsMissing: number;
  readonly delayAfterCloseMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  readonly delayAfterCloseMsSecondHalf: { p50: number | null; p99: number | null; max: number | null };
  readonly delayAfterWindowEndMs: { p50: number | null; p99: number | null };
  /** Per window (seconds since the first window): the delay after close of its last row, ms. */
  readonly lastRowDelayByWindowMs: (number | null)[];
  readonly workerTime: Record<string, number | null>;
  readonly polls: number;
  readonly benchEventLoopDelayMs: { p99: number; max: number };
  readonly pollErrors: number;
  readonly workerPeakRssMiB: number | null;
  readonly cpuSeconds: Record<string, number | null>;
}

const FLOWS_PER_GATEWAY = 50;
/** Divisors of 100 ms: a flow's period must tile a step exactly. */
const PERIODS_MS = [1, 2, 4, 5, 10, 20, 25, 50, 100];

export async function runLive(o: LiveOptions, log: (line: string) => void): Promise<LiveResult> {
  await migrateDatabase(o.clickhouseUrl, o.database);
  const ch = createClickHouse({ url: o.clickhouseUrl, database: o.database, requestTimeoutMs: 10_000 });
  const periodMs = PERIODS_MS.reduce((best, p) => (Math.abs(o.flows * (1000 / p) - o.targetSamplesPerS) < Math.abs(o.flows * (1000 / best) - o.targetSamplesPerS) ? p : best));
  const stepNs = o.stepMs * 1_000_000;
  // Gateways batching 50 flows each, one record per step (live-records.ts keeps producing cheap).
  if (o.flows % FLOWS_PER_GATEWAY !== 0) throw new Error(`live flows must be a multiple of ${FLOWS_PER_GATEWAY}`);
  const plan: TrafficPlan = {
    seed: 7, devices: o.flows / FLOWS_PER_GATEWAY, flowsPerDevice: FLOWS_PER_GATEWAY, enterprises: 10, periodNs: periodMs * 1_000_000, stepNs, steps: 0, startNs: 0n,
  };
  const templates = liveTemplates(plan);
  const producer = await createProducer({ brokers: [o.brokers], clientId: 'isochron-bench-live', client: 'confluent' });
  const w = startWorkerProcess(o);
  o.onStart?.(w);
  try {
    const readyBy = performance.now() + 60_000;
    while (!w.assigned()) {
      if (performance.now() > readyBy || w.child.exitCode !== null) throw new Error(`live worker not assigned partitions within 60 s:\n${w.tail()}`);
      await sleep(100);
    }
    const cpu = cpuMeter({ worker: w.pid, ...o.pids });
    // Blocking in this process delays the poller and so inflates the measured delays: reported.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    // Steps are aligned to the wall clock; the first batch covers [startMs, startMs + step).
    const startMs = Math.ceil(Date.now() / o.stepMs) * o.stepMs;
    const steps = Math.round((o.seconds * 1000) / o.stepMs);
    const stopMs = startMs + steps * o.stepMs;
    const seen = new Map<number, number>();
    /** (window start ms, delay ms, rows) per newly seen batch of rows. */
    const delays: [number, number, number][] = [];
    let produced = 0;
    let maxLag = 0;
    let peakRss = 0;
    let polling = true;
    let polls = 0;
    let pollErrors = 0;
    const latenessNs = o.allowedLatenessMs * 1_000_000;
    const poller = (async () => {
      while (polling) {
        let rows: { ws: string; n: string }[];
        try {
          rows = await ch.query<{ ws: string; n: string }>('SELECT window_start_ns AS ws, count() AS n FROM flow_windows GROUP BY window_start_ns');
        } catch (e) {
          // A failed poll only coarsens the time stamps of the rows the next poll finds: counted, reported.
          pollErrors++;
          if (pollErrors <= 3) log(`live: poll failed (${(e as Error).message.slice(0, 200)})`);
          await sleep(o.pollMs);
          continue;
        }
        polls++;
        const atMs = Date.now();
        for (const r of rows) {
          const ws = Number(r.ws);
          const n = Number(r.n);
          const before = seen.get(ws) ?? 0;
          if (n > before) {
            seen.set(ws, n);
            delays.push([ws / 1e6, atMs - (ws + WINDOW_NS + latenessNs) / 1e6, n - before]);
          }
        }
        peakRss = Math.max(peakRss, procMemory(w.pid)?.hwmBytes ?? 0);
        await sleep(o.pollMs);
      }
    })();
    for (let s = 0; s < steps; s++) {
      const dueMs = startMs + (s + 1) * o.stepMs;
      const wait = dueMs - Date.now();
      // Behind schedule still yields: the poller's time stamps must not wait for the producer.
      await (wait > 0 ? sleep(wait) : new Promise((r) => setImmediate(r)));
      maxLag = Math.max(maxLag, Date.now() - dueMs);
      const baseSendNs = BigInt(startMs + s * o.stepMs) * 1_000_000n;
      const messages: OutgoingMessage[] = [];
      for (const t of templates) {
        messages.push({ key: t.key, value: liveRecord(t, s, baseSendNs) });
        produced += t.samplesPerStep;
      }
      // Not awaited one by one: a slow acknowledgement must not delay the next step.
      void producer.send(o.topic, messages).catch((e: unknown) => log(`live produce failed: ${(e as Error).message}`));
      if (s % Math.round(10_000 / o.stepMs) === 0 && s > 0) log(`live: ${((s * o.stepMs) / 1000).toFixed(0)} s of ${o.seconds} s, ${seen.size} windows seen, ${polls} polls, ${pollErrors} failed`);
    }
    // Windows whose close time passed while data was still flowing must appear; wait for them.
    const lastClosable = Math.floor((stopMs - o.allowedLatenessMs) / 1000) * 1000 - 1000; // start of the last window with end + lateness <= stop
    const firstWindow = Math.floor(startMs / 1000) * 1000;
    const windowsExpected = lastClosable >= firstWindow ? (lastClosable - firstWindow) / 1000 + 1 : 0;
    const rowsExpected = windowsExpected * o.flows;
    const waitUntil = Date.now() + 15_000;
    const expectedSeen = () => {
      let n = 0;
      for (const [ws, c] of seen) if (ws / 1e6 >= firstWindow && ws / 1e6 <= lastClosable) n += Math.min(c, o.flows);
      return n;
    };
    while (Date.now() < waitUntil && expectedSeen() < rowsExpected) await sleep(o.pollMs);
    polling = false;
    await poller;
    const cpuSeconds = cpu();
    loopDelay.disable();
    const last = await w.scrape();
    const lastRowDelay: (number | null)[] = [];
    for (let ws = firstWindow; ws <= lastClosable; ws += 1000) {
      const d = delays.filter(([x]) => x === ws).map(([, v]) => v);
      lastRowDelay.push(d.length > 0 ? Math.round(Math.max(...d)) : null);
    }
    // Windows after lastClosable close only on processing-time idleness once data stops: not this measure.
    const inScope = delays.filter(([ws]) => ws >= firstWindow && ws <= lastClosable).map(([, d, n]) => [d, n] as const);
    const p = (q: number) => weightedPercentile(inScope, q);
    // The second half alone: after start-up (JIT, first flushes) when the worker keeps up.
    const midWindow = firstWindow + Math.floor(windowsExpected / 2) * 1000;
    const late = delays.filter(([ws]) => ws >= midWindow && ws <= lastClosable).map(([, d, n]) => [d, n] as const);
    const round = (v: number | null, plus = 0) => (v === null ? null : Math.round(v + plus));
    const rowsSeen = expectedSeen();
    // Least-squares slope of the last-row delay over the windows: near 0 when the worker keeps
    // up; positive (ms of extra delay per second of traffic) when its backlog grows.
    const pts = lastRowDelay.map((d, i) => [i, d] as const).filter((x): x is readonly [number, number] => x[1] !== null);
    const mx = pts.reduce((a, [x]) => a + x, 0) / (pts.length || 1);
    const my = pts.reduce((a, [, y]) => a + y, 0) / (pts.length || 1);
    const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    const trend = sxx > 0 ? pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx : null;
    const producerKeptUp = maxLag <= 5 * o.stepMs;
    return {
      valid: producerKeptUp,
      delayTrendMsPerS: trend === null ? null : Math.round(trend),
      // Kept up: every closable window arrived within the wait, and the delay did not grow.
      workerKeptUp: rowsSeen === rowsExpected && trend !== null && trend < 50,
      flows: o.flows,
      periodMs,
      samplesProduced: produced,
      samplesPerS: produced / o.seconds,
      producerMaxLagMs: maxLag,
      windowsExpected,
      rowsExpected,
      rowsSeen,
      rowsMissing: rowsExpected - rowsSeen,
      delayAfterCloseMs: { p50: round(p(0.5)), p90: round(p(0.9)), p99: round(p(0.99)), max: round(p(1)) },
      delayAfterCloseMsSecondHalf: { p50: round(weightedPercentile(late, 0.5)), p99: round(weightedPercentile(late, 0.99)), max: round(weightedPercentile(late, 1)) },
      delayAfterWindowEndMs: { p50: round(p(0.5), o.allowedLatenessMs), p99: round(p(0.99), o.allowedLatenessMs) },
      lastRowDelayByWindowMs: lastRowDelay,
      workerTime: last ? workerTimeSplit(last.text) : {},
      polls,
      pollErrors,
      benchEventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
      workerPeakRssMiB: peakRss > 0 ? Math.round(peakRss / 2 ** 20) : null,
      cpuSeconds,
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await w.stop(30_000);
  }
}
