// Same input, same bytes: rows and discards do not depend on batch boundaries, on how flows are
// interleaved, on how many flows share a batch, or on when drain() is called.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DecodedBatch } from '../wire/batch.ts';
import { MetricEngine } from './engine.ts';
import type { DiscardRow, WindowRow } from './window-row.ts';
import { makeBatch, randomBatches, rng, stableJson, type RawFlow } from './testkit.ts';
import { generateFlow } from './stream-gen.ts';

const CFG = { windowNs: 100_000_000, allowedLatenessNs: 250_000_000, seqMaxMisorder: 64, reorderExtentCap: 8 };

function run(batches: DecodedBatch[], drainEvery: number): string {
  const e = new MetricEngine(CFG);
  const rows: WindowRow[] = [];
  const discards: DiscardRow[] = [];
  batches.forEach((b, i) => {
    e.ingest(0, b);
    if (i % drainEvery === 0) {
      const o = e.drain();
      rows.push(...o.windows);
      discards.push(...o.discards);
    }
  });
  const f = e.flushPartition(0);
  rows.push(...f.windows);
  discards.push(...f.discards);
  const key = (r: { deviceId: string; flowId: string; windowStartNs: bigint }) => `${r.deviceId}\u0000${r.flowId}\u0000${String(r.windowStartNs).padStart(24, '0')}`;
  rows.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const agg = new Map<string, number>();
  for (const d of discards) agg.set(`${key(d)}|${d.reason}`, (agg.get(`${key(d)}|${d.reason}`) ?? 0) + d.count);
  return stableJson({ rows, discards: [...agg.entries()].sort() });
}

/** Several flows of one device per batch: random slices, grouped by device, random order. */
function groupedBatches(flows: RawFlow[], seed: number): DecodedBatch[] {
  const rand = rng(seed);
  const pos = flows.map(() => 0);
  const out: DecodedBatch[] = [];
  while (pos.some((p, i) => p < flows[i].samples.length)) {
    const device = flows[Math.floor(rand() * flows.length)].identity.deviceId;
    const parts = flows
      .map((f, i) => ({ f, i }))
      .filter(({ f, i }) => f.identity.deviceId === device && pos[i] < f.samples.length && rand() < 0.8)
      .map(({ f, i }) => {
        const len = 1 + Math.floor(rand() * 60);
        const samples = f.samples.slice(pos[i], pos[i] + len);
        pos[i] += samples.length;
        return { flow: f, samples };
      });
    if (parts.length > 0) out.push(makeBatch(parts[0].flow.identity, parts));
  }
  return out;
}

describe('determinism', () => {
  it('rows are byte-identical for any batching, interleaving and drain cadence (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (seed, cutA, cutB) => {
        const r = rng(seed);
        const flows = [0, 1, 2, 3].map((i) =>
          generateFlow({
            seed: seed + i, flowId: `f${i % 2}`, device: `d${i >> 1}`, packets: 150 + Math.floor(r() * 250), periodNs: [1_000_000, 3_000_000][i % 2],
            t0Ns: 1_700_000_000_000_000_000n + BigInt(Math.floor(r() * 1e8)), seqBits: i % 2 ? 16 : 32, lossProb: 0.05, burstProb: 0.01, reportProb: 0.3,
            dupProb: 0.03, corruptProb: 0.01, unsyncedProb: 0.05, negativeProb: 0.02, lateProb: 0.05, lateMaxNs: 500_000_000, restart: r() < 0.5,
            garbageProb: 0.01, withAvailability: true,
          }),
        );
        const whole = flows.map((f) => makeBatch(f.identity, [{ flow: f, samples: f.samples }]));
        const a = run(randomBatches(flows, cutA, 7), 1);
        expect(run(randomBatches(flows, cutB, 120), 5)).toBe(a);
        expect(run(whole, 2)).toBe(a);
        expect(run(groupedBatches(flows, cutA ^ cutB), 3)).toBe(a);
      }),
      { numRuns: 25 },
    );
  });
});
