// Exact order statistics over one window's delays (sorted ascending).
//
// Percentile: RFC 7679 §5.1 refers to RFC 2330 §11.3, which takes the smallest value x with
// EDF(x) >= X/100 — the nearest-rank definition: rank = ceil(X/100 * n), value = sorted[rank-1].
// RFC 7679 §5.1 example: {100, 110, +inf, 90, 500} -> 50th percentile 110 (METRICS.md §10 v1).
// Median: RFC 7679 §5.2, the mean of the two central values when n is even.
//
// Quantile levels are integers in parts per 100 000 so ranks are computed in exact integer
// arithmetic (0.999 * n in floating point can land just above an integer and shift the rank).

export const Q_SCALE = 100_000;
export const Q_P50 = 50_000;
export const Q_P90 = 90_000;
export const Q_P95 = 95_000;
export const Q_P99 = 99_000;
export const Q_P999 = 99_900;
export const Q_P9999 = 99_990;

/** 0-based index of the nearest-rank quantile q (parts per 100 000) in a sorted sample of n > 0. */
export function nearestRankIndex(n: number, q: number): number {
  const rank = Math.floor((q * n + Q_SCALE - 1) / Q_SCALE); // ceil(q*n/Q_SCALE), exact: q*n < 2^53
  return rank < 1 ? 0 : rank - 1;
}

/** Nearest-rank quantile of sorted[0..n). */
export function nearestRank(sorted: ArrayLike<number>, n: number, q: number): number {
  return sorted[nearestRankIndex(n, q)];
}

/** RFC 7679 §5.2 median of sorted[0..n). */
export function medianOfSorted(sorted: ArrayLike<number>, n: number): number {
  const h = n >>> 1;
  return (n & 1) === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** Number of values <= limit in sorted[0..n) (binary search). */
export function countAtMost(sorted: ArrayLike<number>, n: number, limit: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
