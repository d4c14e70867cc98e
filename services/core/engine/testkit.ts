// Test support (not shipped logic): builds DecodedBatch objects directly from per-sample records,
// and cuts per-flow streams into batches in different ways. The wire decoder is not used here so
// engine tests do not depend on it.
import type { DecodedBatch, DecodedFlow, Identity } from '../wire/batch.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../wire/batch.ts';
import { mulberry32 } from '../random.ts';

export interface RawSample {
  /** Wire sequence number (already reduced mod 2^seqBits). */
  seq: number;
  sendNs: bigint;
  delayNs: number;
  sizeBytes: number;
  flags: number;
}

export interface RawFlow {
  identity: Identity;
  flowId: string;
  seqBits: 16 | 32;
  transferIntervalNs?: number;
  maxLatencyNs?: number;
  survivalTimeNs?: number;
  /** Arrival order. */
  samples: RawSample[];
}

export const OK_FLAGS = FLAG_RECEIVED | FLAG_CLOCK_SYNCED;

export function identity(device = 'dev-1', enterprise = 'ent-1'): Identity {
  return { enterpriseId: enterprise, siteId: 'site-1', networkType: 'tsn', segmentId: 'seg-1', deviceId: device };
}

export function decodedFlow(f: RawFlow, samples: RawSample[]): DecodedFlow {
  const n = samples.length;
  const base = n > 0 ? samples[0].sendNs : 0n;
  const out: DecodedFlow = {
    flowId: f.flowId,
    seqBits: f.seqBits,
    count: n,
    baseSendNs: base,
    seq: new Uint32Array(n),
    sendOffsetNs: new Float64Array(n),
    delayNs: new Float64Array(n),
    sizeBytes: new Uint32Array(n),
    flags: new Uint8Array(n),
    transferIntervalNs: f.transferIntervalNs ?? 0,
    maxLatencyNs: f.maxLatencyNs ?? 0,
    survivalTimeNs: f.survivalTimeNs ?? 0,
  };
  samples.forEach((s, i) => {
    out.seq[i] = s.seq;
    out.sendOffsetNs[i] = Number(s.sendNs - base);
    out.delayNs[i] = s.delayNs;
    out.sizeBytes[i] = s.sizeBytes;
    out.flags[i] = s.flags;
  });
  return out;
}

/** One batch holding the given slices (all flows must share the identity). */
export function makeBatch(id: Identity, parts: { flow: RawFlow; samples: RawSample[] }[], createdNs = 0n): DecodedBatch {
  const flows = parts.map((p) => decodedFlow(p.flow, p.samples));
  return { schemaVersion: 1, identity: id, createdNs, flows, sampleCount: flows.reduce((a, f) => a + f.count, 0) };
}

/** Deterministic PRNG for cutting streams. */
export const rng = mulberry32;

/**
 * Cuts every flow's stream into slices of random length and interleaves the slices of different
 * flows in random order (each flow's own order kept). Each batch holds one slice.
 */
export function randomBatches(flows: RawFlow[], seed: number, maxSlice: number): DecodedBatch[] {
  const rand = rng(seed);
  const pos = flows.map(() => 0);
  const out: DecodedBatch[] = [];
  for (;;) {
    const live = flows.map((f, i) => i).filter((i) => pos[i] < flows[i].samples.length);
    if (live.length === 0) return out;
    const i = live[Math.floor(rand() * live.length)];
    const len = 1 + Math.floor(rand() * maxSlice);
    const f = flows[i];
    const slice = f.samples.slice(pos[i], pos[i] + len);
    pos[i] += slice.length;
    out.push(makeBatch(f.identity, [{ flow: f, samples: slice }]));
  }
}

/** JSON with bigints, for byte-level comparison of rows. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x.toString()}n` : x));
}
