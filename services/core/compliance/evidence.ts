// The evidence rule (docs/profiles.md "Minimum data"): how much data a verdict needs, and when
// bounded (not exact) evidence still decides.
//
// A threshold allows a fraction p of failures (1 - target for a ratio target, 1 - q for a delay
// quantile, 0 for a maximum). With zero failures in n independent trials the one-sided 95 % upper
// bound on the failure probability is -ln(0.05) / n ~= 3 / n (the "rule of three"; RFC 7680 §4.1
// makes the same sample-size point). So no amount of data below ceil(3 / p) can show that a
// failure probability p is met: below it the honest verdict is "insufficient data", never "pass".

import type { Outcome } from './types.ts';
import { ceilDiv, maxBig, type Rational } from './rational.ts';

/** Rule-of-three factor: the 95 % zero-failure bound is 3 / n (exactly 2.996 / n). */
export const RULE_OF_THREE = 3n;

/** ceil(3 / p) trials for an allowed failure fraction p > 0. */
export function minimumTrials(p: Rational): bigint {
  return ceilDiv(RULE_OF_THREE * p.den, p.num);
}

/**
 * What is known about a threshold: the exposure n (trials, or ns) and the failures f in it (count,
 * or ns of downtime, or ns of delay for a mean), each as a sound interval. A side is null when
 * nothing sound is known about it.
 */
export interface Evidence {
  readonly nLow: bigint;
  readonly nHigh: bigint;
  readonly fLow: bigint | null;
  readonly fHigh: bigint | null;
}

/**
 * pass: enough exposure, and even the most failures the data allows stay within p * n;
 * fail:  the fewest failures the data allows exceed p * max(n, nMin): the bound is already missed
 *        with the least data a verdict may rest on (so a handful of packets that are mostly lost
 *        fail, while one failure in a short period is not yet a verdict);
 * otherwise insufficient_data. Both conditions cannot hold together when fLow <= fHigh.
 * allowed = p as a rational (p = 0 for a maximum: any failure fails).
 */
export function judge(allowed: Rational, nMin: bigint, e: Evidence): Outcome {
  if (e.fLow !== null && e.fLow * allowed.den > allowed.num * maxBig(e.nHigh, nMin)) return 'fail';
  if (e.fHigh !== null && e.nLow >= nMin && e.fHigh * allowed.den <= allowed.num * e.nLow) return 'pass';
  return 'insufficient_data';
}

export function exact(n: bigint, f: bigint): Evidence {
  return { nLow: n, nHigh: n, fLow: f, fHigh: f };
}
