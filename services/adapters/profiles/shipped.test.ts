// Every number and status of the shipped profiles against shared/METRICS.md §9, transcribed
// here by hand (not read from either file), so a typo in a profile or a silently changed value
// fails. Status: the METRICS.md tag of the number; D where the profile had to choose (the strict
// end of a range, a survival time the source does not give, a mapping to a statistic).
import { describe, expect, it } from 'vitest';
import { histogramKey } from '../../core/metrics/histogram.ts';
import { evaluate } from '../../core/compliance/evaluate.ts';
import { EMPTY_AGGREGATE, aggregate } from '../../core/compliance/testkit.ts';
import type { ComplianceAggregate, Profile, Status } from '../../core/compliance/types.ts';
import { loadProfiles } from './load.ts';

const MS = 1_000_000;
const US = 1_000;
const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;
const TEN_YEARS_S = 10 * 365 * DAY_S;

type Values = Record<string, [unknown, Status]>;
interface Expected {
  readonly source: Status;
  readonly values: Values;
  readonly minimumSamples?: number;
}

/** Availability with S = 0 and the flow's own interval: the common 3GPP Annex D / TS 22.104 shape. */
function avail(target: number, targetStatus: Status, lmax: number | null, lmaxStatus: Status, origin: Status = 'D'): Values {
  return {
    'availability.target': [target, targetStatus],
    'availability.transferIntervalNs': [null, 'D'],
    'availability.maxLatencyNs': [lmax, lmaxStatus],
    'availability.survivalTimeNs': [0, 'D'],
    'availability.downtimeOrigin': ['survival_expiry', origin],
  };
}

/** TS 22.104 Table 5.2-1 rows remembered but not verified: Lmax < T, S = T, everything [U]. */
function periodicU(target: number, transferIntervalNs: number | null, mtbfS: number): Values {
  return {
    'availability.target': [target, 'U'],
    'availability.transferIntervalNs': [transferIntervalNs, transferIntervalNs === null ? 'D' : 'U'],
    'availability.maxLatencyIntervals': [1, 'U'],
    'availability.survivalTimeIntervals': [1, 'U'],
    'availability.downtimeOrigin': ['survival_expiry', 'U'],
    'mtbf.minMtbfS': [mtbfS, 'U'],
  };
}

/** Y.1541 class (METRICS.md §9.2): IPTD mean, IPDV on p99.9 - min, IPLR [V]; IPER [U]. */
function y1541(iptdNs: number, ipdvNs: number | null, iplr: number, iper: number): Expected {
  const v: Values = { 'delay.statistic': ['mean', 'V'], 'delay.maxLatencyNs': [iptdNs, 'V'] };
  if (ipdvNs !== null) Object.assign(v, { 'pdv.statistic': ['quantile', 'V'], 'pdv.quantile': [0.999, 'V'], 'pdv.maxPdvNs': [ipdvNs, 'V'] });
  Object.assign(v, { 'lossRatio.maxLossRatio': [iplr, 'V'], 'errorRatio.maxErrorRatio': [iper, 'U'] });
  return { source: 'V', values: v };
}

function tsn(lmaxNs: number): Expected {
  return {
    source: 'V',
    values: {
      'delay.statistic': ['max', 'D'],
      'delay.maxLatencyNs': [lmaxNs, 'D'], // an end of the 100 us - 50 ms range [V]
      'availability.target': [0.99999, 'V'],
      'availability.transferIntervalNs': [null, 'D'],
      'availability.maxLatencyNs': [lmaxNs, 'D'],
      'availability.survivalTimeIntervals': [1, 'D'],
      'availability.downtimeOrigin': ['survival_expiry', 'U'],
      'lossBurst.maxConsecutiveLosses': [1, 'V'],
    },
  };
}

function custom(p999Ns: number): Expected {
  return {
    source: 'D',
    minimumSamples: 100_000,
    values: {
      'delay.statistic': ['quantile', 'D'],
      'delay.quantile': [0.999, 'D'],
      'delay.maxLatencyNs': [p999Ns, 'D'],
      'pdv.statistic': ['quantile', 'D'],
      'pdv.quantile': [0.999, 'D'],
      'pdv.maxPdvNs': [500 * US, 'D'],
      'reliability.target': [0.9999, 'D'],
      'reliability.maxLatencyNs': [2 * MS, 'D'],
      'availability.target': [0.9999, 'D'],
      'availability.transferIntervalNs': [1 * MS, 'D'],
      'availability.maxLatencyNs': [2 * MS, 'D'],
      'availability.survivalTimeIntervals': [2, 'D'],
      'availability.downtimeOrigin': ['first_failure', 'D'],
      'lossBurst.maxConsecutiveLosses': [2, 'D'],
    },
  };
}

const EXPECTED: Record<string, Expected> = {
  // §9.3, TS 22.261 Annex D, all [V]
  '3gpp-ts22261-motion-control@1': { source: 'V', values: avail(0.999999, 'V', 1 * MS, 'V') },
  '3gpp-ts22261-motion-control-isochronous@1': {
    source: 'V',
    values: { 'pdv.statistic': ['max', 'D'], 'pdv.maxPdvNs': [1 * US, 'V'], ...avail(0.999999, 'V', 1 * MS, 'V') },
  },
  '3gpp-ts22261-discrete-automation@1': { source: 'V', values: avail(0.9999, 'V', 10 * MS, 'D') }, // 10 ms - 1 s
  '3gpp-ts22261-process-automation-remote-control@1': { source: 'V', values: avail(0.999999, 'V', 50 * MS, 'V') },
  '3gpp-ts22261-process-monitoring@1': { source: 'V', values: avail(0.999, 'V', null, 'D') },
  '3gpp-ts22261-hv-wide-area-protection@1': { source: 'V', values: avail(0.999999, 'V', 5 * MS, 'V') },
  // §9.3, TS 22.104 excerpts [V]; the table number is [U]
  '3gpp-ts22104-emergency-stop@1': {
    source: 'U',
    values: {
      'availability.target': [0.99999999, 'V'],
      'availability.transferIntervalNs': [null, 'D'],
      'availability.maxLatencyNs': [8 * MS, 'V'],
      'availability.survivalTimeNs': [16 * MS, 'V'],
      'availability.downtimeOrigin': ['survival_expiry', 'U'],
      'mtbf.minMtbfS': [DAY_S, 'V'],
    },
  },
  '3gpp-ts22104-wired-to-wireless-link-replacement@1': { source: 'U', values: { ...avail(0.99999999, 'D', 1 * MS, 'V'), 'mtbf.minMtbfS': [TEN_YEARS_S, 'V'] } },
  '3gpp-ts22104-mobile-robots-video@1': { source: 'U', values: { ...avail(0.999999, 'V', 10 * MS, 'V'), 'mtbf.minMtbfS': [WEEK_S, 'V'] } },
  '3gpp-ts22104-smart-grid-load-control@1': { source: 'U', values: avail(0.999999, 'V', 50 * MS, 'V') },
  // §9.3, TS 22.104 Table 5.2-2 [S]
  '3gpp-ts22104-wireless-sensors-process-monitoring@1': { source: 'S', values: { ...avail(0.9999, 'S', 100 * MS, 'S'), 'mtbf.minMtbfS': [WEEK_S, 'S'] } },
  '3gpp-ts22104-wireless-sensors-asset-monitoring@1': { source: 'S', values: { ...avail(0.9999, 'S', 100 * MS, 'S'), 'mtbf.minMtbfS': [WEEK_S, 'S'] } },
  // §9.3, TS 22.104 Table 5.2-1 [U]
  '3gpp-ts22104-motion-control-500us@1': { source: 'U', values: periodicU(0.99999999, 500 * US, TEN_YEARS_S) },
  '3gpp-ts22104-motion-control-1ms@1': { source: 'U', values: periodicU(0.99999999, 1 * MS, TEN_YEARS_S) },
  '3gpp-ts22104-motion-control-2ms@1': { source: 'U', values: periodicU(0.99999999, 2 * MS, TEN_YEARS_S) },
  '3gpp-ts22104-control-to-control@1': { source: 'U', values: periodicU(0.99999999, null, TEN_YEARS_S) },
  '3gpp-ts22104-mobile-robots-cooperative-motion-control@1': { source: 'U', values: periodicU(0.999999, 1 * MS, WEEK_S) },
  // §9.1 [S]
  '3gpp-tr38913-urllc@1': { source: 'S', values: { 'reliability.target': [0.99999, 'S'], 'reliability.maxLatencyNs': [1 * MS, 'S'] } },
  '3gpp-rel16-eurllc@1': { source: 'S', values: { 'reliability.target': [0.999999, 'S'], 'reliability.maxLatencyNs': [500 * US, 'D'] } }, // 0.5-1 ms
  // §9.2
  'itu-y1541-class-0@1': y1541(100 * MS, 50 * MS, 0.001, 0.0001),
  'itu-y1541-class-1@1': y1541(400 * MS, 50 * MS, 0.001, 0.0001),
  'itu-y1541-class-2@1': y1541(100 * MS, null, 0.001, 0.0001),
  'itu-y1541-class-3@1': y1541(400 * MS, null, 0.001, 0.0001),
  'itu-y1541-class-4@1': y1541(1000 * MS, null, 0.001, 0.0001),
  'itu-y1541-class-6@1': y1541(100 * MS, 50 * MS, 0.00001, 0.000001),
  'itu-y1541-class-7@1': y1541(400 * MS, 50 * MS, 0.00001, 0.000001),
  // §9.4, RFC 8578 §7.2.1
  'tsn-rfc8578-critical-control-100us@1': tsn(100 * US),
  'tsn-rfc8578-critical-control-50ms@1': tsn(50 * MS),
  // enterprise-defined example
  'custom-example-packaging-line@1': custom(2 * MS),
  'custom-example-packaging-line@2': custom(1500 * US),
};

function flatten(p: Profile): Values {
  const out: Values = {};
  for (const [kind, t] of Object.entries(p.thresholds)) {
    for (const [k, v] of Object.entries(t as Record<string, unknown>)) {
      if (k === 'status' || k === 'note') continue;
      out[`${kind}.${k}`] = [v, (t as { status: Record<string, Status> }).status[k]];
    }
  }
  return out;
}

/** Data that meets every shipped bound: 10^10 packets at 1 us, 40 years of service without downtime. */
function perfect(p: Profile): ComplianceAggregate {
  const a = p.thresholds.availability;
  const t = a?.transferIntervalNs ?? 1 * MS;
  const lmax = p.thresholds.reliability?.maxLatencyNs ?? (a ? (a.maxLatencyNs ?? (a.maxLatencyIntervals ?? 10) * t) : 10 * MS);
  const s = a ? (a.survivalTimeNs ?? (a.survivalTimeIntervals as number) * t) : 0;
  const n = 1e10;
  const delayNs = 1000;
  return aggregate({
    windows: n / 1000,
    sentPackets: n,
    owdCount: n,
    owdSumNs: n * delayNs,
    owdMinNs: delayNs,
    owdMaxNs: delayNs,
    owdHistKeys: [histogramKey(delayNs)],
    owdHistCounts: [n],
    deadlineSentPackets: n,
    deadlineMetPackets: n,
    availExpectedNs: 40 * 365 * DAY_S * 1e9,
    maxLatencyNs: { minNs: lmax, maxNs: lmax },
    transferIntervalNs: { minNs: t, maxNs: t },
    survivalTimeNs: { minNs: s, maxNs: s },
    downtimeOrigin: a?.downtimeOrigin ?? 'survival_expiry',
  });
}

describe('shipped profiles carry the numbers of shared/METRICS.md §9', () => {
  const catalog = loadProfiles();
  const shipped = catalog.profiles.map((e) => e.profile);

  it('ships exactly the expected profiles', () => {
    expect(shipped.map((p) => `${p.id}@${p.version}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(shipped.map((p) => [`${p.id}@${p.version}`, p] as const))('%s: every value and status', (key, p) => {
    const exp = EXPECTED[key];
    expect(flatten(p)).toEqual(exp.values);
    expect(p.source.status).toBe(exp.source);
    expect(p.minimumSamples).toBe(exp.minimumSamples);
  });

  it.each(shipped.map((p) => [`${p.id}@${p.version}`, p] as const))('%s: insufficient data on nothing, pass on perfect data, [U] values always flagged', (key, p) => {
    expect(evaluate(p, EMPTY_AGGREGATE).verdict).toBe('insufficient_data');
    const v = evaluate(p, perfect(p));
    expect(v.thresholds.filter((t) => t.outcome !== 'pass').map((t) => `${t.threshold}: ${t.reason}`)).toEqual([]);
    expect(v.verdict).toBe('pass');
    const unverified = Object.entries(EXPECTED[key].values).filter(([, [, s]]) => s === 'U').map(([k]) => k);
    expect([...v.unverified].sort()).toEqual(unverified.sort());
  });
});
