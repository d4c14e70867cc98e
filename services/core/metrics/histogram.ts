// Mergeable log-bucket delay histogram (DDSketch mapping, METRICS.md §8), emitted per window as
// sparse parallel arrays (keys ascending, counts) so ClickHouse merges any range of windows with
// sumMap(keys, counts) and takes quantiles of the merged result (histogramQuantile below; the SQL
// side mirrors histogramValue()).
//
// Parameters (fixed: windows merge only when every one uses the same mapping):
//   alpha = 0.005, gamma = (1 + alpha) / (1 - alpha)
//   bucket k >= 0 holds delays v with gamma^(k-1) < v <= gamma^k (ns); v <= 1 ns is bucket 0
//   key 0..HIST_MAX_KEY (3674 reaches 2^53 ns); larger values are clamped into the top bucket
//   HIST_ZERO_KEY = -32768 holds delays of exactly 0 ns (value 0)
//   representative value(k) = 2 * gamma^k / (1 + gamma): |value - v| / v <= alpha for every v in k
// A quantile taken from the buckets is therefore within 0.5 % (relative) of the exact nearest-rank
// quantile of the same samples.

export const HIST_ALPHA = 0.005;
export const HIST_GAMMA = (1 + HIST_ALPHA) / (1 - HIST_ALPHA);
export const HIST_ZERO_KEY = -32768;
export const HIST_MAX_KEY = Math.ceil(Math.log(2 ** 53) / Math.log(HIST_GAMMA));

const LN_GAMMA = Math.log(HIST_GAMMA);
/** Upper bounds gamma^k; the canonical definition of the key (a value's key is the first k with v <= bound). */
const BOUNDS = new Float64Array(HIST_MAX_KEY + 1);
for (let k = 0; k <= HIST_MAX_KEY; k++) BOUNDS[k] = Math.pow(HIST_GAMMA, k);

/** Bucket key of a delay in ns (v >= 0). */
export function histogramKey(v: number): number {
  if (v === 0) return HIST_ZERO_KEY;
  if (v <= 1) return 0;
  if (v > BOUNDS[HIST_MAX_KEY]) return HIST_MAX_KEY;
  let k = Math.ceil(Math.log(v) / LN_GAMMA);
  if (k > HIST_MAX_KEY) k = HIST_MAX_KEY;
  while (k < HIST_MAX_KEY && v > BOUNDS[k]) k++;
  while (k > 0 && v <= BOUNDS[k - 1]) k--;
  return k;
}

/** Representative value (ns) of a bucket key; the SQL side uses the same formula. */
export function histogramValue(key: number): number {
  if (key === HIST_ZERO_KEY) return 0;
  return (2 * Math.pow(HIST_GAMMA, key)) / (1 + HIST_GAMMA);
}

/** Appends the buckets of sorted[from..to) (ascending, all >= 0) to keys/counts. */
export function appendSparseFromSorted(sorted: ArrayLike<number>, from: number, to: number, keys: number[], counts: number[]): void {
  let i = from;
  while (i < to) {
    const v = sorted[i];
    const k = histogramKey(v);
    let c = 0;
    if (k === HIST_ZERO_KEY) {
      while (i < to && sorted[i] === 0) { i++; c++; }
    } else if (k === HIST_MAX_KEY) {
      c = to - i;
      i = to;
    } else {
      const upper = BOUNDS[k];
      while (i < to && sorted[i] <= upper) { i++; c++; }
    }
    keys.push(k);
    counts.push(c);
  }
}

/**
 * Nearest-rank quantile (0 <= q <= 1) of a (possibly merged) sparse histogram; null when empty.
 * rank = max(1, ceil(q * total - 1e-6)): the epsilon absorbs floating-point error in q * total
 * (below 1e-7 for totals under 1e9) and never hides a real fraction (quantile levels with at most
 * five decimals leave fractions >= 1e-5). SQL mirror: the same rank, then the first key whose
 * cumulative count reaches it.
 */
export function histogramQuantile(keys: ArrayLike<number>, counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return null;
  let rank = Math.ceil(q * total - 1e-6);
  if (rank < 1) rank = 1;
  let acc = 0;
  for (let i = 0; i < keys.length; i++) {
    acc += counts[i];
    if (acc >= rank) return histogramValue(keys[i]);
  }
  return histogramValue(keys[keys.length - 1]);
}

/** sumMap over several sparse histograms (what ClickHouse does when rolling windows up). */
export function mergeSparse(parts: readonly { keys: ArrayLike<number>; counts: ArrayLike<number> }[]): { keys: number[]; counts: number[] } {
  const m = new Map<number, number>();
  for (const p of parts) {
    for (let i = 0; i < p.keys.length; i++) m.set(p.keys[i], (m.get(p.keys[i]) ?? 0) + p.counts[i]);
  }
  const keys = [...m.keys()].sort((a, b) => a - b);
  return { keys, counts: keys.map((k) => m.get(k) as number) };
}

/** Generic DDSketch mapping for any alpha (METRICS.md §10 vector 13 is stated for alpha = 0.01). */
export function ddsketchKey(v: number, alpha: number): number {
  const gamma = (1 + alpha) / (1 - alpha);
  return Math.ceil(Math.log(v) / Math.log(gamma));
}

export function ddsketchValue(key: number, alpha: number): number {
  const gamma = (1 + alpha) / (1 - alpha);
  return (2 * Math.pow(gamma, key)) / (1 + gamma);
}
