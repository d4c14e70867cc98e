// evaluate(profile, aggregate): the verdict of one requirement profile over one period of one
// flow (or any set of windows merged into a ComplianceAggregate). Pure and deterministic.
//
// Every threshold reduces to failures f within an exposure n, compared with an allowed fraction p
// by judge() (evidence.ts): f and n are sound intervals built from exact counters, the exact
// min/max, and the histogram's bucket counts. docs/profiles.md states the rules.
import { histogramQuantile } from '../metrics/histogram.ts';
import { extremesExceeding, histogramExceeding, quantileRange } from './delay-bounds.ts';
import { exact, judge, minimumTrials, type Evidence } from './evidence.ts';
import { availabilitySoundness, deadlineSoundness } from './parameters.ts';
import { complement, decimalRational, lessThan, maxBig, toBig, type Rational } from './rational.ts';
import type {
  AvailabilityThreshold,
  ComplianceAggregate,
  DelayThreshold,
  MtbfThreshold,
  Outcome,
  PdvThreshold,
  Profile,
  ReliabilityThreshold,
  StatusMap,
  ThresholdKind,
  ThresholdResult,
  Verdict,
} from './types.ts';
import { THRESHOLD_KINDS } from './types.ts';

/**
 * METRICS.md §7/§8: reliability and latency checks at 99.999 % and above use exact counters, not
 * the histogram. Levels with an allowed fraction at or below this use only exact evidence.
 */
export const HISTOGRAM_MIN_FRACTION: Rational = { num: 1n, den: 100_000n };
export const ZERO: Rational = { num: 0n, den: 1n };
export const NS_PER_S = 1_000_000_000n;

/** 0.99999 -> "99.999" (no binary noise from q * 100). */
function percent(q: number): string {
  return String(Number((q * 100).toPrecision(12)));
}

/** A validated profile's decimal number as an exact rational. */
export function rational(x: number): Rational {
  const r = decimalRational(x);
  if (r === null) throw new RangeError(`not a validated profile number: ${x}`);
  return r;
}

/** Allowed failure fraction of each ratio-type threshold (the same set the validator uses). */
function allowedFractions(profile: Profile): Rational[] {
  const t = profile.thresholds;
  const out: Rational[] = [];
  if (t.reliability) out.push(complement(rational(t.reliability.target)));
  if (t.availability) out.push(complement(rational(t.availability.target)));
  if (t.lossRatio) out.push(rational(t.lossRatio.maxLossRatio));
  if (t.errorRatio) out.push(rational(t.errorRatio.maxErrorRatio));
  if (t.delay?.statistic === 'quantile') out.push(complement(rational(t.delay.quantile as number)));
  if (t.pdv?.statistic === 'quantile') out.push(complement(rational(t.pdv.quantile as number)));
  return out;
}

/**
 * The profile's floor (minimumSamples, 0 when absent) and the plain minimum sample count: the
 * rule-of-three minimum of its strictest allowed fraction, at least the floor and at least one
 * sample even for an (invalid) profile without any evidence rule: never pass on nothing.
 */
export function minimumEvidence(profile: Profile): { floor: bigint; nMinPlain: bigint } {
  const floor = BigInt(profile.minimumSamples ?? 0);
  const strictest = allowedFractions(profile).reduce<Rational | null>((m, p) => (m === null || lessThan(p, m) ? p : m), null);
  return { floor, nMinPlain: maxBig(maxBig(strictest === null ? 0n : minimumTrials(strictest), floor), 1n) };
}

interface Context {
  readonly agg: ComplianceAggregate;
  /** Floor from profile.minimumSamples (0 when absent). */
  readonly floor: bigint;
  /** Evidence for thresholds without a fraction of their own (max, mean, loss burst). */
  readonly nMinPlain: bigint;
}

function nMinFor(ctx: Context, p: Rational): bigint {
  return maxBig(minimumTrials(p), ctx.floor);
}

interface Draft {
  readonly outcome: Outcome;
  readonly statistic: string;
  readonly measured: number | null;
  readonly measuredRange: readonly [number, number] | null;
  readonly bound: number;
  readonly direction: 'at_most' | 'at_least';
  readonly unit: ThresholdResult['unit'];
  readonly method: ThresholdResult['method'];
  readonly amount: bigint;
  readonly minimumAmount: bigint;
  readonly amountUnit: ThresholdResult['amountUnit'];
  readonly reason: string;
}

/** f = what is counted against the bound (e.g. "lost or late packets"), n = the exposure unit. */
function explain(outcome: Outcome, nMin: bigint, e: Evidence, nUnit: string, fLabel: string, notes: readonly string[]): string {
  const f = e.fLow === e.fHigh ? `${e.fLow}` : `${e.fLow ?? '?'}..${e.fHigh ?? '?'}`;
  const more = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  if (outcome === 'fail') return `${fLabel}: ${f}, more than the bound allows over ${maxBig(e.nHigh, nMin)} ${nUnit}`;
  if (outcome === 'pass') return `${fLabel}: ${f}, within what the bound allows over ${e.nLow} ${nUnit} (minimum ${nMin})`;
  if (e.nLow < nMin) return `${e.nLow} ${nUnit} of the ${nMin} needed for a verdict at this bound (rule of three)${more}`;
  if (e.fHigh === null || e.fLow === null) return `the counters cannot decide${more}`;
  return `${fLabel}: between ${f}; the data cannot tell whether that is within the bound over ${e.nLow} ${nUnit}${more}`;
}

function methodOf(e: Evidence): ThresholdResult['method'] {
  if (e.fLow === null && e.fHigh === null) return 'none';
  return e.fLow !== null && e.fLow === e.fHigh && e.nLow === e.nHigh ? 'exact' : 'bounds';
}

/** Bounds on #{trusted delay > x}, from everything the aggregate keeps that may be used at this level. */
function exceeding(agg: ComplianceAggregate, x: number, allowed: Rational, useDeadlineCounters: boolean): { low: number; high: number; notes: string[] } {
  const n = agg.owdCount;
  const ext = extremesExceeding(n, agg.owdMinNs, agg.owdMaxNs, x);
  let low = ext.low;
  let high = ext.high;
  const notes: string[] = [];
  if (useDeadlineCounters && agg.deadlineMetPackets + agg.deadlineMissPackets > 0) {
    const s = deadlineSoundness(x, agg);
    const outside = Math.max(0, n - agg.deadlineMetPackets - agg.deadlineMissPackets);
    if (s.pass) high = Math.min(high, agg.deadlineMissPackets + outside);
    if (s.fail) low = Math.max(low, agg.deadlineMissPackets);
    notes.push(...s.notes);
  }
  if (lessThan(HISTOGRAM_MIN_FRACTION, allowed)) {
    const h = histogramExceeding(agg.owdHistKeys, agg.owdHistCounts, x);
    low = Math.max(low, h.low);
    high = Math.min(high, h.high);
  } else if (low !== high) {
    notes.push('at this level only exact counters decide (METRICS.md §7), not the histogram');
  }
  return { low, high, notes };
}

function delay(ctx: Context, th: DelayThreshold): Draft {
  const { agg } = ctx;
  const n = BigInt(agg.owdCount);
  const common = { bound: th.maxLatencyNs, direction: 'at_most' as const, unit: 'ns' as const, amount: n, amountUnit: 'samples' as const };
  if (th.statistic === 'mean') {
    const allowed: Rational = { num: BigInt(th.maxLatencyNs), den: 1n };
    const e = exact(n, toBig(agg.owdSumNs));
    const outcome = judge(allowed, ctx.nMinPlain, e);
    const mean = agg.owdCount > 0 ? agg.owdSumNs / agg.owdCount : null;
    const reason = outcome === 'insufficient_data' ? `${n} samples of the ${ctx.nMinPlain} needed` : `mean ${mean} ns over ${n} samples`;
    return { ...common, outcome, statistic: 'owd mean', measured: mean, measuredRange: mean === null ? null : [mean, mean], method: 'exact', minimumAmount: ctx.nMinPlain, reason };
  }
  if (th.statistic === 'max') {
    const ext = extremesExceeding(agg.owdCount, agg.owdMinNs, agg.owdMaxNs, th.maxLatencyNs);
    const e: Evidence = { nLow: n, nHigh: n, fLow: BigInt(ext.low), fHigh: BigInt(ext.high) };
    const outcome = judge(ZERO, ctx.nMinPlain, e);
    const max = agg.owdMaxNs;
    return { ...common, outcome, statistic: 'owd max', measured: max, measuredRange: max === null ? null : [max, max], method: 'exact', minimumAmount: ctx.nMinPlain, reason: explain(outcome, ctx.nMinPlain, e, 'samples', 'samples above the bound', []) };
  }
  const q = th.quantile as number;
  const allowed = complement(rational(q));
  const nMin = nMinFor(ctx, allowed);
  const x = exceeding(agg, th.maxLatencyNs, allowed, true);
  const e: Evidence = { nLow: n, nHigh: n, fLow: BigInt(x.low), fHigh: BigInt(x.high) };
  const outcome = judge(allowed, nMin, e);
  return {
    ...common,
    outcome,
    statistic: `owd p${percent(q)}`,
    measured: histogramQuantile(agg.owdHistKeys, agg.owdHistCounts, q),
    measuredRange: quantileRange(agg.owdHistKeys, agg.owdHistCounts, q, agg.owdMinNs, agg.owdMaxNs),
    method: methodOf(e),
    minimumAmount: nMin,
    reason: explain(outcome, nMin, e, 'samples', 'samples above the bound', x.notes),
  };
}

function pdv(ctx: Context, th: PdvThreshold): Draft {
  const { agg } = ctx;
  const n = BigInt(agg.owdCount);
  const min = agg.owdMinNs;
  const common = { bound: th.maxPdvNs, direction: 'at_most' as const, unit: 'ns' as const, amount: n, amountUnit: 'samples' as const };
  const allowed = th.statistic === 'max' ? ZERO : complement(rational(th.quantile as number));
  const nMin = th.statistic === 'max' ? ctx.nMinPlain : nMinFor(ctx, allowed);
  if (min === null || agg.owdMaxNs === null) {
    return { ...common, outcome: 'insufficient_data', statistic: 'pdv', measured: null, measuredRange: null, method: 'none', minimumAmount: nMin, reason: 'no trusted delay samples' };
  }
  // PDV = D - D_min (RFC 5481 §4.2): PDV above the bound <=> delay above min + bound.
  const xNs = min + th.maxPdvNs;
  if (th.statistic === 'max') {
    const ext = extremesExceeding(agg.owdCount, min, agg.owdMaxNs, xNs);
    const e: Evidence = { nLow: n, nHigh: n, fLow: BigInt(ext.low), fHigh: BigInt(ext.high) };
    const outcome = judge(ZERO, nMin, e);
    const v = agg.owdMaxNs - min;
    return { ...common, outcome, statistic: 'pdv max (max - min)', measured: v, measuredRange: [v, v], method: 'exact', minimumAmount: nMin, reason: explain(outcome, nMin, e, 'samples', 'samples above min + bound', []) };
  }
  const q = th.quantile as number;
  const x = exceeding(agg, xNs, allowed, false);
  const e: Evidence = { nLow: n, nHigh: n, fLow: BigInt(x.low), fHigh: BigInt(x.high) };
  const outcome = judge(allowed, nMin, e);
  const est = histogramQuantile(agg.owdHistKeys, agg.owdHistCounts, q);
  const r = quantileRange(agg.owdHistKeys, agg.owdHistCounts, q, min, agg.owdMaxNs);
  return {
    ...common,
    outcome,
    statistic: `pdv p${percent(q)} (p${percent(q)} - min)`,
    measured: est === null ? null : Math.max(0, est - min),
    measuredRange: r === null ? null : [r[0] - min, r[1] - min],
    method: methodOf(e),
    minimumAmount: nMin,
    reason: explain(outcome, nMin, e, 'samples', 'samples above min + bound', x.notes),
  };
}

function reliability(ctx: Context, th: ReliabilityThreshold): Draft {
  const { agg } = ctx;
  const allowed = complement(rational(th.target));
  const nMin = nMinFor(ctx, allowed);
  const sent = agg.sentPackets;
  // Delivered within the deadline = trusted delays <= Lmax (untrusted ones never count as timely).
  const x = exceeding(agg, th.maxLatencyNs, allowed, true);
  const metLow = agg.owdCount - x.high;
  const metHigh = agg.owdCount - x.low;
  const n = BigInt(Math.max(0, sent));
  const e: Evidence = { nLow: n, nHigh: n, fLow: BigInt(Math.max(0, sent - metHigh)), fHigh: BigInt(Math.max(0, sent - metLow)) };
  const outcome = judge(allowed, nMin, e);
  const range: readonly [number, number] | null = sent > 0 ? [metLow / sent, Math.min(1, metHigh / sent)] : null;
  return {
    outcome,
    statistic: `delivered within ${th.maxLatencyNs} ns / sent`,
    measured: range !== null && metLow === metHigh ? range[0] : null,
    measuredRange: range,
    bound: th.target,
    direction: 'at_least',
    unit: 'ratio',
    method: methodOf(e),
    amount: n,
    minimumAmount: nMin,
    amountUnit: 'packets',
    reason: explain(outcome, nMin, e, 'packets sent', 'packets lost, late or without a trusted delay', x.notes),
  };
}

function availability(ctx: Context, th: AvailabilityThreshold): Draft {
  const { agg } = ctx;
  const allowed = complement(rational(th.target));
  const intervalNs = th.transferIntervalNs ?? agg.transferIntervalNs?.maxNs ?? 0;
  const nMin = nMinFor(ctx, allowed) * BigInt(intervalNs);
  const expected = toBig(agg.availExpectedNs);
  const common = { statistic: 'availability (1 - downtime / expected)', bound: th.target, direction: 'at_least' as const, unit: 'ratio' as const, amount: expected, amountUnit: 'ns' as const, minimumAmount: nMin };
  if (expected === 0n || intervalNs <= 0) {
    const reason = expected === 0n ? 'availability was not computed (the flow declared no transfer interval or deadline)' : 'the transfer interval the engine used is unknown (aggregate.transferIntervalNs)';
    return { ...common, outcome: 'insufficient_data', measured: null, measuredRange: null, method: 'none', reason };
  }
  const s = availabilitySoundness(th, agg, 'monotone');
  const down = toBig(agg.downtimeNs);
  const e: Evidence = { nLow: expected, nHigh: expected, fLow: s.fail ? down : null, fHigh: s.pass ? down : null };
  const outcome = judge(allowed, nMin, e);
  const v = Math.min(1, Math.max(0, 1 - agg.downtimeNs / agg.availExpectedNs));
  const range: readonly [number, number] | null = s.pass && s.fail ? [v, v] : s.pass ? [v, 1] : s.fail ? [0, v] : null;
  return { ...common, outcome, measured: s.pass && s.fail ? v : null, measuredRange: range, method: methodOf(e), reason: explain(outcome, nMin, e, 'ns of expected service time', 'ns of downtime', s.notes) };
}

function mtbf(ctx: Context, th: MtbfThreshold, a: AvailabilityThreshold): Draft {
  const { agg } = ctx;
  const mtbfNs = BigInt(th.minMtbfS) * NS_PER_S;
  // One failure allowed per minMtbf of uptime; zero failures in 3 * minMtbf bound the rate at 95 %.
  const allowed: Rational = { num: 1n, den: mtbfNs };
  const nMin = minimumTrials(allowed);
  const uptime = toBig(agg.availExpectedNs - agg.downtimeNs);
  const common = { statistic: 'MTBF (uptime / up->down transitions)', bound: th.minMtbfS, direction: 'at_least' as const, unit: 's' as const, amount: uptime, amountUnit: 'ns' as const, minimumAmount: nMin };
  if (agg.availExpectedNs <= 0) {
    return { ...common, outcome: 'insufficient_data', measured: null, measuredRange: null, method: 'none', reason: 'availability was not computed (the flow declared no transfer interval or deadline)' };
  }
  const s = availabilitySoundness(a, agg, 'equal');
  const t = BigInt(Math.max(0, Math.round(agg.upDownTransitions)));
  const e: Evidence = { nLow: uptime, nHigh: uptime, fLow: s.fail ? t : null, fHigh: s.pass ? t : null };
  const outcome = judge(allowed, nMin, e);
  const v = t > 0n ? Number(uptime) / Number(t) / 1e9 : null;
  const reason = (t === 0n ? 'no up->down transition (MTBF unbounded); ' : '') + explain(outcome, nMin, e, 'ns of uptime', 'up->down transitions', s.notes);
  return { ...common, outcome, measured: s.pass && s.fail ? v : null, measuredRange: null, method: methodOf(e), reason };
}

/** lost / sent or corrupt / sent against a maximum ratio. */
function countRatio(ctx: Context, maxRatio: number, failures: number, statistic: string, fLabel: string): Draft {
  const { agg } = ctx;
  const allowed = rational(maxRatio);
  const nMin = nMinFor(ctx, allowed);
  const n = BigInt(Math.max(0, agg.sentPackets));
  const f = BigInt(Math.max(0, failures));
  const e = exact(n, f);
  const outcome = judge(allowed, nMin, e);
  const v = agg.sentPackets > 0 ? Math.max(0, failures) / agg.sentPackets : null;
  return { outcome, statistic, measured: v, measuredRange: v === null ? null : [v, v], bound: maxRatio, direction: 'at_most', unit: 'ratio', method: 'exact', amount: n, minimumAmount: nMin, amountUnit: 'packets', reason: explain(outcome, nMin, e, 'packets sent', fLabel, []) };
}

function lossBurst(ctx: Context, maxConsecutive: number): Draft {
  const { agg } = ctx;
  const n = BigInt(Math.max(0, agg.sentPackets));
  const burst = agg.lossBurstMaxPackets;
  const outcome: Outcome = burst > maxConsecutive ? 'fail' : n >= ctx.nMinPlain ? 'pass' : 'insufficient_data';
  const reason = outcome === 'insufficient_data' ? `${n} packets of the ${ctx.nMinPlain} needed` : `longest loss burst ${burst} packets`;
  return { outcome, statistic: 'longest run of lost packets', measured: burst, measuredRange: [burst, burst], bound: maxConsecutive, direction: 'at_most', unit: 'packets', method: 'exact', amount: n, minimumAmount: ctx.nMinPlain, amountUnit: 'packets', reason };
}

function draftFor(ctx: Context, profile: Profile, kind: ThresholdKind): Draft {
  const t = profile.thresholds;
  switch (kind) {
    case 'delay': return delay(ctx, t.delay as DelayThreshold);
    case 'pdv': return pdv(ctx, t.pdv as PdvThreshold);
    case 'reliability': return reliability(ctx, t.reliability as ReliabilityThreshold);
    case 'availability': return availability(ctx, t.availability as AvailabilityThreshold);
    case 'mtbf': return mtbf(ctx, t.mtbf as MtbfThreshold, t.availability as AvailabilityThreshold);
    case 'lossBurst': return lossBurst(ctx, (t.lossBurst as { maxConsecutiveLosses: number }).maxConsecutiveLosses);
    case 'lossRatio': return countRatio(ctx, (t.lossRatio as { maxLossRatio: number }).maxLossRatio, ctx.agg.lostPackets, 'lost / sent', 'lost packets');
    case 'errorRatio': return countRatio(ctx, (t.errorRatio as { maxErrorRatio: number }).maxErrorRatio, ctx.agg.corruptPackets, 'corrupt / sent', 'corrupt packets');
  }
}

/** The verdict of a validated profile over an aggregate. Never 'pass' without enough data. */
export function evaluate(profile: Profile, agg: ComplianceAggregate): Verdict {
  const ctx: Context = { agg, ...minimumEvidence(profile) };

  const results: ThresholdResult[] = [];
  const unverified: string[] = [];
  for (const kind of THRESHOLD_KINDS) {
    const th = profile.thresholds[kind] as { status: StatusMap } | undefined;
    if (th === undefined) continue;
    const d = draftFor(ctx, profile, kind);
    const flagged = Object.entries(th.status).filter(([, s]) => s === 'U').map(([k]) => `${kind}.${k}`);
    unverified.push(...flagged);
    results.push(Object.freeze({
      threshold: kind,
      outcome: d.outcome,
      statistic: d.statistic,
      measured: d.measured,
      measuredRange: d.measuredRange,
      bound: d.bound,
      direction: d.direction,
      unit: d.unit,
      method: d.method,
      amount: Number(d.amount),
      minimumAmount: Number(d.minimumAmount),
      amountUnit: d.amountUnit,
      statuses: th.status,
      unverified: flagged.length > 0,
      reason: d.reason,
    }));
  }
  const verdict: Outcome = results.some((r) => r.outcome === 'fail') ? 'fail' : results.some((r) => r.outcome === 'insufficient_data') || results.length === 0 ? 'insufficient_data' : 'pass';
  return Object.freeze({
    profileId: profile.id,
    profileVersion: profile.version,
    verdict,
    thresholds: Object.freeze(results),
    unverified: Object.freeze(unverified),
    sourceStatus: profile.source.status,
    data: Object.freeze({ windows: agg.windows, sentPackets: agg.sentPackets, owdCount: agg.owdCount }),
  });
}
