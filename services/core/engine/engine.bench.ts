// npm run bench:core — engine throughput and memory, printed as JSON lines (one per figure).
// Not a test: machines here are noisy, so every figure is paired with a baseline measured in the
// same run and the ratio is what to compare across runs.
//   1. ingest: 10 000 flows (1 kHz periodic, 0.1 % loss, 0.2 % reordering, 0.05 % duplicates),
//      batches of 1000 samples (one device, 10 flows x 100 samples), all metrics on,
//      vs a baseline loop that only reads the same columns (a decode-only stand-in).
//   2. decode + engine vs decode only, from encoded bytes, when services/core/wire/decode-batch.ts
//      exists (another engineer's module; skipped otherwise).
//   3. memory: 1 M active flows in one engine (1 sample per flow per 250 ms), RSS after ingest.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DecodedBatch, DecodedFlow } from '../wire/batch.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../wire/batch.ts';
import { MetricEngine } from './engine.ts';

const OK = FLAG_RECEIVED | FLAG_CLOCK_SYNCED;
const T0 = 1_750_000_000_000_000_000n;
const PERIOD_NS = 1_000_000;

function out(obj: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

/** Batches covering `seconds` of traffic for `devices` x `flowsPerDevice` flows. */
function makeTraffic(devices: number, flowsPerDevice: number, samplesPerFlow: number, seconds: number): DecodedBatch[] {
  const batches: DecodedBatch[] = [];
  const batchesPerFlow = Math.round((seconds * 1e9) / PERIOD_NS / samplesPerFlow);
  let state = 12345;
  const rand = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  for (let b = 0; b < batchesPerFlow; b++) {
    for (let d = 0; d < devices; d++) {
      const flows: DecodedFlow[] = [];
      for (let k = 0; k < flowsPerDevice; k++) {
        const n = samplesPerFlow;
        const seq = new Uint32Array(n);
        const off = new Float64Array(n);
        const delay = new Float64Array(n);
        const size = new Uint32Array(n);
        const flags = new Uint8Array(n);
        const first = b * n;
        for (let i = 0; i < n; i++) {
          const s = first + i;
          seq[i] = s >>> 0;
          off[i] = i * PERIOD_NS + (d % 997);
          delay[i] = 200_000 + Math.floor(rand() * 50_000) + (rand() < 0.01 ? 2_000_000 : 0);
          size[i] = 64;
          flags[i] = rand() < 0.001 ? 0 : OK;
        }
        // A little reordering and duplication inside the batch.
        for (let i = 1; i < n; i++) {
          if (rand() < 0.002) {
            [seq[i - 1], seq[i]] = [seq[i], seq[i - 1]];
            [off[i - 1], off[i]] = [off[i], off[i - 1]];
          }
        }
        if (rand() < 0.05) seq[n - 1] = seq[n - 2];
        flows.push({
          flowId: `flow-${k}`, seqBits: 32, count: n, baseSendNs: T0 + BigInt(first) * BigInt(PERIOD_NS),
          seq, sendOffsetNs: off, delayNs: delay, sizeBytes: size, flags,
          transferIntervalNs: PERIOD_NS, maxLatencyNs: 1_000_000, survivalTimeNs: PERIOD_NS,
        });
      }
      batches.push({
        schemaVersion: 1,
        identity: { enterpriseId: 'ent-bench', siteId: 'site', networkType: '5g', segmentId: 'cell-1', deviceId: `dev-${d}` },
        createdNs: 0n, flows, sampleCount: flowsPerDevice * samplesPerFlow,
      });
    }
  }
  return batches;
}

function baselineTouch(batches: DecodedBatch[]): number {
  let acc = 0;
  for (const b of batches) {
    for (const f of b.flows) {
      for (let i = 0; i < f.count; i++) acc += f.seq[i] + f.sendOffsetNs[i] + f.delayNs[i] + f.sizeBytes[i] + f.flags[i];
    }
  }
  return acc;
}

function runEngine(batches: DecodedBatch[]): { rows: number } {
  const engine = new MetricEngine({});
  let rows = 0;
  for (const b of batches) engine.ingest(0, b);
  rows += engine.drain().windows.length;
  rows += engine.flushPartition(0).windows.length;
  return { rows };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

function benchIngest(): void {
  const devices = 1000;
  const flowsPerDevice = 10;
  const batches = makeTraffic(devices, flowsPerDevice, 100, 6);
  const samples = batches.reduce((a, b) => a + b.sampleCount, 0);
  runEngine(batches.slice(0, 2000)); // warm-up
  baselineTouch(batches);
  const best = { engine: Infinity, base: Infinity, rows: 0 };
  for (let rep = 0; rep < 3; rep++) {
    const e = time(() => runEngine(batches));
    const b = time(() => baselineTouch(batches));
    best.engine = Math.min(best.engine, e.ms);
    best.base = Math.min(best.base, b.ms);
    best.rows = e.value.rows;
  }
  const engineRate = samples / (best.engine / 1e3);
  const baseRate = samples / (best.base / 1e3);
  out({
    bench: 'engine.ingest', flows: devices * flowsPerDevice, samples, batchSamples: 1000, rows: best.rows,
    engineSamplesPerS: Math.round(engineRate), baselineTouchSamplesPerS: Math.round(baseRate),
    ratioEngineToBaseline: +(engineRate / baseRate).toFixed(4), goalSamplesPerS: 8_000_000,
  });
}

async function benchDecode(): Promise<void> {
  const decodePath = fileURLToPath(new URL('../wire/decode-batch.ts', import.meta.url));
  const encodePath = fileURLToPath(new URL('../wire/encode-batch.ts', import.meta.url));
  if (!existsSync(decodePath) || !existsSync(encodePath)) {
    out({ bench: 'decode+engine', skipped: 'services/core/wire/decode-batch.ts or encode-batch.ts not present' });
    return;
  }
  const dec = (await import(decodePath)) as Record<string, unknown>;
  const enc = (await import(encodePath)) as Record<string, unknown>;
  const decodeBatch = dec.decodeBatch as ((b: Uint8Array) => DecodedBatch) | undefined;
  const encodeBatch = (enc.encodeBatch ?? enc.encodeDecodedBatch) as ((b: DecodedBatch) => Uint8Array) | undefined;
  if (typeof decodeBatch !== 'function' || typeof encodeBatch !== 'function') {
    out({ bench: 'decode+engine', skipped: 'decodeBatch/encodeBatch exports not found' });
    return;
  }
  const batches = makeTraffic(1000, 10, 100, 6);
  const bytes = batches.map((b) => encodeBatch(b));
  const samples = batches.reduce((a, b) => a + b.sampleCount, 0);
  const best = { both: Infinity, decode: Infinity };
  for (let rep = 0; rep < 3; rep++) {
    const d = time(() => { let n = 0; for (const b of bytes) n += decodeBatch(b).sampleCount; return n; });
    const e = time(() => {
      const engine = new MetricEngine({});
      for (const b of bytes) engine.ingest(0, decodeBatch(b));
      engine.drain();
      return engine.flushPartition(0).windows.length;
    });
    best.decode = Math.min(best.decode, d.ms);
    best.both = Math.min(best.both, e.ms);
  }
  const bothRate = samples / (best.both / 1e3);
  const decRate = samples / (best.decode / 1e3);
  out({
    bench: 'decode+engine', samples, decodeOnlySamplesPerS: Math.round(decRate), decodePlusEngineSamplesPerS: Math.round(bothRate),
    ratioDecodeEngineToDecodeOnly: +(bothRate / decRate).toFixed(4),
  });
}

function benchMemory(): void {
  const flowsTotal = 1_000_000;
  const perBatch = 100; // flows per batch (one device each, 100 flows)
  const rounds = 8; // 8 samples per flow, 250 ms apart: ~4 open windows per flow at the end
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const engine = new MetricEngine({ maxFlows: flowsTotal });
  const t = time(() => {
    for (let r = 0; r < rounds; r++) {
      for (let d = 0; d < flowsTotal / perBatch; d++) {
        const flows: DecodedFlow[] = [];
        for (let k = 0; k < perBatch; k++) {
          flows.push({
            flowId: `f${k}`, seqBits: 32, count: 1, baseSendNs: T0 + BigInt(r * 250_000_000 + k * 1000),
            seq: Uint32Array.of(r), sendOffsetNs: Float64Array.of(0), delayNs: Float64Array.of(300_000 + k),
            sizeBytes: Uint32Array.of(64), flags: Uint8Array.of(OK), transferIntervalNs: 250_000_000, maxLatencyNs: 1_000_000, survivalTimeNs: 0,
          });
        }
        engine.ingest(0, {
          schemaVersion: 1, identity: { enterpriseId: 'e', siteId: 's', networkType: '5g', segmentId: 'c', deviceId: `d${d}` },
          createdNs: 0n, flows, sampleCount: perBatch,
        });
      }
      engine.drain();
    }
  });
  globalThis.gc?.();
  const mem = process.memoryUsage();
  const st = engine.stats();
  out({
    bench: 'engine.memory', activeFlows: st.flows, openWindows: st.openWindows, ingestMs: Math.round(t.ms),
    rssBytes: mem.rss, rssMiB: Math.round(mem.rss / 2 ** 20), rssBeforeMiB: Math.round(rss0 / 2 ** 20),
    heapUsedMiB: Math.round(mem.heapUsed / 2 ** 20), arrayBuffersMiB: Math.round(mem.arrayBuffers / 2 ** 20),
    bytesPerFlow: Math.round((mem.rss - rss0) / st.flows), goalRssMiB: 1536,
  });
}

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'ingest') benchIngest();
if (which === 'all' || which === 'decode') await benchDecode();
if (which === 'all' || which === 'memory') benchMemory();
