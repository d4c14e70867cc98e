// Sound bounds on how many trusted delays exceed a value X, from what an aggregate keeps: the
// exact min and max, and the merged log-bucket histogram (services/core/metrics/histogram.ts).
// Bucket k >= 1 holds gamma^(k-1) < v <= gamma^k, bucket 0 holds 0 < v <= 1, the zero key holds
// v = 0, and the top key also holds everything clamped above it. Bucket counts are exact, so a
// bucket entirely above X certainly exceeds it and one reaching above X possibly does: the true
// count lies between the two sums. (A quantile read as the bucket's representative value is
// within 0.5 %; these bounds have no error, only the bucket's width as uncertainty.)
import { HIST_GAMMA, HIST_MAX_KEY, HIST_ZERO_KEY } from '../metrics/histogram.ts';

/** Exclusive lower edge of a bucket. */
export function bucketLowerNs(key: number): number {
  if (key === HIST_ZERO_KEY) return -1; // holds exactly 0, never certainly above any x >= 0
  if (key === 0) return 0;
  return Math.pow(HIST_GAMMA, key - 1);
}

/** Inclusive upper edge of a bucket (Infinity for the clamped top bucket). */
export function bucketUpperNs(key: number): number {
  if (key === HIST_ZERO_KEY) return 0;
  if (key >= HIST_MAX_KEY) return Infinity;
  return Math.pow(HIST_GAMMA, key);
}

export interface ExceedBounds {
  readonly low: number;
  readonly high: number;
}

/** Bounds on #{v > x} among the histogram's samples. */
export function histogramExceeding(keys: ArrayLike<number>, counts: ArrayLike<number>, x: number): ExceedBounds {
  let low = 0;
  let high = 0;
  for (let i = 0; i < keys.length; i++) {
    const c = counts[i];
    if (bucketLowerNs(keys[i]) >= x) low += c;
    if (bucketUpperNs(keys[i]) > x) high += c;
  }
  return { low, high };
}

/** Bounds on #{v > x} from the exact min and max alone (n samples). */
export function extremesExceeding(n: number, minNs: number | null, maxNs: number | null, x: number): ExceedBounds {
  if (n === 0 || minNs === null || maxNs === null) return { low: 0, high: n };
  if (maxNs <= x) return { low: 0, high: 0 };
  if (minNs > x) return { low: n, high: n };
  // The max itself exceeds x; the min does not.
  return { low: 1, high: n - 1 };
}

/**
 * Guaranteed interval of the nearest-rank q-quantile: the edges of the bucket holding rank
 * max(1, ceil(q * n)) (the rank rule of histogramQuantile), clipped to [min, max]; null when empty.
 */
export function quantileRange(keys: ArrayLike<number>, counts: ArrayLike<number>, q: number, minNs: number | null, maxNs: number | null): readonly [number, number] | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0 || minNs === null || maxNs === null) return null;
  const rank = Math.max(1, Math.ceil(q * total - 1e-6));
  let acc = 0;
  for (let i = 0; i < keys.length; i++) {
    acc += counts[i];
    if (acc >= rank) {
      const lo = Math.max(bucketLowerNs(keys[i]), minNs);
      const hi = Math.min(bucketUpperNs(keys[i]), maxNs);
      return [lo, hi];
    }
  }
  return [minNs, maxNs];
}
