import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReorderColumns } from './reorder.ts';

function extents(arrivals: number[], cap = 32): number[] {
  const r = new ReorderColumns(1, cap);
  r.reset(0);
  return arrivals.map((s) => r.observe(0, s));
}

describe('RFC 4737 reordering', () => {
  it('§7.1 Table 1: packet 4 arrives after 8 -> reordered, extent 4 (vector 5)', () => {
    expect(extents([1, 2, 3, 5, 6, 7, 8, 4, 9, 10])).toEqual([0, 0, 0, 0, 0, 0, 0, 4, 0, 0]);
  });
  it('§7.2 Table 2: arrivals 1,2,3,4,7,5,6,8,9,10 -> packet 5 extent 1, packet 6 extent 2 (vector 6)', () => {
    expect(extents([1, 2, 3, 4, 7, 5, 6, 8, 9, 10])).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 0]);
  });
  it('§5.3: arrivals 1,2,3,7,8,9,4,5,6 -> 4, 5 and 6 are reordered (vector 7)', () => {
    const e = extents([1, 2, 3, 7, 8, 9, 4, 5, 6]);
    expect(e.map((x) => x > 0)).toEqual([false, false, false, false, false, false, true, true, true]);
    expect(e.slice(6)).toEqual([3, 4, 5]);
  });
  it('reports min(extent, H) for any arrival order of distinct numbers (property vs O(n^2) definition)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 200 }), fc.integer({ min: 1, max: 16 }), (s, cap) => {
        const want = s.map((x, i) => {
          for (let j = 0; j < i; j++) if (s[j] > x) return Math.min(i - j, cap);
          return 0;
        });
        expect(extents(s, cap)).toEqual(want);
      }),
    );
  });
});
