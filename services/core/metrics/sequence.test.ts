import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SEQ_ACCEPT, SEQ_BAD, SEQ_RESTART, SEQ_SUSPECT, SequenceColumns, serialAdd, serialCompare } from './sequence.ts';

describe('RFC 1982 serial arithmetic (METRICS.md §10 vector 10, 8-bit)', () => {
  it('adds modulo 2^W', () => {
    expect(serialAdd(255, 1, 8)).toBe(0);
    expect(serialAdd(200, 100, 8)).toBe(44);
    expect(() => serialAdd(0, 128, 8)).toThrow(RangeError);
  });
  it('compares with wrap and leaves the half-range pair undefined', () => {
    expect(serialCompare(0, 255, 8)).toBe(1); // 0 > 255
    expect(serialCompare(44, 200, 8)).toBe(1); // 44 > 200
    expect(serialCompare(200, 44, 8)).toBe(-1);
    expect(serialCompare(0, 128, 8)).toBeUndefined();
    expect(serialCompare(7, 7, 8)).toBe(0);
  });
});

function track(bits: 16 | 32, wires: number[], dropout = 3000, misorder = 64): { codes: number[]; exts: number[] } {
  const s = new SequenceColumns(1, dropout, dropout, misorder);
  s.reset(0, bits);
  const codes: number[] = [];
  const exts: number[] = [];
  for (const w of wires) {
    const c = s.observe(0, w);
    codes.push(c);
    exts.push(c === SEQ_ACCEPT || c === SEQ_RESTART ? s.ext : NaN);
  }
  return { codes, exts };
}

describe('sequence extension', () => {
  it('extends across 16-bit and 32-bit wraps', () => {
    expect(track(16, [65534, 65535, 0, 1]).exts).toEqual([65534, 65535, 65536, 65537]);
    expect(track(32, [2 ** 32 - 1, 0, 2]).exts).toEqual([2 ** 32 - 1, 2 ** 32, 2 ** 32 + 2]);
  });
  it('accepts reordered packets across the wrap below the maximum', () => {
    expect(track(16, [1, 65535, 2]).exts).toEqual([1, -1, 2]);
  });
  it('flags a distance of exactly 2^(W-1) as BAD (RFC 1982 undefined)', () => {
    expect(track(16, [10, 10 + 32768], 40000 / 2, 64).codes).toEqual([SEQ_ACCEPT, SEQ_BAD]);
  });
  it('detects a restart: a very large jump followed by the next number', () => {
    const r = track(32, [1000, 1001, 5, 6, 7]);
    expect(r.codes).toEqual([SEQ_ACCEPT, SEQ_ACCEPT, SEQ_SUSPECT, SEQ_RESTART, SEQ_ACCEPT]);
    // The new epoch continues right after the old maximum: 1002 (held 5), 1003 (6), 1004 (7).
    expect(r.exts.slice(3)).toEqual([1003, 1004]);
  });
  it('rejects a jump not followed by its successor, and new-epoch numbers below the epoch start', () => {
    expect(track(32, [1000, 9, 1001]).codes).toEqual([SEQ_ACCEPT, SEQ_SUSPECT, SEQ_ACCEPT]);
    const r = track(32, [1000, 5, 6, 4]);
    expect(r.codes).toEqual([SEQ_ACCEPT, SEQ_SUSPECT, SEQ_RESTART, SEQ_BAD]);
  });
  it('agrees with a bigint unwrapping of an in-order stream with random steps (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom<16 | 32>(16, 32), fc.nat(), fc.array(fc.integer({ min: 0, max: 2999 }), { maxLength: 300 }), (bits, start, steps) => {
        const mod = 2 ** bits;
        let truth = BigInt(start % mod);
        const wires = [start % mod];
        const want = [Number(truth)];
        for (const st of steps) {
          truth += BigInt(st);
          wires.push(Number(truth % BigInt(mod)));
          want.push(Number(truth));
        }
        expect(track(bits, wires).exts).toEqual(want);
      }),
    );
  });
});
