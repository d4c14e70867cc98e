import { nearestRankIndex } from './delay-stats.ts';
import { selectUpper } from './sort.ts';

// IPDV, RFC 3393 §2.4 with the "consecutive packets" selection function (§2.5), as in RFC 5481
// §4.1: ipdv(e) = D(e) - D(e-1) for consecutive extended sequence numbers e-1, e that were both
// received (first copies, §3.6); pairs with a lost member are skipped (conditional statistics,
// §4.1). Delays of any clock state take part: a constant offset cancels (§2.7.1).
// A pair belongs to the window of its later packet e. Its partner e-1 is looked up in the same
// window or, across the boundary, as the highest number received in the flow's earlier windows.
// No pair spans a sequence restart (e is the first number of an epoch).

export interface IpdvStats {
  count: number;
  min: number;
  max: number;
  sum: number;
  absSum: number;
  absP99: number;
}

/**
 * sortedExt/delays: the window's received first copies sorted by extended number (distinct),
 * delays aligned. carriedExt/carriedDelay: highest earlier number and its delay (NaN when none).
 * isEpochStart(e) says whether e began a new sequence epoch. scratch receives |ipdv| values.
 */
export function ipdvOverSorted(
  sortedExt: ArrayLike<number>,
  delays: ArrayLike<number>,
  n: number,
  carriedExt: number,
  carriedDelay: number,
  epochStarts: readonly number[] | null,
  scratch: Float64Array,
  absP99Level: number,
  out: IpdvStats,
): IpdvStats {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let absSum = 0;
  let prevExt = NaN;
  let prevDelay = NaN;
  for (let i = 0; i < n; i++) {
    const e = sortedExt[i];
    const d = delays[i];
    let partner = NaN;
    if (e - 1 === prevExt) partner = prevDelay;
    else if (e - 1 === carriedExt) partner = carriedDelay;
    if (partner === partner && (epochStarts === null || !epochStarts.includes(e))) {
      const v = d - partner;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      const a = v < 0 ? -v : v;
      absSum += a;
      scratch[count++] = a;
    }
    prevExt = e;
    prevDelay = d;
  }
  out.count = count;
  out.min = min;
  out.max = max;
  out.sum = sum;
  out.absSum = absSum;
  if (count > 0) {
    out.absP99 = selectUpper(scratch, count, nearestRankIndex(count, absP99Level));
  } else {
    out.absP99 = NaN;
  }
  return out;
}
