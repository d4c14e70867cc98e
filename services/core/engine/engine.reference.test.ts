// Property tests: every field of every window row equals the independent brute-force model
// (reference-model.ts) on random streams with loss, bursts, reports, duplicates, corruption,
// reordering, very late packets, 16/32-bit wraps, restarts, garbage sequence numbers,
// unsynchronised clocks and negative delays, cut into random batches and interleaved randomly.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricEngine } from './engine.ts';
import type { EngineConfig } from './config.ts';
import type { DiscardRow, WindowRow } from './window-row.ts';
import { randomBatches, type RawFlow } from './testkit.ts';
import { generateFlow } from './stream-gen.ts';
import { referenceFlow, type RefConfig } from './reference-model.ts';

// More runs for a deeper search: ISOCHRON_PROPERTY_RUNS=5000 npx vitest run <this file>
const RUNS = Number(process.env.ISOCHRON_PROPERTY_RUNS ?? 150);

const META = ['enterpriseId', 'siteId', 'networkType', 'segmentId', 'deviceId', 'flowId', 'windowNs', 'lossWaitNs', 'seqBits'];

function runEngine(cfg: Partial<EngineConfig>, flows: RawFlow[], seed: number, maxSlice: number): { rows: WindowRow[]; discards: DiscardRow[] } {
  const engine = new MetricEngine(cfg);
  const rows: WindowRow[] = [];
  const discards: DiscardRow[] = [];
  const batches = randomBatches(flows, seed, maxSlice);
  batches.forEach((b, i) => {
    engine.ingest(0, b);
    if (i % 3 === 0) {
      const out = engine.drain();
      rows.push(...out.windows);
      discards.push(...out.discards);
    }
  });
  const last = engine.drain();
  const flushed = engine.flushPartition(0);
  rows.push(...last.windows, ...flushed.windows);
  discards.push(...last.discards, ...flushed.discards);
  return { rows, discards };
}

function compareFlow(flow: RawFlow, rows: WindowRow[], discards: DiscardRow[], ref: RefConfig): void {
  const mine = rows.filter((r) => r.flowId === flow.flowId && r.deviceId === flow.identity.deviceId);
  const want = referenceFlow(flow, ref);
  expect(mine.map((r) => r.windowStartNs)).toEqual(want.rows.map((r) => r.windowStartNs));
  mine.forEach((row, i) => {
    const expected = want.rows[i];
    // Every metric of the row is covered by the model.
    expect(Object.keys(row).filter((k) => !META.includes(k)).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) {
      const got = (row as unknown as Record<string, unknown>)[k];
      if (got !== expected[k] && !(typeof got === 'object' && JSON.stringify(got) === JSON.stringify(expected[k]))) {
        throw new Error(`flow ${flow.flowId} window ${String(row.windowStartNs)} field ${k}: engine ${JSON.stringify(got)} model ${JSON.stringify(expected[k])}`);
      }
    }
  });
  const agg = new Map<string, number>();
  for (const d of discards.filter((x) => x.flowId === flow.flowId && x.deviceId === flow.identity.deviceId)) {
    const k = `${d.windowStartNs}|${d.reason}`;
    agg.set(k, (agg.get(k) ?? 0) + d.count);
  }
  const wantAgg = new Map(want.discards.map((d) => [`${d.windowStartNs}|${d.reason}`, d.count]));
  expect(Object.fromEntries(agg)).toEqual(Object.fromEntries(wantAgg));
}

const refOf = (cfg: Required<Pick<EngineConfig, keyof RefConfig>>): RefConfig => ({ ...cfg });

const flowArb = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  packets: fc.integer({ min: 1, max: 500 }),
  periodNs: fc.constantFrom(1_000_000, 3_000_000, 7_000_000, 20_000_000),
  seqBits: fc.constantFrom<16 | 32>(16, 32),
  lossProb: fc.constantFrom(0, 0.01, 0.1, 0.3),
  burstProb: fc.constantFrom(0, 0.01, 0.05),
  reportProb: fc.constantFrom(0, 0.5),
  dupProb: fc.constantFrom(0, 0.02, 0.1),
  corruptProb: fc.constantFrom(0, 0.02),
  unsyncedProb: fc.constantFrom(0, 0.05, 1),
  negativeProb: fc.constantFrom(0, 0.03),
  lateProb: fc.constantFrom(0, 0.02, 0.1),
  restart: fc.boolean(),
  garbageProb: fc.constantFrom(0, 0.01),
  withAvailability: fc.boolean(),
});

describe('engine vs brute-force model', () => {
  it('matches on random streams (small windows, small bounds to hit every edge)', () => {
    const cfg = {
      windowNs: 100_000_000,
      allowedLatenessNs: 250_000_000,
      flowIdleGraceNs: 2 ** 49,
      seqMaxDropout16: 3000,
      seqMaxDropout32: 5000,
      seqMaxMisorder: 64,
      reorderExtentCap: 4,
      downtimeOrigin: 'survival_expiry' as const,
    };
    fc.assert(
      fc.property(fc.array(flowArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 200 }), fc.boolean(), (specs, cutSeed, maxSlice, firstFailure) => {
        const c = { ...cfg, downtimeOrigin: firstFailure ? ('first_failure' as const) : ('survival_expiry' as const) };
        const flows = specs.map((s, i) =>
          generateFlow({ ...s, flowId: `f${i}`, device: `d${i % 2}`, t0Ns: 1_700_000_000_123_456_789n + BigInt(i * 37_000_000), lateMaxNs: 600_000_000 }),
        );
        const { rows, discards } = runEngine(c, flows, cutSeed, maxSlice);
        for (const f of flows) compareFlow(f, rows, discards, refOf(c));
      }),
      { numRuns: RUNS },
    );
  });

  it('matches with the default settings (1 s windows, 3 s lateness)', () => {
    fc.assert(
      fc.property(flowArb, fc.integer({ min: 1, max: 1000 }), (spec, cutSeed) => {
        const flow = generateFlow({ ...spec, packets: spec.packets * 4, flowId: 'f', t0Ns: 1_750_000_000_999_999_999n, lateMaxNs: 5_000_000_000 });
        const engine = new MetricEngine({});
        const { rows, discards } = runEngine({ flowIdleGraceNs: 2 ** 49 }, [flow], cutSeed, 300);
        const c = engine.config;
        compareFlow(flow, rows, discards, refOf(c));
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});
