import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge, minimumTrials } from './evidence.ts';
import { complement, decimalRational } from './rational.ts';

describe('decimal targets as exact rationals', () => {
  it('reads the decimal the profile wrote, not the binary double', () => {
    expect(decimalRational(0.999999)).toEqual({ num: 999999n, den: 1_000_000n });
    expect(decimalRational(0.001)).toEqual({ num: 1n, den: 1000n });
    expect(decimalRational(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(decimalRational(2.5e-8)).toEqual({ num: 25n, den: 1_000_000_000n });
    expect(decimalRational(50_000_000)).toEqual({ num: 50_000_000n, den: 1n });
    expect(decimalRational(0.1234567890123)).toBeNull(); // 13 decimals
    expect(decimalRational(-1)).toBeNull();
    // The trap: in doubles 1 - 0.99999 is 9.99999999995449e-6, and 3 / that rounds up.
    expect(Math.ceil(3 / (1 - 0.99999))).toBe(300_001);
    expect(minimumTrials(complement(decimalRational(0.99999)!))).toBe(300_000n);
    expect(complement(decimalRational(0.999999)!)).toEqual({ num: 1n, den: 1_000_000n });
  });
});

describe('minimum data: rule of three', () => {
  it('needs ceil(3 / p) trials', () => {
    const trials = (target: number) => minimumTrials(complement(decimalRational(target)!));
    expect(trials(0.999)).toBe(3000n);
    expect(trials(0.9999)).toBe(30_000n);
    expect(trials(0.99999)).toBe(300_000n);
    expect(trials(0.999999)).toBe(3_000_000n);
    expect(trials(0.99999999)).toBe(300_000_000n);
    expect(minimumTrials({ num: 7n, den: 1000n })).toBe(429n); // 3 / 0.007 = 428.57
  });

  it('is where zero failures first bound the failure probability at about 95 %', () => {
    // If the true failure probability were p, seeing no failure in n trials has probability (1-p)^n.
    // At n = 3/p that is e^-3 = 0.0498 (rare: below 5 %); at n/2 it is 0.22 (common).
    for (const p of [1e-3, 1e-4, 1e-5, 1e-6]) {
      const n = Number(minimumTrials({ num: 1n, den: BigInt(Math.round(1 / p)) }));
      expect(Math.pow(1 - p, n)).toBeLessThan(0.05);
      expect(Math.pow(1 - p, n / 2)).toBeGreaterThan(0.2);
    }
  });
});

describe('judge', () => {
  const p = { num: 1n, den: 1000n }; // 0.1 %
  const nMin = 3000n;
  const ex = (n: bigint, f: bigint) => ({ nLow: n, nHigh: n, fLow: f, fHigh: f });

  it('passes exactly at the bound and fails one failure above it', () => {
    expect(judge(p, nMin, ex(3000n, 3n))).toBe('pass');
    expect(judge(p, nMin, ex(3000n, 4n))).toBe('fail');
    expect(judge(p, nMin, ex(10_000n, 10n))).toBe('pass');
    expect(judge(p, nMin, ex(10_000n, 11n))).toBe('fail');
  });
  it('never passes below the minimum, and fails early only when even nMin trials could not meet the bound', () => {
    expect(judge(p, nMin, ex(2999n, 0n))).toBe('insufficient_data');
    expect(judge(p, nMin, ex(100n, 3n))).toBe('insufficient_data');
    expect(judge(p, nMin, ex(100n, 4n))).toBe('fail');
    expect(judge(p, nMin, ex(0n, 0n))).toBe('insufficient_data');
  });
  it('decides on bounds only when the whole interval is on one side', () => {
    expect(judge(p, nMin, { nLow: 5000n, nHigh: 5000n, fLow: 1n, fHigh: 5n })).toBe('pass');
    expect(judge(p, nMin, { nLow: 5000n, nHigh: 5000n, fLow: 4n, fHigh: 6n })).toBe('insufficient_data');
    expect(judge(p, nMin, { nLow: 5000n, nHigh: 5000n, fLow: 6n, fHigh: 9n })).toBe('fail');
    expect(judge(p, nMin, { nLow: 5000n, nHigh: 5000n, fLow: null, fHigh: 0n })).toBe('pass');
    expect(judge(p, nMin, { nLow: 5000n, nHigh: 5000n, fLow: 9n, fHigh: null })).toBe('fail');
    expect(judge(p, nMin, { nLow: 5000n, nHigh: 5000n, fLow: null, fHigh: null })).toBe('insufficient_data');
  });
  it('with p = 0 (a maximum) any failure fails and none passes once there is enough data', () => {
    const zero = { num: 0n, den: 1n };
    expect(judge(zero, 10n, ex(1n, 1n))).toBe('fail');
    expect(judge(zero, 10n, ex(9n, 0n))).toBe('insufficient_data');
    expect(judge(zero, 10n, ex(10n, 0n))).toBe('pass');
  });
  it('a pass is consistent with every failure count inside the bounds, a fail with none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (n, a, b) => {
        const lo = BigInt(Math.min(a, b));
        const hi = BigInt(Math.max(a, b));
        const out = judge(p, nMin, { nLow: BigInt(n), nHigh: BigInt(n), fLow: lo, fHigh: hi });
        // Exact truth for every f in [lo, hi]: the bound holds iff f <= n / 1000.
        const holds = (f: bigint) => f * 1000n <= BigInt(n);
        if (out === 'pass') {
          expect(BigInt(n) >= nMin).toBe(true);
          for (let f = lo; f <= hi; f++) expect(holds(f)).toBe(true);
        }
        if (out === 'fail') for (let f = lo; f <= hi; f++) expect(holds(f)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
