// npm run bench:core — engine throughput and memory, one JSON line per figure. Not a test: these
// machines are noisy, so each throughput figure is measured next to a baseline in the same run
// (interleaved repetitions, best of each) and the ratio is the number to compare across runs.
//
//   ingest        10 000 flows (1000 devices x 10), 1 kHz periodic, 0.1 % loss reports, 0.2 %
//                 adjacent swaps, 5 % of batches end with a duplicate, 1 % delay outliers; 1000-
//                 sample batches (one device, 10 flows x 100); all metrics on (T, Lmax, S declared).
//                 Baseline: the same batches, a loop that only reads every column (decode stand-in).
//   decode        the same traffic encoded (services/core/wire/encode-batch.ts): decodeBatch alone
//                 vs decodeBatch + engine.
//   memory        1 M active flows (1 sample per flow per second, steady state: 4 open windows per
//                 flow with 3 s lateness), RSS in a fresh process.
//
//   BENCH_ROUNDS=60 BENCH_DEVICES=1000 npm run bench:core [ingest|decode|memory]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DecodedBatch, DecodedFlow } from '../wire/batch.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../wire/batch.ts';
import { decodeBatch } from '../wire/decode-batch.ts';
import { encodeBatch } from '../wire/encode-batch.ts';
import { MetricEngine } from './engine.ts';

const OK = FLAG_RECEIVED | FLAG_CLOCK_SYNCED;
const T0 = 1_750_000_000_000_000_000n;
const PERIOD_NS = 1_000_000;
const PER_FLOW = 100;
const FLOWS_PER_DEVICE = 10;
const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);

function out(obj: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** One reusable batch per device; seqRel holds each sample's sequence number within a round. */
interface Template { batch: DecodedBatch; seqRel: Uint32Array[] }

function makeTemplates(devices: number): Template[] {
  let state = 12345;
  const rand = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const templates: Template[] = [];
  for (let d = 0; d < devices; d++) {
    const flows: DecodedFlow[] = [];
    const seqRel: Uint32Array[] = [];
    for (let k = 0; k < FLOWS_PER_DEVICE; k++) {
      const n = PER_FLOW;
      const rel = new Uint32Array(n);
      const off = new Float64Array(n);
      const delay = new Float64Array(n);
      const size = new Uint32Array(n);
      const flags = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        rel[i] = i;
        off[i] = i * PERIOD_NS + (d % 997);
        delay[i] = 200_000 + Math.floor(rand() * 50_000) + (rand() < 0.01 ? 2_000_000 : 0);
        size[i] = 64;
        flags[i] = rand() < 0.001 ? 0 : OK;
      }
      for (let i = 1; i < n; i++) {
        if (rand() < 0.002) {
          [rel[i - 1], rel[i]] = [rel[i], rel[i - 1]];
          [off[i - 1], off[i]] = [off[i], off[i - 1]];
        }
      }
      if (rand() < 0.05) {
        rel[n - 1] = rel[n - 2];
        off[n - 1] = off[n - 2];
      }
      seqRel.push(rel);
      flows.push({
        flowId: `flow-${k}`, seqBits: 32, count: n, baseSendNs: T0, seq: new Uint32Array(n), sendOffsetNs: off, delayNs: delay,
        sizeBytes: size, flags, transferIntervalNs: PERIOD_NS, maxLatencyNs: 1_000_000, survivalTimeNs: PERIOD_NS,
      });
    }
    templates.push({
      batch: {
        schemaVersion: 1,
        identity: { enterpriseId: 'ent-bench', siteId: 'site', networkType: '5g', segmentId: 'cell-1', deviceId: `dev-${d}` },
        createdNs: 0n, flows, sampleCount: FLOWS_PER_DEVICE * PER_FLOW,
      },
      seqRel,
    });
  }
  return templates;
}

/** Points a template at round r: send times r * 100 ms later, sequence numbers r * 100 higher. */
function setRound(t: Template, r: number): DecodedBatch {
  const first = r * PER_FLOW;
  const base = T0 + BigInt(first) * BigInt(PERIOD_NS);
  const flows = t.batch.flows;
  for (let k = 0; k < flows.length; k++) {
    const f = flows[k];
    f.baseSendNs = base;
    const rel = t.seqRel[k];
    const seq = f.seq;
    for (let i = 0; i < f.count; i++) seq[i] = (first + rel[i]) >>> 0;
  }
  return t.batch;
}

function touch(b: DecodedBatch): number {
  let acc = 0;
  for (const f of b.flows) {
    for (let i = 0; i < f.count; i++) acc += f.seq[i] + f.sendOffsetNs[i] + f.delayNs[i] + f.sizeBytes[i] + f.flags[i];
  }
  return acc;
}

function benchIngest(): void {
  const templates = makeTemplates(DEVICES);
  const samples = ROUNDS * DEVICES * FLOWS_PER_DEVICE * PER_FLOW;
  let rows = 0;
  let sink = 0;
  const runEngine = (): void => {
    const engine = new MetricEngine({});
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of templates) engine.ingest(0, setRound(t, r));
      rows = engine.drain().windows.length;
    }
    rows += engine.flushPartition(0).windows.length;
  };
  const runBaseline = (): void => {
    for (let r = 0; r < ROUNDS; r++) for (const t of templates) sink += touch(setRound(t, r));
  };
  let bestEngine = Infinity;
  let bestBase = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    bestEngine = Math.min(bestEngine, time(runEngine));
    bestBase = Math.min(bestBase, time(runBaseline));
  }
  const engineRate = samples / (bestEngine / 1e3);
  const baseRate = samples / (bestBase / 1e3);
  out({
    bench: 'engine.ingest', flows: DEVICES * FLOWS_PER_DEVICE, samples, batchSamples: FLOWS_PER_DEVICE * PER_FLOW, eventSeconds: (ROUNDS * PER_FLOW * PERIOD_NS) / 1e9,
    engineSamplesPerS: Math.round(engineRate), baselineTouchSamplesPerS: Math.round(baseRate), ratioEngineToBaseline: +(engineRate / baseRate).toFixed(4),
    goalSamplesPerS: 8_000_000, checksum: sink > 0 && rows >= 0,
  });
}

function benchDecode(): void {
  const templates = makeTemplates(DEVICES);
  const rounds = Math.min(ROUNDS, 30);
  const bytes: Uint8Array[] = [];
  for (let r = 0; r < rounds; r++) for (const t of templates) bytes.push(encodeBatch(setRound(t, r)));
  const samples = rounds * DEVICES * FLOWS_PER_DEVICE * PER_FLOW;
  let n = 0;
  const decodeOnly = (): void => {
    for (const b of bytes) n += decodeBatch(b).sampleCount;
  };
  const decodeEngine = (): void => {
    const engine = new MetricEngine({});
    for (let i = 0; i < bytes.length; i++) {
      engine.ingest(0, decodeBatch(bytes[i]));
      if (i % DEVICES === 0) engine.drain();
    }
    n += engine.flushPartition(0).windows.length;
  };
  let bestDecode = Infinity;
  let bestBoth = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    bestDecode = Math.min(bestDecode, time(decodeOnly));
    bestBoth = Math.min(bestBoth, time(decodeEngine));
  }
  const decRate = samples / (bestDecode / 1e3);
  const bothRate = samples / (bestBoth / 1e3);
  out({
    bench: 'decode+engine', samples, bytesPerSample: +(bytes.reduce((a, b) => a + b.length, 0) / samples).toFixed(2),
    decodeOnlySamplesPerS: Math.round(decRate), decodePlusEngineSamplesPerS: Math.round(bothRate), ratioDecodeEngineToDecodeOnly: +(bothRate / decRate).toFixed(4),
    checksum: n > 0,
  });
}

function benchMemory(): void {
  const flowsTotal = Number(process.env.BENCH_MEMORY_FLOWS ?? 1_000_000);
  const perBatch = 100;
  const rounds = 5; // seconds 0..4: window 0 closes at 4 s, windows 1..4 stay open
  const rss0 = process.memoryUsage().rss;
  const engine = new MetricEngine({ maxFlows: flowsTotal });
  const ms = time(() => {
    for (let r = 0; r < rounds; r++) {
      for (let d = 0; d < flowsTotal / perBatch; d++) {
        const flows: DecodedFlow[] = [];
        for (let k = 0; k < perBatch; k++) {
          flows.push({
            flowId: `f${k}`, seqBits: 32, count: 1, baseSendNs: T0 + BigInt(r) * 1_000_000_000n + BigInt(k * 1000),
            seq: Uint32Array.of(r), sendOffsetNs: Float64Array.of(0), delayNs: Float64Array.of(300_000 + k), sizeBytes: Uint32Array.of(64),
            flags: Uint8Array.of(OK), transferIntervalNs: 1_000_000_000, maxLatencyNs: 1_000_000, survivalTimeNs: 0,
          });
        }
        engine.ingest(0, {
          schemaVersion: 1, identity: { enterpriseId: 'ent', siteId: 'site', networkType: '5g', segmentId: 'cell', deviceId: `dev-${d}` },
          createdNs: 0n, flows, sampleCount: perBatch,
        });
        // A worker drains after every poll; rows are not kept around for a whole second.
        if (d % 100 === 99) engine.drain();
      }
      engine.drain();
    }
  });
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const st = engine.stats();
  out({
    bench: 'engine.memory', activeFlows: st.flows, openWindows: st.openWindows, samples: flowsTotal * rounds, ingestMs: Math.round(ms),
    rssMiB: Math.round(mem.rss / 2 ** 20), rssBeforeMiB: Math.round(rss0 / 2 ** 20), heapUsedMiB: Math.round(mem.heapUsed / 2 ** 20),
    heapTotalMiB: Math.round(mem.heapTotal / 2 ** 20), arrayBuffersMiB: Math.round(mem.arrayBuffers / 2 ** 20), bytesPerFlow: Math.round((mem.rss - rss0) / st.flows), goalRssMiB: 1536,
  });
}

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'ingest') benchIngest();
if (which === 'all' || which === 'decode') benchDecode();
if (which === 'memory') benchMemory();
if (which === 'all') {
  // Memory in a fresh process, so the throughput runs above do not inflate its RSS.
  const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), 'memory'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) out({ bench: 'engine.memory', error: `exit ${String(r.status)}` });
}
