import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendSparseFromSorted, ddsketchKey, ddsketchValue, HIST_ALPHA, HIST_GAMMA, HIST_MAX_KEY, HIST_ZERO_KEY, histogramKey, histogramQuantile, histogramValue, mergeSparse } from './histogram.ts';
import { rng } from '../engine/testkit.ts';

/** Exact nearest-rank quantile, written independently (full sort, BigInt rank). */
function exactQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const scaled = BigInt(Math.round(q * 1e6));
  const rank = Number((scaled * BigInt(s.length) + 999_999n) / 1_000_000n);
  return s[Math.max(1, rank) - 1];
}

function sketch(values: number[]): { keys: number[]; counts: number[] } {
  const s = Float64Array.from(values).sort();
  const keys: number[] = [];
  const counts: number[] = [];
  appendSparseFromSorted(s, 0, s.length, keys, counts);
  return { keys, counts };
}

describe('DDSketch mapping (METRICS.md §10 vector 13, alpha = 0.01)', () => {
  it('v=1 -> key 0, value 0.99; v=100 -> key 231, value 100.4946; v=0.5 -> key -34, value 0.50154', () => {
    expect(ddsketchKey(1, 0.01)).toBe(0);
    expect(ddsketchValue(0, 0.01)).toBeCloseTo(0.99, 10);
    expect(ddsketchKey(100, 0.01)).toBe(231);
    expect(ddsketchValue(231, 0.01)).toBeCloseTo(100.4946, 3);
    expect(ddsketchKey(0.5, 0.01)).toBe(-34);
    expect(ddsketchValue(-34, 0.01)).toBeCloseTo(0.50154, 4);
  });
});

describe('engine histogram (alpha = 0.005)', () => {
  it('has the documented parameters', () => {
    expect(HIST_ALPHA).toBe(0.005);
    expect(HIST_GAMMA).toBeCloseTo(1.005 / 0.995, 15);
    expect(HIST_ZERO_KEY).toBe(-32768);
    expect(HIST_MAX_KEY).toBeLessThan(32767);
    expect(Math.pow(HIST_GAMMA, HIST_MAX_KEY)).toBeGreaterThanOrEqual(2 ** 53);
  });
  it('puts every value v in the bucket (gamma^(k-1), gamma^k] and represents it within alpha', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (v) => {
        const k = histogramKey(v);
        if (k > 0) expect(v).toBeGreaterThan(Math.pow(HIST_GAMMA, k - 1));
        expect(v).toBeLessThanOrEqual(Math.pow(HIST_GAMMA, k));
        expect(Math.abs(histogramValue(k) - v) / v).toBeLessThanOrEqual(HIST_ALPHA * (1 + 1e-12));
      }),
    );
    expect(histogramKey(0)).toBe(HIST_ZERO_KEY);
    expect(histogramValue(HIST_ZERO_KEY)).toBe(0);
    expect(histogramKey(1)).toBe(0);
  });

  const r = rng(424242);
  const pareto = (xm: number, a: number) => Math.round(xm / Math.pow(1 - r(), 1 / a));
  const lognormal = (mu: number, sigma: number) => Math.round(Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())));
  const distributions: Record<string, () => number[]> = {
    'pareto alpha=1.2 (heavy tail)': () => Array.from({ length: 20000 }, () => pareto(50_000, 1.2)),
    'lognormal sigma=1.5': () => Array.from({ length: 20000 }, () => lognormal(Math.log(800_000), 1.5)),
    'tri-modal TSN/5G/Wi-Fi with zeros': () => Array.from({ length: 20000 }, () => {
      const u = r();
      if (u < 0.01) return 0;
      if (u < 0.6) return 4_400 + Math.round(r() * 260);
      if (u < 0.95) return 2_000_000 + Math.round(r() * 6_000_000);
      return 40_000_000 + Math.round(r() * 400_000_000);
    }),
  };
  for (const [name, gen] of Object.entries(distributions)) {
    it(`quantiles stay within the relative error bound: ${name}`, () => {
      const values = gen();
      // Several windows merged with sumMap, as ClickHouse does for a roll-up.
      const parts = [0, 1, 2, 3].map((i) => sketch(values.slice(i * 5000, (i + 1) * 5000)));
      const merged = mergeSparse(parts);
      let worst = 0;
      for (const q of [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999, 1]) {
        const exact = exactQuantile(values, q);
        const approx = histogramQuantile(merged.keys, merged.counts, q) as number;
        const err = exact === 0 ? Math.abs(approx) : Math.abs(approx - exact) / exact;
        worst = Math.max(worst, err);
        expect(err).toBeLessThanOrEqual(HIST_ALPHA * (1 + 1e-9));
      }
      expect(worst).toBeLessThanOrEqual(0.01);
    });
  }

  it('merging per-window histograms equals the histogram of all samples', () => {
    const values = Array.from({ length: 3000 }, () => pareto(1000, 1.5));
    const whole = sketch(values);
    const merged = mergeSparse([sketch(values.slice(0, 1000)), sketch(values.slice(1000, 1700)), sketch(values.slice(1700))]);
    expect(merged).toEqual(whole);
  });

  it('returns null on an empty histogram', () => {
    expect(histogramQuantile([], [], 0.5)).toBeNull();
  });
});
