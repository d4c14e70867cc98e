import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import { TokenBucketLimiter } from './rate-limit.ts';

const S = 1e9;

describe('TokenBucketLimiter', () => {
  it('admits a burst up to capacity, then at the refill rate, and says when to retry', () => {
    const l = new TokenBucketLimiter({ capacity: 100, refillPerSecond: 10, maxKeys: 10 });
    expect(l.check('a', 60, 0)).toEqual({ allowed: true });
    expect(l.check('a', 40, 0)).toEqual({ allowed: true });
    // empty: 5 tokens take 0.5 s at 10/s
    expect(l.check('a', 5, 0)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(l.check('a', 5, 0.4 * S)).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(l.check('a', 5, 0.5 * S)).toEqual({ allowed: true });
    // other keys have their own bucket
    expect(l.check('b', 100, 0.5 * S)).toEqual({ allowed: true });
    // refill stops at capacity: after 1000 s idle the bucket holds 100, not 10,000
    expect(l.check('a', 101, 1000 * S)).toEqual({ allowed: true }); // over capacity from a full bucket: debt
    expect(l.check('a', 1, 1000 * S)).toEqual({ allowed: false, retryAfterMs: 200 }); // -1 + 10/s * 0.2 s = 1
  });

  it('keeps the long-run rate: admitted cost over T seconds stays within capacity + rate * T', () => {
    const rnd = mulberry32(3);
    const capacity = 500;
    const rate = 1000;
    const l = new TokenBucketLimiter({ capacity, refillPerSecond: rate, maxKeys: 4 });
    let admitted = 0;
    let maxCost = 0;
    let t = 0;
    for (let i = 0; i < 20_000; i++) {
      t += rnd() * 0.002 * S;
      const cost = 1 + Math.floor(rnd() * 800);
      if (l.check('k', cost, t).allowed) {
        admitted += cost;
        maxCost = Math.max(maxCost, cost);
      }
    }
    const seconds = t / S;
    expect(admitted).toBeLessThanOrEqual(capacity + rate * seconds + maxCost);
    // demand (about 400 per ms, far above the rate) keeps the bucket drained: admitted is close to the rate
    expect(admitted).toBeGreaterThan(rate * seconds - capacity - maxCost);
  });

  it('holds at most maxKeys buckets, evicting the least recently used', () => {
    const l = new TokenBucketLimiter({ capacity: 10, refillPerSecond: 1, maxKeys: 3 });
    l.check('a', 10, 0);
    l.check('b', 10, 0);
    l.check('c', 10, 0);
    expect(l.check('a', 1, 0).allowed).toBe(false); // touches a: b is now the oldest
    l.check('d', 10, 0); // evicts b
    expect(l.size).toBe(3);
    expect(l.check('a', 1, 0).allowed).toBe(false); // a kept its empty bucket
    expect(l.check('b', 10, 0).allowed).toBe(true); // b starts again full (evicts c)
    expect(l.check('c', 10, 0).allowed).toBe(true);
  });

  it('ignores a clock that steps back and rejects bad configuration', () => {
    const l = new TokenBucketLimiter({ capacity: 10, refillPerSecond: 10, maxKeys: 3 });
    expect(l.check('a', 10, 5 * S).allowed).toBe(true);
    expect(l.check('a', 1, 1 * S)).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(() => new TokenBucketLimiter({ capacity: 0, refillPerSecond: -1, maxKeys: 0 })).toThrow(/capacity.*refillPerSecond.*maxKeys/);
  });
});
