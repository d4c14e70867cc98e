// npm run bench:decode — samples/s of the hand-written decoder against protobufjs on the same
// packed batches, in the same run, rounds interleaved (machines here are noisy: read the ratio).
// Prints one JSON line per variant and one per ratio.
//
//   BENCH_FLOWS=10 BENCH_SAMPLES=1000 BENCH_ROUNDS=7 BENCH_MS=300 npm run bench:decode

import { isochron } from '../../generated/proto/isochron.js';
import { createDecodeScratch, decodeBatch } from './decode-batch.ts';
import { encodeBatch, type RawBatch, type RawFlow } from './encode-batch.ts';
import { decodeBatchWithProtobufjs } from './protobufjs-adapter.ts';
import { mulberry32 as rng } from '../random.ts';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 10);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MS_PER_ROUND = Number(process.env.BENCH_MS ?? 300);
const BATCHES = 8;


/** A 1 ms periodic flow with jitter, 0.1 % loss and delays around 250 us, like a TSN stream. */
function makeBatch(seed: number): Uint8Array {
  const rand = rng(seed);
  const flows: RawFlow[] = [];
  for (let f = 0; f < FLOWS; f++) {
    const seq: number[] = [];
    const sendOffsetNs: number[] = [];
    const delayNs: number[] = [];
    const sizeBytes: number[] = [];
    const flags: number[] = [];
    let s = Math.floor(rand() * 2 ** 32);
    for (let i = 0; i < SAMPLES; i++) {
      s = (s + (rand() < 0.001 ? 2 : 1)) % 2 ** 32;
      seq.push(s);
      sendOffsetNs.push(i * 1_000_000 + Math.floor(rand() * 2000));
      const lost = rand() < 0.001;
      delayNs.push(lost ? 0 : 200_000 + Math.floor(rand() * 100_000));
      sizeBytes.push(64 + Math.floor(rand() * 1400));
      flags.push(lost ? 2 : 3);
    }
    flows.push({ flowId: `stream-${f}`, seq, baseSendNs: 1_700_000_000_000_000_000n, sendOffsetNs, delayNs, sizeBytes, flags, transferIntervalNs: 1_000_000 });
  }
  const batch: RawBatch = {
    identity: { enterpriseId: 'acme', siteId: 'plant-3', networkType: 'tsn', segmentId: 'tsn-a', deviceId: '88.100.1/PLC-42' },
    createdNs: 1_700_000_000_100_000_000n,
    flows,
  };
  return encodeBatch(batch);
}

const batches = Array.from({ length: BATCHES }, (_, i) => makeBatch(i + 1));
const samplesPerBatch = FLOWS * SAMPLES;
const scratch = createDecodeScratch();
const Pb = isochron.telemetry.v1.TelemetryBatch;

// Results feed a sink so the JIT cannot drop the work.
let sink = 0;
const variants: Record<string, (b: Uint8Array) => void> = {
  'hand-written': (b) => { sink += decodeBatch(b).sampleCount; },
  'hand-written+scratch': (b) => { sink += decodeBatch(b, undefined, scratch).sampleCount; },
  'protobufjs': (b) => { sink += Pb.decode(b).flows.length; },
  'protobufjs+adapter': (b) => { sink += decodeBatchWithProtobufjs(b).sampleCount; },
};

function runFor(fn: (b: Uint8Array) => void, ms: number): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < BATCHES; i++) fn(batches[i]);
    n += BATCHES;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (n * samplesPerBatch) / (elapsed / 1000);
}

const names = Object.keys(variants);
for (const name of names) runFor(variants[name], 200); // warm-up
const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) for (const name of names) rates[name].push(runFor(variants[name], MS_PER_ROUND));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bytesPerSample = batches.reduce((n, b) => n + b.length, 0) / (BATCHES * samplesPerBatch);
const result: Record<string, number> = {};
for (const name of names) {
  result[name] = median(rates[name]);
  console.log(JSON.stringify({
    bench: 'decode', variant: name, samplesPerSec: Math.round(result[name]), flows: FLOWS, samplesPerFlow: SAMPLES,
    bytesPerSample: Number(bytesPerSample.toFixed(2)), rounds: ROUNDS, min: Math.round(Math.min(...rates[name])), max: Math.round(Math.max(...rates[name])),
  }));
}
for (const [a, b] of [['hand-written', 'protobufjs'], ['hand-written+scratch', 'protobufjs'], ['hand-written', 'protobufjs+adapter']]) {
  console.log(JSON.stringify({ bench: 'decode', ratio: `${a}/${b}`, value: Number((result[a] / result[b]).toFixed(2)) }));
}
if (sink === 0) console.error('unreachable: keeps the sink alive');
