// compileOutcomes() must give exactly evaluate()'s verdict, each threshold's outcome and the [U]
// flag. Compared on 200 000 random aggregates (values spread around every bound of the profile:
// min/max and histogram buckets on either side, deadline counters, parameters equal to, stricter
// or more lenient than the profile's, nulls, zeros, thin data) over every shipped profile and
// profiles that reach the branches the shipped ones do not (delay quantile at 1e-5, pdv max with
// a floor, mean with minimumSamples, T given as intervals).
import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../../adapters/profiles/load.ts';
import { histogramKey, HIST_ZERO_KEY } from '../metrics/histogram.ts';
// mulberry32: seeded, so a failure reproduces.
import { mulberry32 as seeded } from '../random.ts';
import { evaluate } from './evaluate.ts';
import { compileOutcomes } from './outcomes.ts';
import { profileWith } from './testkit.ts';
import type { ComplianceAggregate, ParameterRange, Profile } from './types.ts';

const MS = 1_000_000;

/** Every number a profile compares with, so random values land on, just under and just over them. */
function boundsOf(p: Profile): number[] {
  const t = p.thresholds;
  const out: number[] = [];
  if (t.delay) out.push(t.delay.maxLatencyNs);
  if (t.pdv) out.push(t.pdv.maxPdvNs);
  if (t.reliability) out.push(t.reliability.maxLatencyNs);
  if (t.availability) {
    const a = t.availability;
    for (const v of [a.transferIntervalNs, a.maxLatencyNs, a.survivalTimeNs]) if (typeof v === 'number') out.push(v);
  }
  return out;
}

function randomAggregate(r: () => number, bounds: readonly number[]): ComplianceAggregate {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (max: number) => Math.floor(r() * (max + 1));
  const near = (): number => {
    const b = bounds.length > 0 && r() < 0.7 ? pick(bounds) : pick([1000, 100_000, MS, 10 * MS, 100 * MS]);
    return Math.max(0, Math.round(b * pick([0, 0.5, 0.9, 0.995, 1, 1, 1.005, 1.1, 2, 10])) + pick([0, 0, -1, 1]));
  };
  const sent = pick([0, 1, 3, 50, 3000, 299_999, 300_000, 3_000_000, 30_000_001, 259_200_000, int(1e9)]);
  const lost = r() < 0.5 ? 0 : Math.min(sent, pick([1, 2, 3, 30, 300, int(sent)]));
  const owdCount = r() < 0.1 ? 0 : Math.max(0, sent - lost - (r() < 0.2 ? int(Math.min(sent - lost, 100)) : 0));
  let min: number | null = null;
  let max: number | null = null;
  const keys: number[] = [];
  const counts: number[] = [];
  if (owdCount > 0 && r() < 0.95) {
    const a = near();
    const b = near();
    min = Math.min(a, b);
    max = Math.max(a, b);
    // Buckets between min and max (keys ascending), counts summing to owdCount.
    const values = [min, max, ...Array.from({ length: int(4) }, () => min! + r() * (max! - min!))].sort((x, y) => x - y);
    const byKey = new Map<number, number>();
    let left = owdCount;
    values.forEach((v, i) => {
      const c = i === values.length - 1 ? left : Math.min(left, Math.max(i === 0 ? 1 : 0, int(left / 2)));
      left -= c;
      const k = v === 0 ? HIST_ZERO_KEY : histogramKey(v);
      byKey.set(k, (byKey.get(k) ?? 0) + c);
    });
    for (const k of [...byKey.keys()].sort((x, y) => x - y)) {
      if (byKey.get(k)! > 0 || r() < 0.1) {
        keys.push(k);
        counts.push(byKey.get(k)!);
      }
    }
  }
  const range = (): ParameterRange | null => {
    if (r() < 0.25) return null;
    const a = near();
    return r() < 0.7 ? { minNs: a, maxNs: a } : { minNs: Math.min(a, near()), maxNs: Math.max(a, near()) };
  };
  const withDeadline = r() < 0.5;
  const miss = withDeadline ? Math.min(owdCount, pick([0, 0, 1, 3, 30, int(owdCount)])) : 0;
  const met = withDeadline ? Math.max(0, owdCount - miss - (r() < 0.2 ? int(10) : 0)) : 0;
  const expected = r() < 0.3 ? 0 : pick([1e9, 86_400e9, 2_592_000e9, int(1e15)]);
  const downtime = expected === 0 ? 0 : pick([0, 0, 1, 1000, 8e6, int(expected / 1000), int(expected)]);
  return {
    windows: int(3_000_000),
    sentPackets: sent,
    lostPackets: lost,
    corruptPackets: r() < 0.7 ? 0 : Math.min(sent, pick([1, 3, 30, 3000, int(sent)])),
    owdCount,
    owdSumNs: owdCount === 0 ? 0 : owdCount * (min ?? near()) * pick([1, 1.01, 1.5]),
    owdMinNs: min,
    owdMaxNs: max,
    owdHistKeys: keys,
    owdHistCounts: counts,
    lossBurstMaxPackets: lost === 0 ? 0 : pick([1, 2, 3, 5, lost]),
    deadlineSentPackets: withDeadline ? sent : 0,
    deadlineMetPackets: met,
    deadlineMissPackets: miss,
    availExpectedNs: expected,
    downtimeNs: downtime,
    upDownTransitions: expected === 0 ? 0 : pick([0, 0, 1, 2, 5, 100]),
    maxLatencyNs: range(),
    transferIntervalNs: range(),
    survivalTimeNs: r() < 0.3 ? { minNs: 0, maxNs: 0 } : range(),
    downtimeOrigin: pick(['survival_expiry', 'first_failure', null] as const),
  };
}

const extra: Profile[] = [
  profileWith({ delay: { statistic: 'quantile', quantile: 0.99999, maxLatencyNs: 2 * MS }, pdv: { statistic: 'max', maxPdvNs: 1000 } }, { minimumSamples: 1000 }),
  profileWith({ delay: { statistic: 'quantile', quantile: 0.9, maxLatencyNs: MS }, lossBurst: { maxConsecutiveLosses: 2 } }),
  profileWith({ delay: { statistic: 'mean', maxLatencyNs: 100 * MS }, lossBurst: { maxConsecutiveLosses: 1 } }, { minimumSamples: 3000 }),
  profileWith({ delay: { statistic: 'max', maxLatencyNs: 2 * MS, status: { maxLatencyNs: 'U' } }, errorRatio: { maxErrorRatio: 0.01 } }),
  profileWith({ pdv: { statistic: 'quantile', quantile: 0.99, maxPdvNs: 100_000 }, reliability: { target: 0.999, maxLatencyNs: MS } }),
  profileWith({
    availability: { target: 0.999, transferIntervalNs: MS, maxLatencyNs: MS, survivalTimeIntervals: 2, downtimeOrigin: 'first_failure' },
    mtbf: { minMtbfS: 3600 },
  }),
  profileWith({ availability: { target: 0.999, transferIntervalNs: null, maxLatencyIntervals: 1, survivalTimeIntervals: 1, downtimeOrigin: 'survival_expiry' }, mtbf: { minMtbfS: 60 } }),
];

describe('compileOutcomes', () => {
  it('gives evaluate()\'s verdict, per-threshold outcomes and [U] flag on 200 000 random aggregates over every shipped profile and extra shapes', () => {
    const profiles = [...loadProfiles().profiles.map((e) => e.profile), ...extra];
    const r = seeded(20261121);
    const verdicts = { pass: 0, fail: 0, insufficient_data: 0 };
    let thresholdsFailed = 0;
    for (const profile of profiles) {
      const compiled = compileOutcomes(profile);
      const bounds = boundsOf(profile);
      const perProfile = Math.ceil(200_000 / profiles.length);
      for (let i = 0; i < perProfile; i++) {
        const agg = randomAggregate(r, bounds);
        const full = evaluate(profile, agg);
        const fast = compiled.outcomes(agg);
        const failing = full.thresholds.filter((t) => t.outcome === 'fail').map((t) => t.threshold);
        if (fast.verdict !== full.verdict || fast.failing.join() !== failing.join() || compiled.unverified !== full.unverified.length > 0) {
          expect({ profile: `${profile.id}@${profile.version}`, agg, fast, unverified: compiled.unverified }).toEqual({ profile: `${profile.id}@${profile.version}`, agg, fast: { verdict: full.verdict, failing }, unverified: full.unverified.length > 0 });
        }
        verdicts[full.verdict]++;
        thresholdsFailed += failing.length;
      }
    }
    // The random aggregates reach every verdict in quantity (otherwise the comparison proves little).
    expect(verdicts.pass).toBeGreaterThan(10_000);
    expect(verdicts.fail).toBeGreaterThan(10_000);
    expect(verdicts.insufficient_data).toBeGreaterThan(10_000);
    expect(thresholdsFailed).toBeGreaterThan(verdicts.fail);
  }, 120_000);

  it('a profile without thresholds is insufficient_data, as in evaluate()', () => {
    const agg = randomAggregate(seeded(1), []);
    const p = { ...extra[0], thresholds: {} };
    expect(compileOutcomes(p).outcomes(agg)).toEqual({ verdict: evaluate(p, agg).verdict, failing: [] });
  });
});
