import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { interLossPeriodLengths, lossDistanceStream, lossNoticeableRate, lossPeriodLengths, lossPeriodStream, lossRunsOverRange } from './loss.ts';

describe('RFC 3357 (METRICS.md §10 vector 4)', () => {
  const f = [0, 1, 0, 0, 1, 0, 1, 0, 1, 1];
  it('reproduces the §5.4.3 / §6.5 streams and statistics', () => {
    expect(lossDistanceStream(f)).toEqual([[0, 0], [0, 1], [0, 0], [0, 0], [3, 1], [0, 0], [2, 1], [0, 0], [2, 1], [1, 1]]);
    expect(lossPeriodStream(f)).toEqual([[0, 0], [1, 1], [0, 0], [0, 0], [2, 1], [0, 0], [3, 1], [0, 0], [4, 1], [4, 1]]);
    expect(lossPeriodLengths(f)).toEqual([[1, 1], [2, 1], [3, 1], [4, 2]]);
    expect(interLossPeriodLengths(f)).toEqual([[1, 0], [2, 3], [3, 2], [4, 2]]);
    expect(lossNoticeableRate(f, 2)).toBeCloseTo(3 / 5, 12);
  });
  it('§4 example: r r r x r r x x x r x r r x x x has four loss periods starting at P3, P6, P10, P13', () => {
    const g = 'rrrxrrxxxrxrrxxx'.split('').map((c) => (c === 'x' ? 1 : 0));
    const starts = lossPeriodStream(g).map(([p], i) => [p, i] as const).filter(([p], i, a) => p > 0 && (i === 0 || a[i - 1][0] !== p)).map(([, i]) => i);
    expect(starts).toEqual([3, 6, 10, 13]);
  });
  it('loss ratio of {0,0,1,0,0} is 0.2 (RFC 7680 §4.1, vector 2)', () => {
    const l = [0, 0, 1, 0, 0];
    expect(l.reduce((a, b) => a + b, 0) / l.length).toBe(0.2);
    const out = lossRunsOverRange([1, 2, 4, 5], 4, 1, 5, 0, { periods: 0, burstMax: 0, trailingRun: 0 });
    expect(out).toEqual({ periods: 1, burstMax: 1, trailingRun: 0 });
  });
});

describe('lossRunsOverRange over split windows equals RFC 3357 on the whole stream (property)', () => {
  it('sums periods and maxes bursts across any split', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }), fc.array(fc.nat(), { maxLength: 6 }), (lostFlags, cutsRaw) => {
        const f = lostFlags.map((x) => (x ? 1 : 0));
        const n = f.length;
        const cuts = [...new Set(cutsRaw.map((c) => c % n))].sort((a, b) => a - b).filter((c) => c > 0);
        const bounds = [0, ...cuts, n];
        let carried = 0;
        let periods = 0;
        let burst = 0;
        for (let k = 0; k + 1 < bounds.length; k++) {
          const lo = bounds[k] + 100;
          const hi = bounds[k + 1] - 1 + 100;
          const recv: number[] = [];
          for (let e = lo; e <= hi; e++) if (f[e - 100] === 0) recv.push(e);
          const out = lossRunsOverRange(recv, recv.length, lo, hi, carried, { periods: 0, burstMax: 0, trailingRun: 0 });
          periods += out.periods;
          burst = Math.max(burst, out.burstMax);
          carried = out.trailingRun;
        }
        const lengths = lossPeriodLengths(f).map(([, len]) => len);
        expect(periods).toBe(lengths.length);
        expect(burst).toBe(lengths.length ? Math.max(...lengths) : 0);
      }),
    );
  });
});
