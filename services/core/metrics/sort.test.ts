import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectKth, selectUpper, sortAscending, sortNearlySorted } from './sort.ts';

describe('sortAscending', () => {
  it('sorts like Array.prototype.sort for integers (small, large, negative, wide) and non-integers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 6000 }),
          fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 100 }),
          fc.array(fc.double({ noNaN: true, min: -1e12, max: 1e12 }), { maxLength: 100 }),
        ),
        (xs) => {
          const a = Float64Array.from(xs);
          sortAscending(a, a.length);
          // (+0 normalises -0: the two are equal delays.)
          expect(Array.from(a, (x) => x + 0)).toEqual([...xs].sort((x, y) => x - y).map((x) => x + 0));
        },
      ),
      { numRuns: 60 },
    );
  });
  it('radix path for large windows', () => {
    const xs = Array.from({ length: 20000 }, (_, i) => (i * 7919) % 1_000_003);
    const a = Float64Array.from(xs);
    sortAscending(a, a.length);
    expect(Array.from(a)).toEqual([...xs].sort((x, y) => x - y));
  });
  it('only sorts the first n elements', () => {
    const a = Float64Array.from([3, 2, 1, 0, -1]);
    sortAscending(a, 3);
    expect(Array.from(a)).toEqual([1, 2, 3, 0, -1]);
  });
});

describe('selectKth', () => {
  it('returns the k-th smallest (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }), fc.nat(), (xs, k0) => {
        const k = k0 % xs.length;
        expect(selectKth(Float64Array.from(xs), xs.length, k)).toBe([...xs].sort((x, y) => x - y)[k]);
      }),
    );
  });
});

describe('selectUpper', () => {
  it('returns the k-th smallest for upper k, with duplicates, and leaves the input alone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 2000 }), fc.nat(), (xs, k0) => {
        const n = xs.length;
        const k = n - 1 - (k0 % Math.min(n, 256));
        const a = Float64Array.from(xs);
        expect(selectUpper(a, n, k)).toBe([...xs].sort((x, y) => x - y)[k]);
        expect(Array.from(a)).toEqual(xs);
      }),
    );
  });
  it('falls back to quickselect for long tails', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => (i * 37) % 101);
    expect(selectUpper(Float64Array.from(xs), 1000, 500)).toBe([...xs].sort((x, y) => x - y)[500]);
  });
});

describe('sortNearlySorted', () => {
  it('sorts nearly sorted and arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { maxLength: 500 }), fc.boolean(), (xs, presort) => {
        const input = presort ? [...xs].sort((x, y) => x - y).map((x, i, arr) => (i % 17 === 5 && i > 0 ? arr[i - 1] : x)) : xs;
        const a = Float64Array.from(input);
        sortNearlySorted(a, a.length);
        expect(Array.from(a)).toEqual([...input].sort((x, y) => x - y));
      }),
    );
  });
});
