import { describe, expect, it } from 'vitest';
import { isIsochronError } from '../errors.ts';
import { histogramKey, histogramQuantile } from '../metrics/histogram.ts';
import { mulberry32 } from '../random.ts';
import { blockLengthNs, checkPeriods, MAX_BLOCKS, MINUTE_NS } from './blocks.ts';
import { compareUpgrade, MIN_BLOCKS, verdictOf } from './compare.ts';
import { expandedTail, normalCdf, percentileInterval, studentQuantile } from './interval.ts';
import { estimateBlocks, estimateInto, keyIndex, METRIC_COUNT, preparePeriod } from './metrics.ts';
import type { MetricChange, UpgradeBlock, UpgradeMetricId } from './types.ts';

/** Raw per-block data the test keeps, so expected values are computed from it directly. */
interface RawBlock {
  delays: number[];
  sent: number;
  lost: number;
  ipdvAbs: number[];
  deadlineSent: number;
  met: number;
  expectedNs: number;
  downtimeNs: number;
}

function toBlock(r: RawBlock, i: number): UpgradeBlock {
  const counts = new Map<number, number>();
  for (const d of r.delays) counts.set(histogramKey(d), (counts.get(histogramKey(d)) ?? 0) + 1);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  return {
    startNs: BigInt(i) * MINUTE_NS, sentPackets: r.sent, lostPackets: r.lost, owdCount: r.delays.length,
    owdMinNs: r.delays.length ? Math.min(...r.delays) : null, owdHistKeys: keys, owdHistCounts: keys.map((k) => counts.get(k) as number),
    ipdvCount: r.ipdvAbs.length, ipdvAbsSumNs: r.ipdvAbs.reduce((a, b) => a + b, 0),
    deadlineSentPackets: r.deadlineSent, deadlineMetPackets: r.met, availExpectedNs: r.expectedNs, downtimeNs: r.downtimeNs,
  };
}

interface Gen {
  blocks: number;
  delayNs: (rnd: () => number) => number;
  samples: number;
  lossP: number;
  metP: number;
  downtimeNs: (rnd: () => number) => number;
}

function raw(g: Gen, seed: number): RawBlock[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: g.blocks }, () => {
    const delays = Array.from({ length: g.samples }, () => Math.round(g.delayNs(rnd)));
    let lost = 0;
    let met = 0;
    for (let i = 0; i < 500; i++) {
      if (rnd() < g.lossP) lost++;
      if (rnd() < g.metP) met++;
    }
    const ipdvAbs = delays.slice(1).map((d, i) => Math.abs(d - delays[i]));
    return { delays, sent: 500, lost, ipdvAbs, deadlineSent: 500, met, expectedNs: 60e9, downtimeNs: g.downtimeNs(rnd) };
  });
}

const exp = (meanNs: number, offsetNs: number) => (rnd: () => number) => offsetNs - meanNs * Math.log(1 - rnd());
const BASE: Gen = { blocks: 60, samples: 400, delayNs: exp(300_000, 2_000_000), lossP: 0.01, metP: 0.99, downtimeNs: () => 0 };

function byId(ms: readonly MetricChange[], id: UpgradeMetricId): MetricChange {
  const m = ms.find((x) => x.metric === id);
  if (!m) throw new Error(`no ${id}`);
  return m;
}

describe('point estimates', () => {
  it('equal sums and merged-histogram quantiles computed from the raw data', () => {
    const r = raw({ ...BASE, blocks: 7, downtimeNs: (rnd) => (rnd() < 0.5 ? 3e9 : 0) }, 5);
    const est = estimateBlocks(r.map(toBlock));
    const all = r.flatMap((b) => b.delays);
    const counts = new Map<number, number>();
    for (const d of all) counts.set(histogramKey(d), (counts.get(histogramKey(d)) ?? 0) + 1);
    const keys = [...counts.keys()].sort((a, b) => a - b);
    const cs = keys.map((k) => counts.get(k) as number);
    const sum = (f: (b: RawBlock) => number) => r.reduce((a, b) => a + f(b), 0);
    expect(est.owd_p50_ns).toBe(histogramQuantile(keys, cs, 0.5));
    expect(est.owd_p99_ns).toBe(histogramQuantile(keys, cs, 0.99));
    expect(est.owd_p999_ns).toBe(histogramQuantile(keys, cs, 0.999));
    expect(est.pdv_p99_ns).toBe((histogramQuantile(keys, cs, 0.99) as number) - Math.min(...all));
    expect(est.loss_ratio).toBeCloseTo(sum((b) => b.lost) / sum((b) => b.sent), 15);
    expect(est.reliability).toBeCloseTo(sum((b) => b.met) / sum((b) => b.deadlineSent), 15);
    expect(est.ipdv_mean_abs_ns).toBeCloseTo(r.flatMap((b) => b.ipdvAbs).reduce((a, b) => a + b, 0) / r.flatMap((b) => b.ipdvAbs).length, 6);
    expect(est.availability).toBeCloseTo(1 - sum((b) => b.downtimeNs) / sum((b) => b.expectedNs), 15);
  });
  it('a weighted resample equals the estimate over the blocks repeated by their weights', () => {
    const blocks = raw({ ...BASE, blocks: 9, downtimeNs: (rnd) => (rnd() < 0.5 ? 3e9 : 0) }, 6).map(toBlock);
    const keys = keyIndex(blocks);
    const w = Int32Array.from([0, 3, 1, 0, 2, 0, 1, 2, 0]);
    const out = new Float64Array(METRIC_COUNT);
    estimateInto(preparePeriod(blocks, keys), w, keys, new Int32Array(blocks.length), out);
    const repeated = blocks.flatMap((b, i) => Array.from({ length: w[i] }, () => b));
    const expected = Object.values(estimateBlocks(repeated));
    expect(Array.from(out)).toEqual(expected.map((v) => (v === null ? Number.NaN : v)));
  });
  it('is null without data', () => {
    const est = estimateBlocks([]);
    expect(Object.values(est).every((v) => v === null)).toBe(true);
  });
});

describe('verdicts on clear-cut cases', () => {
  const baseline = raw(BASE, 1).map(toBlock);
  it('delay shifted down by 1 ms: improved, interval contains the shift; same loss: unchanged; worse reliability: regressed', () => {
    const after = raw({ ...BASE, delayNs: exp(300_000, 1_000_000), metP: 0.9 }, 2).map(toBlock);
    const r = compareUpgrade(baseline, after);
    const p50 = byId(r.metrics, 'owd_p50_ns');
    expect(p50.verdict).toBe('improved');
    // The shift is -1 ms; histogram buckets add up to 0.5 % of ~2.2 ms on either side.
    expect(p50.ci!.low).toBeLessThan(-1_000_000 + 12_000);
    expect(p50.ci!.high).toBeGreaterThan(-1_000_000 - 12_000);
    expect(byId(r.metrics, 'owd_p99_ns').verdict).toBe('improved');
    expect(byId(r.metrics, 'loss_ratio').verdict).toBe('unchanged');
    expect(byId(r.metrics, 'ipdv_mean_abs_ns').verdict).toBe('unchanged');
    expect(byId(r.metrics, 'pdv_p99_ns').verdict).toBe('unchanged');
    const rel = byId(r.metrics, 'reliability');
    expect(rel.verdict).toBe('regressed');
    expect(rel.better).toBe('higher');
    expect(rel.ci!.high).toBeLessThan(0);
    // availability: no downtime anywhere, the interval is [0, 0]
    expect(byId(r.metrics, 'availability')).toMatchObject({ verdict: 'unchanged', ci: { low: 0, high: 0 }, change: 0 });
  });
  it('loss up tenfold: regressed; availability better: improved', () => {
    const worse = raw({ ...BASE, lossP: 0.1 }, 3).map(toBlock);
    const downBase = raw({ ...BASE, downtimeNs: (rnd) => 6e9 + 1e9 * rnd() }, 4).map(toBlock);
    expect(byId(compareUpgrade(baseline, worse).metrics, 'loss_ratio').verdict).toBe('regressed');
    const a = byId(compareUpgrade(downBase, baseline).metrics, 'availability');
    expect(a.verdict).toBe('improved');
    expect(a.change).toBeCloseTo(1 - (1 - downBase.reduce((s, b) => s + b.downtimeNs, 0) / downBase.reduce((s, b) => s + b.availExpectedNs, 0)), 12);
  });
  it('the same data on both sides: every metric unchanged, change 0', () => {
    const r = compareUpgrade(baseline, baseline);
    for (const m of r.metrics) {
      expect(m.verdict, m.metric).toBe('unchanged');
      expect(m.change, m.metric).toBe(0);
    }
  });
  it('verdictOf follows the direction and needs the whole interval on one side', () => {
    expect(verdictOf('lower', { low: -3, high: -1 })).toBe('improved');
    expect(verdictOf('lower', { low: 1, high: 3 })).toBe('regressed');
    expect(verdictOf('lower', { low: -1, high: 0 })).toBe('unchanged');
    expect(verdictOf('higher', { low: 0.01, high: 0.02 })).toBe('improved');
    expect(verdictOf('higher', { low: -0.02, high: -0.01 })).toBe('regressed');
    expect(verdictOf('higher', { low: -0.02, high: 0.01 })).toBe('unchanged');
    expect(verdictOf('higher', { low: 0, high: 0 })).toBe('unchanged');
  });
});

describe('determinism and small samples', () => {
  const b = raw(BASE, 11).map(toBlock);
  const a = raw({ ...BASE, delayNs: exp(280_000, 1_990_000) }, 12).map(toBlock);
  it('same inputs and seed: identical result; another seed: other intervals, same estimates', () => {
    const r1 = compareUpgrade(b, a, { seed: 42 });
    expect(compareUpgrade(b, a, { seed: 42 })).toEqual(r1);
    const r2 = compareUpgrade(b, a, { seed: 43 });
    expect(r2.metrics.map((m) => m.change)).toEqual(r1.metrics.map((m) => m.change));
    expect(r2.metrics.map((m) => m.ci)).not.toEqual(r1.metrics.map((m) => m.ci));
    expect(r1.method).toMatchObject({ seed: 42, resamples: 1000, confidenceLevel: 0.95, minimumBlocks: MIN_BLOCKS });
  });
  it(`fewer than ${MIN_BLOCKS} blocks in a period: insufficient_data, with the estimates still reported`, () => {
    const r = compareUpgrade(b.slice(0, MIN_BLOCKS - 1), a);
    for (const m of r.metrics) {
      expect(m.verdict, m.metric).toBe('insufficient_data');
      expect(m.ci).toBeNull();
      expect(m.reason).toContain(`baseline has ${MIN_BLOCKS - 1} blocks`);
    }
    expect(byId(r.metrics, 'owd_p50_ns').baseline).not.toBeNull();
    const ok = compareUpgrade(b.slice(0, MIN_BLOCKS), a.slice(0, MIN_BLOCKS));
    expect(byId(ok.metrics, 'owd_p50_ns').verdict).not.toBe('insufficient_data');
  });
  it('p99.9 needs 10 000 samples per period; blocks without a metric do not count for it', () => {
    const few = raw({ ...BASE, blocks: 40, samples: 200 }, 13).map(toBlock); // 8000 samples
    const r = compareUpgrade(few, few);
    expect(byId(r.metrics, 'owd_p999_ns')).toMatchObject({ verdict: 'insufficient_data', baselineAmount: 8000, minimumAmount: 10_000 });
    expect(byId(r.metrics, 'owd_p99_ns').verdict).toBe('unchanged');
    const noDeadline = few.map((x) => ({ ...x, deadlineSentPackets: 0, deadlineMetPackets: 0 }));
    expect(byId(compareUpgrade(noDeadline, few).metrics, 'reliability')).toMatchObject({ verdict: 'insufficient_data', baselineBlocks: 0, baseline: null });
  });
  it('rejects bad options and periods with ISO_UPGRADE_REQUEST_INVALID', () => {
    for (const o of [{ resamples: 10 }, { seed: -1 }, { seed: 1.5 }, { confidenceLevel: 1 }]) {
      let err: unknown;
      try { compareUpgrade(b, a, o); } catch (e) { err = e; }
      expect(isIsochronError(err) && err.code).toBe('ISO_UPGRADE_REQUEST_INVALID');
    }
    expect(() => checkPeriods({ fromNs: 10n, toNs: 10n }, { fromNs: 20n, toNs: 30n })).toThrow(/empty/);
    expect(() => checkPeriods({ fromNs: 10n, toNs: 25n }, { fromNs: 20n, toNs: 30n })).toThrow(/end before/);
    expect(() => checkPeriods({ fromNs: 10n, toNs: 20n }, { fromNs: 20n, toNs: 30n })).not.toThrow();
  });
});

describe('blocks and intervals', () => {
  it(`block length: whole minutes, at most ${MAX_BLOCKS} blocks`, () => {
    expect(blockLengthNs({ fromNs: 0n, toNs: 3_600n * 1_000_000_000n })).toBe(MINUTE_NS);
    expect(blockLengthNs({ fromNs: 0n, toNs: 720n * MINUTE_NS })).toBe(MINUTE_NS);
    expect(blockLengthNs({ fromNs: 0n, toNs: 721n * MINUTE_NS })).toBe(2n * MINUTE_NS);
    expect(blockLengthNs({ fromNs: 5n, toNs: 5n + 30n * 1440n * MINUTE_NS })).toBe(60n * MINUTE_NS);
    expect(blockLengthNs({ fromNs: 0n, toNs: 1n })).toBe(MINUTE_NS);
  });
  it('t quantiles and normal CDF agree with printed tables', () => {
    // t tables (e.g. Abramowitz & Stegun table 26.10): t_{0.975,29} = 2.045, t_{0.975,10} = 2.228, t_{0.995,60} = 2.660
    expect(studentQuantile(0.975, 29)).toBeCloseTo(2.0452, 3);
    expect(studentQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
    expect(studentQuantile(0.995, 60)).toBeCloseTo(2.6603, 3);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    // expansion shrinks towards the plain 2.5 % tail as n grows
    expect(expandedTail(0.95, 30)).toBeCloseTo(1 - normalCdf(Math.sqrt(30 / 29) * 2.0452), 4);
    expect(expandedTail(0.95, 100000)).toBeCloseTo(0.025, 4);
  });
  it('percentile interval picks order statistics floor(tail m) and ceil((1 - tail) m) - 1', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => 999 - i);
    expect(percentileInterval(x, 1000, 0.025)).toEqual({ low: 25, high: 974 });
  });
});
