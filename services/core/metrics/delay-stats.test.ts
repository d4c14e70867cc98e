import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countAtMost, medianOfSorted, nearestRank, nearestRankIndex, Q_P50, Q_P99, Q_P999 } from './delay-stats.ts';

describe('RFC 7679 §5 statistics (METRICS.md §10 vector 1)', () => {
  it('Stream1 {100, 110, undefined, 90, 500}: 50th percentile 110, minimum 90 (undefined = +inf)', () => {
    const s = [100, 110, Infinity, 90, 500].sort((a, b) => a - b);
    expect(nearestRank(s, s.length, Q_P50)).toBe(110);
    expect(s[0]).toBe(90);
  });
  it('Stream2 {100, 110, undefined, 90}: median 105 is the mean of the two central values', () => {
    const s = [100, 110, 90].sort((a, b) => a - b);
    // §5.2 example treats the undefined value as +inf in a sample of four.
    const withInf = [...s, Infinity];
    expect(medianOfSorted(withInf, 4)).toBe(105);
  });
  it('inverse percentile of 103 ms in Stream2 is 50 % (2 of 4 values <= 103)', () => {
    expect(countAtMost([90, 100, 110, Infinity], 4, 103) / 4).toBe(0.5);
  });
  it('nearest rank = ceil(q n) computed exactly (property against BigInt)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(Q_P50, Q_P99, Q_P999, 99_990, 1, 100_000), (n, q) => {
        const want = Number((BigInt(q) * BigInt(n) + 99_999n) / 100_000n);
        expect(nearestRankIndex(n, q)).toBe(Math.max(1, want) - 1);
      }),
    );
  });
});
