// Per-key token buckets (capacity = burst, refilled continuously at refillPerSecond), with time
// passed in as data so the limiter is deterministic and testable. Used by the gateway with the
// enterprise as key and samples as cost.
//
// A cost above the capacity could never be paid from a full bucket; rather than refuse such a
// request forever, a full bucket may go into debt (negative tokens) which the refill pays back
// before anything else is admitted. The long-run rate stays refillPerSecond either way.
//
// Memory is bounded: at most maxKeys buckets, least recently used evicted first. An evicted key
// starts again with a full bucket, which is what it would have had after idling capacity /
// refillPerSecond seconds, so eviction only loosens the limit for keys idle that long or
// longer when maxKeys exceeds the number of keys active within that time.
import { IsochronError } from '../errors.ts';

export interface RateLimitConfig {
  /** Largest burst, in cost units (e.g. samples). */
  readonly capacity: number;
  /** Sustained rate, in cost units per second. */
  readonly refillPerSecond: number;
  /** Buckets kept at most; the least recently used is evicted beyond. */
  readonly maxKeys: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const ALLOWED: RateDecision = Object.freeze({ allowed: true });
const NS_PER_S = 1e9;

interface Bucket {
  tokens: number;
  lastNs: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerNs: number;
  private readonly maxKeys: number;

  constructor(config: RateLimitConfig) {
    const problems: string[] = [];
    if (!(config.capacity > 0) || !Number.isFinite(config.capacity)) problems.push('capacity must be a positive finite number');
    if (!(config.refillPerSecond > 0) || !Number.isFinite(config.refillPerSecond)) problems.push('refillPerSecond must be a positive finite number');
    if (!Number.isSafeInteger(config.maxKeys) || config.maxKeys < 1) problems.push('maxKeys must be a positive integer');
    if (problems.length > 0) throw new IsochronError('CONFIG_INVALID', `invalid rate limit: ${problems.join('; ')}`, { problems });
    this.capacity = config.capacity;
    this.refillPerNs = config.refillPerSecond / NS_PER_S;
    this.maxKeys = config.maxKeys;
  }

  /** Number of buckets held. */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes `cost` tokens from `key`'s bucket if it can. nowNs is a monotonic clock in
   * nanoseconds (e.g. performance.now() * 1e6); a clock that steps back refills nothing.
   */
  check(key: string, cost: number, nowNs: number): RateDecision {
    let b = this.buckets.get(key);
    if (b === undefined) {
      b = { tokens: this.capacity, lastNs: nowNs };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value as string;
        this.buckets.delete(oldest);
      }
    } else {
      this.buckets.delete(key); // re-inserted below: Map order is the LRU order
      if (nowNs > b.lastNs) {
        b.tokens = Math.min(this.capacity, b.tokens + (nowNs - b.lastNs) * this.refillPerNs);
        b.lastNs = nowNs;
      }
    }
    this.buckets.set(key, b);
    const c = cost > 0 ? cost : 0;
    const needed = Math.min(c, this.capacity);
    if (b.tokens >= needed) {
      b.tokens -= c;
      return ALLOWED;
    }
    const waitNs = (needed - b.tokens) / this.refillPerNs;
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(waitNs / 1e6)) };
  }
}
