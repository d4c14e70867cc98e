import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DedupColumns } from './duplicates.ts';

describe('duplicate bitmap', () => {
  it('answers like a Set for numbers within the span below the running maximum (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { maxLength: 400 }), (moves) => {
        const span = 64;
        const d = new DedupColumns(2, span);
        d.reset(1);
        const seen = new Set<number>();
        let max = 1000;
        for (const m of moves) {
          if (m > 0) {
            d.advance(1, max, max + m);
            max += m;
            continue;
          }
          const ext = max + Math.max(m, -(span - 1));
          expect(d.testAndSet(1, ext)).toBe(seen.has(ext));
          seen.add(ext);
        }
      }),
    );
  });
  it('rejects a span that is not a power of two', () => {
    expect(() => new DedupColumns(1, 96)).toThrow(RangeError);
  });
});
