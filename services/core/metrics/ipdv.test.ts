import { describe, expect, it } from 'vitest';
import { ipdvOverSorted, type IpdvStats } from './ipdv.ts';
import { nearestRank, Q_P99 } from './delay-stats.ts';

const out = (): IpdvStats => ({ count: 0, min: 0, max: 0, sum: 0, absSum: 0, absP99: 0 });

describe('IPDV (RFC 3393) and PDV (RFC 5481)', () => {
  it('RFC 5481 §4.4 Fig. 1 (vector 3): delays {20,10,20,25,20} -> IPDV {U,-10,10,5,-5}, PDV {10,0,10,15,10}', () => {
    const d = [20, 10, 20, 25, 20];
    const r = ipdvOverSorted([1, 2, 3, 4, 5], d, 5, NaN, NaN, null, new Float64Array(8), Q_P99, out());
    expect([r.count, r.min, r.max, r.sum, r.absSum]).toEqual([4, -10, 10, 0, 30]);
    const min = Math.min(...d);
    expect(d.map((x) => x - min)).toEqual([10, 0, 10, 15, 10]);
    const sorted = [...d].sort((a, b) => a - b);
    expect(nearestRank(sorted, 5, Q_P99) - sorted[0]).toBe(15);
  });
  it('RFC 4737 Table 1 IPDV by source number (vector 5): s=4 +82, s=5 -82, others 0', () => {
    const delays = [68, 68, 68, 150, 68, 68, 68, 68, 68, 68];
    const r = ipdvOverSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], delays, 10, NaN, NaN, null, new Float64Array(16), Q_P99, out());
    expect([r.count, r.min, r.max, r.absSum, r.absP99]).toEqual([9, -82, 82, 164, 82]);
    // Vector 12: PDV of the same table is 82 ms for packet 4, 0 for the others.
    const min = Math.min(...delays);
    expect(delays.map((d) => d - min)).toEqual([0, 0, 0, 82, 0, 0, 0, 0, 0, 0]);
  });
  it('skips pairs with a lost member, pairs across the window edge, and never pairs across a restart', () => {
    const r = ipdvOverSorted([10, 11, 13, 14], [5, 7, 9, 4], 4, 9, 1, [13], new Float64Array(8), Q_P99, out());
    // 10-9 (carried): 5-1 = 4; 11-10: 2; 13 is an epoch start; 14-13: -5.
    expect([r.count, r.min, r.max, r.sum]).toEqual([3, -5, 4, 1]);
  });
});
