// The outcomes evaluate() gives (the verdict and each threshold's pass / fail / insufficient_data),
// without the rest of the verdict: no measured values, ranges, reason texts or frozen result
// objects. What the programme audit keeps of 50 000 verdicts is exactly this (status, failing
// thresholds, whether a [U] value was used), and building the full verdicts was most of its CPU
// time and garbage.
//
// compileOutcomes(profile) does once per profile what evaluate() redoes per aggregate (decimal
// targets read as rationals, the minimum evidence of each threshold, the [U] flags); the returned
// function then follows evaluate.ts line by line for the outcome alone, with the same helpers
// (extremesExceeding, histogramExceeding, deadlineSoundness, availabilitySoundness, judge).
// outcomes.test.ts holds it equal to evaluate() on many random aggregates and every shipped
// profile: keep the two in step when evaluate.ts changes.
import { extremesExceeding, histogramExceeding } from './delay-bounds.ts';
import { judge, minimumTrials, type Evidence } from './evidence.ts';
import { availabilitySoundness, deadlineSoundness } from './parameters.ts';
import { HISTOGRAM_MIN_FRACTION, minimumEvidence, NS_PER_S, rational, ZERO } from './evaluate.ts';
import { complement, lessThan, maxBig, toBig, type Rational } from './rational.ts';
import type { AvailabilityThreshold, ComplianceAggregate, Outcome, Profile, ThresholdKind } from './types.ts';
import { THRESHOLD_KINDS } from './types.ts';

const NONE: readonly ThresholdKind[] = Object.freeze([]);

export interface Outcomes {
  readonly verdict: Outcome;
  /** Thresholds whose outcome is 'fail', in evaluation order (THRESHOLD_KINDS). */
  readonly failing: readonly ThresholdKind[];
}

export interface CompiledOutcomes {
  /** Some threshold of the profile has a [U] value: evaluate()'s verdict.unverified is not empty. */
  readonly unverified: boolean;
  readonly outcomes: (agg: ComplianceAggregate) => Outcomes;
}

type Judge = (agg: ComplianceAggregate) => Outcome;

/** evaluate.ts exceeding(), bounds only (its notes never change an outcome). */
function exceedingBounds(agg: ComplianceAggregate, x: number, histogram: boolean, useDeadlineCounters: boolean): { low: number; high: number } {
  const n = agg.owdCount;
  const ext = extremesExceeding(n, agg.owdMinNs, agg.owdMaxNs, x);
  let low = ext.low;
  let high = ext.high;
  if (useDeadlineCounters && agg.deadlineMetPackets + agg.deadlineMissPackets > 0) {
    const s = deadlineSoundness(x, agg);
    const outside = Math.max(0, n - agg.deadlineMetPackets - agg.deadlineMissPackets);
    if (s.pass) high = Math.min(high, agg.deadlineMissPackets + outside);
    if (s.fail) low = Math.max(low, agg.deadlineMissPackets);
  }
  if (histogram) {
    const h = histogramExceeding(agg.owdHistKeys, agg.owdHistCounts, x);
    low = Math.max(low, h.low);
    high = Math.min(high, h.high);
  }
  return { low, high };
}

function bounded(n: bigint, low: number, high: number): Evidence {
  return { nLow: n, nHigh: n, fLow: BigInt(low), fHigh: BigInt(high) };
}

/** One judge per threshold kind the profile has, in evaluation order. */
export function compileOutcomes(profile: Profile): CompiledOutcomes {
  const t = profile.thresholds;
  // Levels at or below HISTOGRAM_MIN_FRACTION (1e-5) use exact counters only (METRICS.md §7).
  const { floor, nMinPlain } = minimumEvidence(profile);
  const nMinFor = (p: Rational) => maxBig(minimumTrials(p), floor);
  const useHistogram = (allowed: Rational) => lessThan(HISTOGRAM_MIN_FRACTION, allowed);

  const kinds: ThresholdKind[] = [];
  const judges: Judge[] = [];
  let unverified = false;
  for (const kind of THRESHOLD_KINDS) {
    const th = t[kind] as { status: Readonly<Record<string, string>> } | undefined;
    if (th === undefined) continue;
    if (Object.values(th.status).some((s) => s === 'U')) unverified = true;
    kinds.push(kind);
    judges.push(judgeFor(kind));
  }

  function judgeFor(kind: ThresholdKind): Judge {
    switch (kind) {
      case 'delay': {
        const th = t.delay!;
        const bound = th.maxLatencyNs;
        if (th.statistic === 'mean') {
          const allowed: Rational = { num: BigInt(bound), den: 1n };
          return (agg) => {
            const n = BigInt(agg.owdCount);
            const f = toBig(agg.owdSumNs);
            return judge(allowed, nMinPlain, { nLow: n, nHigh: n, fLow: f, fHigh: f });
          };
        }
        if (th.statistic === 'max') {
          return (agg) => {
            const ext = extremesExceeding(agg.owdCount, agg.owdMinNs, agg.owdMaxNs, bound);
            return judge(ZERO, nMinPlain, bounded(BigInt(agg.owdCount), ext.low, ext.high));
          };
        }
        const allowed = complement(rational(th.quantile as number));
        const nMin = nMinFor(allowed);
        const histogram = useHistogram(allowed);
        return (agg) => {
          const x = exceedingBounds(agg, bound, histogram, true);
          return judge(allowed, nMin, bounded(BigInt(agg.owdCount), x.low, x.high));
        };
      }
      case 'pdv': {
        const th = t.pdv!;
        const isMax = th.statistic === 'max';
        const allowed = isMax ? ZERO : complement(rational(th.quantile as number));
        const nMin = isMax ? nMinPlain : nMinFor(allowed);
        const histogram = useHistogram(allowed);
        return (agg) => {
          const min = agg.owdMinNs;
          if (min === null || agg.owdMaxNs === null) return 'insufficient_data';
          const xNs = min + th.maxPdvNs;
          const x = isMax ? extremesExceeding(agg.owdCount, min, agg.owdMaxNs, xNs) : exceedingBounds(agg, xNs, histogram, false);
          return judge(allowed, nMin, bounded(BigInt(agg.owdCount), x.low, x.high));
        };
      }
      case 'reliability': {
        const th = t.reliability!;
        const allowed = complement(rational(th.target));
        const nMin = nMinFor(allowed);
        const histogram = useHistogram(allowed);
        return (agg) => {
          const sent = agg.sentPackets;
          const x = exceedingBounds(agg, th.maxLatencyNs, histogram, true);
          const metLow = agg.owdCount - x.high;
          const metHigh = agg.owdCount - x.low;
          return judge(allowed, nMin, { nLow: BigInt(Math.max(0, sent)), nHigh: BigInt(Math.max(0, sent)), fLow: BigInt(Math.max(0, sent - metHigh)), fHigh: BigInt(Math.max(0, sent - metLow)) });
        };
      }
      case 'availability': {
        const th = t.availability!;
        const allowed = complement(rational(th.target));
        const nMinTrials = nMinFor(allowed);
        return (agg) => {
          const intervalNs = th.transferIntervalNs ?? agg.transferIntervalNs?.maxNs ?? 0;
          const nMin = nMinTrials * BigInt(intervalNs);
          const expected = toBig(agg.availExpectedNs);
          if (expected === 0n || intervalNs <= 0) return 'insufficient_data';
          const s = availabilitySoundness(th, agg, 'monotone');
          const down = toBig(agg.downtimeNs);
          return judge(allowed, nMin, { nLow: expected, nHigh: expected, fLow: s.fail ? down : null, fHigh: s.pass ? down : null });
        };
      }
      case 'mtbf': {
        const th = t.mtbf!;
        const a = t.availability as AvailabilityThreshold;
        const allowed: Rational = { num: 1n, den: BigInt(th.minMtbfS) * NS_PER_S };
        const nMin = minimumTrials(allowed);
        return (agg) => {
          const uptime = toBig(agg.availExpectedNs - agg.downtimeNs);
          if (agg.availExpectedNs <= 0) return 'insufficient_data';
          const s = availabilitySoundness(a, agg, 'equal');
          const n = BigInt(Math.max(0, Math.round(agg.upDownTransitions)));
          return judge(allowed, nMin, { nLow: uptime, nHigh: uptime, fLow: s.fail ? n : null, fHigh: s.pass ? n : null });
        };
      }
      case 'lossBurst': {
        const maxConsecutive = t.lossBurst!.maxConsecutiveLosses;
        return (agg) => {
          const n = BigInt(Math.max(0, agg.sentPackets));
          return agg.lossBurstMaxPackets > maxConsecutive ? 'fail' : n >= nMinPlain ? 'pass' : 'insufficient_data';
        };
      }
      case 'lossRatio':
      case 'errorRatio': {
        const allowed = rational(kind === 'lossRatio' ? t.lossRatio!.maxLossRatio : t.errorRatio!.maxErrorRatio);
        const nMin = nMinFor(allowed);
        const lost = kind === 'lossRatio';
        return (agg) => {
          const n = BigInt(Math.max(0, agg.sentPackets));
          const f = BigInt(Math.max(0, lost ? agg.lostPackets : agg.corruptPackets));
          return judge(allowed, nMin, { nLow: n, nHigh: n, fLow: f, fHigh: f });
        };
      }
    }
  }

  const count = judges.length;
  return Object.freeze({
    unverified,
    outcomes(agg: ComplianceAggregate): Outcomes {
      let anyFail = false;
      let anyInsufficient = count === 0;
      let failing: ThresholdKind[] | null = null;
      for (let i = 0; i < count; i++) {
        const o = judges[i](agg);
        if (o === 'fail') {
          anyFail = true;
          (failing ??= []).push(kinds[i]);
        } else if (o === 'insufficient_data') anyInsufficient = true;
      }
      return { verdict: anyFail ? 'fail' : anyInsufficient ? 'insufficient_data' : 'pass', failing: failing ?? NONE };
    },
  });
}
