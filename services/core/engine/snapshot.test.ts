// A partition snapshotted at any point and restored into another engine continues exactly as if
// nothing happened: the union of rows before and after equals an undisturbed run, byte for byte.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DecodedBatch } from '../wire/batch.ts';
import { MetricEngine } from './engine.ts';
import type { EngineConfig } from './config.ts';
import type { DiscardRow, WindowRow } from './window-row.ts';
import { randomBatches, rng, stableJson } from './testkit.ts';
import { generateFlow } from './stream-gen.ts';
import { isIsochronError } from '../errors.ts';

const CFG: Partial<EngineConfig> = { windowNs: 100_000_000, allowedLatenessNs: 250_000_000, seqMaxMisorder: 64, reorderExtentCap: 8 };

function canonical(rows: WindowRow[], discards: DiscardRow[]): string {
  const key = (r: { deviceId: string; flowId: string; windowStartNs: bigint }) => `${r.deviceId}/${r.flowId}/${String(r.windowStartNs).padStart(24, '0')}`;
  const agg = new Map<string, number>();
  for (const d of discards) agg.set(`${key(d)}|${d.reason}`, (agg.get(`${key(d)}|${d.reason}`) ?? 0) + d.count);
  return stableJson({ rows: [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1)), discards: [...agg.entries()].sort() });
}

function batchesFor(seed: number): DecodedBatch[] {
  const r = rng(seed);
  const flows = [0, 1, 2].map((i) =>
    generateFlow({
      seed: seed + i, flowId: `f${i}`, device: `d${i % 2}`, packets: 100 + Math.floor(r() * 300), periodNs: 2_000_000,
      t0Ns: 1_700_000_000_000_000_000n + BigInt(Math.floor(r() * 5e7)), seqBits: i === 1 ? 16 : 32, lossProb: 0.05, burstProb: 0.02,
      reportProb: 0.3, dupProb: 0.05, corruptProb: 0.02, unsyncedProb: 0.05, negativeProb: 0.03, lateProb: 0.05, lateMaxNs: 400_000_000,
      restart: r() < 0.7, garbageProb: 0.03, withAvailability: true,
    }),
  );
  return randomBatches(flows, seed * 7 + 1, 25);
}

describe('partition snapshots', () => {
  it('restore continues byte-identically from any cut point (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, cutAt) => {
        const batches = batchesFor(seed);
        const a = new MetricEngine(CFG);
        for (const b of batches) a.ingest(3, b);
        const whole = a.flushPartition(3);

        const cut = Math.floor(cutAt * batches.length);
        const b1 = new MetricEngine(CFG);
        for (const b of batches.slice(0, cut)) b1.ingest(3, b);
        const before = b1.drain();
        const state = b1.snapshotPartition(3);
        const b2 = new MetricEngine(CFG);
        b2.restorePartition(3, state);
        for (const b of batches.slice(cut)) b2.ingest(3, b);
        const after = b2.flushPartition(3);
        expect(canonical([...before.windows, ...after.windows], [...before.discards, ...after.discards])).toBe(canonical(whole.windows, whole.discards));
      }),
      { numRuns: 40 },
    );
  });

  it('survives several take-overs and a snapshot of a snapshot', () => {
    const batches = batchesFor(99);
    const a = new MetricEngine(CFG);
    for (const b of batches) a.ingest(0, b);
    const whole = a.flushPartition(0);
    const rows: WindowRow[] = [];
    const discards: DiscardRow[] = [];
    let engine = new MetricEngine(CFG);
    batches.forEach((b, i) => {
      engine.ingest(0, b);
      if (i % 7 === 3) {
        const o = engine.drain();
        rows.push(...o.windows);
        discards.push(...o.discards);
        const s1 = engine.snapshotPartition(0);
        engine.dropPartition(0);
        engine.restorePartition(0, s1);
        expect(engine.snapshotPartition(0)).toEqual(s1);
        const next = new MetricEngine(CFG);
        next.restorePartition(0, s1);
        engine = next;
      }
    });
    const o = engine.flushPartition(0);
    expect(canonical([...rows, ...o.windows], [...discards, ...o.discards])).toBe(canonical(whole.windows, whole.discards));
  });

  it('dropPartition forgets state and pending output of that partition only', () => {
    const batches = batchesFor(5);
    const e = new MetricEngine(CFG);
    for (const b of batches) {
      e.ingest(0, b);
      e.ingest(1, b);
    }
    e.dropPartition(0);
    const o = e.drain();
    expect(o.windows.length).toBeGreaterThan(0);
    expect(e.stats().partitions).toBe(1);
    expect(e.flushPartition(0)).toEqual({ windows: [], discards: [] });
  });

  it('rejects truncated snapshots and snapshots taken with other settings', () => {
    const e = new MetricEngine(CFG);
    for (const b of batchesFor(7).slice(0, 20)) e.ingest(0, b);
    const s = e.snapshotPartition(0);
    const code = (f: () => void): string | undefined => {
      try {
        f();
      } catch (err) {
        return isIsochronError(err) ? err.code : 'other';
      }
      return undefined;
    };
    expect(code(() => new MetricEngine(CFG).restorePartition(0, s.subarray(0, s.length - 3)))).toBe('ISO_ENGINE_STATE_INVALID');
    expect(code(() => new MetricEngine({ ...CFG, windowNs: 200_000_000 }).restorePartition(0, s))).toBe('ISO_ENGINE_STATE_INVALID');
    expect(code(() => new MetricEngine(CFG).restorePartition(0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])))).toBe('ISO_ENGINE_STATE_INVALID');
    expect(code(() => new MetricEngine(CFG).restorePartition(0, s))).toBeUndefined();
  });
});
