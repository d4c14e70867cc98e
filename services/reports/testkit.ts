// Report inputs for tests: computed with the real code (bootstrap comparison, profile
// evaluation) from seeded synthetic data, with hostile strings wherever a name or id is shown.
// Only tests import this file.
import { evaluate } from '../core/compliance/evaluate.ts';
import { aggregateOfPackets, profileWith } from '../core/compliance/testkit.ts';
import { histogramKey } from '../core/metrics/histogram.ts';
import { mulberry32 } from '../core/random.ts';
import { compareUpgrade } from '../core/upgrade/compare.ts';
import { estimateBlocks } from '../core/upgrade/metrics.ts';
import type { UpgradeBlock } from '../core/upgrade/types.ts';
import { delayBuckets, type UpgradeValidationResult } from '../adapters/clickhouse/upgrade-queries.ts';
import type { ComplianceReportInput, UpgradeReportInput } from './types.ts';

export const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>'&amp;"`;
const S = 1_000_000_000n;
/** 2025-11-21 08:00 UTC. */
const T0 = 1_763_683_200n * S + 8n * 3_600n * S;

function block(startNs: bigint, rnd: () => number, offsetNs: number, downP: number): UpgradeBlock {
  const counts = new Map<number, number>();
  let min = Infinity;
  for (let i = 0; i < 200; i++) {
    const d = Math.round(offsetNs - 300_000 * Math.log(1 - rnd()));
    min = Math.min(min, d);
    counts.set(histogramKey(d), (counts.get(histogramKey(d)) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  return {
    startNs, sentPackets: 1000, lostPackets: Math.floor(rnd() * 6), owdCount: 200, owdMinNs: min, owdHistKeys: keys,
    owdHistCounts: keys.map((k) => counts.get(k) as number), ipdvCount: 199, ipdvAbsSumNs: 199 * 150_000 * (0.5 + rnd()),
    deadlineSentPackets: 1000, deadlineMetPackets: 990 + Math.floor(rnd() * 10), availExpectedNs: 60e9, downtimeNs: rnd() < downP ? 5e9 * rnd() : 0,
  };
}

/** 4 h baseline and 4 h after (1 min blocks), after delays 400 us lower and fewer outages. */
export function upgradeResult(): UpgradeValidationResult {
  const rnd = mulberry32(99);
  const minute = 60n * S;
  const base = Array.from({ length: 240 }, (_, i) => block(T0 + BigInt(i) * minute, rnd, 2_000_000, 0.2));
  const afterT0 = T0 + 6n * 3_600n * S;
  const after = Array.from({ length: 240 }, (_, i) => block(afterT0 + BigInt(i) * minute, rnd, 1_600_000, 0.05));
  const hours = (blocks: UpgradeBlock[], period: 'baseline' | 'after') => Array.from({ length: 4 }, (_, h) => {
    const part = blocks.slice(h * 60, h * 60 + 60);
    const e = estimateBlocks(part);
    return { period, startNs: part[0].startNs.toString(), windows: 60 * 60, owdP50Ns: e.owd_p50_ns, owdP99Ns: e.owd_p99_ns, pdvP99Ns: e.pdv_p99_ns, lossRatio: e.loss_ratio, availability: e.availability };
  });
  const flow = (i: number) => {
    const f = (offset: number) => {
      const e = estimateBlocks([block(0n, rnd, offset, 0.1)]);
      return { windows: 14_400, sentPackets: 1000, owdP99Ns: e.owd_p99_ns, pdvP99Ns: e.pdv_p99_ns, lossRatio: e.loss_ratio, availability: e.availability };
    };
    return {
      siteId: 'site-1', networkType: i % 2 ? 'tsn' : '5g', segmentId: `cell-${i}`, deviceId: i === 0 ? HOSTILE : `88.100.1/dev-${i}`, flowId: `qfi-${i}`,
      after: f(1_900_000 - i * 50_000), baseline: i === 3 ? null : f(2_300_000 - i * 50_000),
    };
  };
  const profile = profileWith({ delay: { statistic: 'quantile', quantile: 0.99, maxLatencyNs: 5_000_000, status: { maxLatencyNs: 'U' } } });
  const packets = (offset: number) => Array.from({ length: 2000 }, () => Math.round(offset - 300_000 * Math.log(1 - rnd())));
  return {
    scope: { enterpriseId: 'ent-1', siteId: null },
    baseline: { fromNs: base[0].startNs.toString(), toNs: (T0 + 4n * 3_600n * S).toString(), blockNs: (60n * S).toString(), blocks: 240, windows: 14_400 },
    after: { fromNs: afterT0.toString(), toNs: (afterT0 + 4n * 3_600n * S).toString(), blockNs: (60n * S).toString(), blocks: 240, windows: 14_400 },
    comparison: compareUpgrade(base, after, { seed: 1, baselineBlockNs: 60e9, afterBlockNs: 60e9 }),
    delayHistogram: { baseline: delayBuckets(base), after: delayBuckets(after) },
    series: [...hours(base, 'baseline'), ...hours(after, 'after')],
    worstFlows: [0, 1, 2, 3, 4].map(flow),
    profile: { baseline: evaluate(profile, aggregateOfPackets(packets(4_000_000))), after: evaluate(profile, aggregateOfPackets(packets(1_000_000))) },
  };
}

export function upgradeInput(): UpgradeReportInput {
  return {
    enterprise: { id: 'ent-1', name: `Acme ${HOSTILE} Werke` },
    result: upgradeResult(),
    profile: { id: 'test', version: 1, title: 'test profile', contentHash: 'sha256:0123abcd' },
    dataVersion: { registryVersion: '1763683200000000', contentHash: 'rows 480, windows 28800, hash 00ff00ff00ff00ff' },
    generatedAt: '2025-11-21T18:00:00Z',
  };
}

export function complianceInput(): ComplianceReportInput {
  const u = upgradeResult();
  const verified = profileWith({ lossRatio: { maxLossRatio: 0.01 } });
  const unverified = profileWith({ delay: { statistic: 'quantile', quantile: 0.99, maxLatencyNs: 2_500_000, status: { maxLatencyNs: 'U' } } });
  const rnd = mulberry32(5);
  const packets = (offset: number, loss: number) => Array.from({ length: 3000 }, () => (rnd() < loss ? null : Math.round(offset - 200_000 * Math.log(1 - rnd()))));
  const good = aggregateOfPackets(packets(1_500_000, 0.001));
  const bad = aggregateOfPackets(packets(2_600_000, 0.05));
  return {
    enterprise: { id: 'ent-1', name: HOSTILE, region: 'North <b>', industry: 'automotive & parts' },
    period: { fromNs: u.after.fromNs, toNs: u.after.toNs },
    profiles: [{ id: 'test', version: 1, title: 'loss', contentHash: 'sha256:feed' }, { id: 'test', version: 1, title: `delay ${HOSTILE}`, contentHash: 'sha256:beef' }],
    levels: [
      { level: 'enterprise', verdict: 'fail', flows: { pass: 3, fail: 2, insufficient_data: 1, no_profile: 1 } },
      { level: 'site', siteId: 'site-1', verdict: 'fail', flows: { pass: 3, fail: 2, insufficient_data: 0, no_profile: 0 } },
      { level: 'site', siteId: `site ${HOSTILE}`, verdict: 'no_profile', flows: { pass: 0, fail: 0, insufficient_data: 0, no_profile: 1 } },
      { level: 'device', siteId: 'site-1', deviceId: HOSTILE, verdict: 'pass', flows: { pass: 3, fail: 0, insufficient_data: 0, no_profile: 0 } },
    ],
    verdicts: [
      { level: 'enterprise', verdict: evaluate(unverified, bad) },
      { level: 'site', siteId: 'site-1', verdict: evaluate(verified, good) },
      { level: 'device', siteId: 'site-1', deviceId: HOSTILE, verdict: evaluate(verified, bad) },
      { level: 'flow', siteId: 'site-1', deviceId: 'dev-2', flowId: 'qfi-1', verdict: evaluate(unverified, good) },
    ],
    failedWindows: [
      { siteId: 'site-1', deviceId: HOSTILE, flowId: 'qfi-9', windowStartNs: u.after.fromNs, windowNs: 1e9, threshold: 'lossRatio', measured: 0.05, bound: 0.01, unit: 'ratio', reason: `loss ${HOSTILE}` },
    ],
    failedWindowsTotal: 17,
    dataVersion: { registryVersion: '1763683200000001', contentHash: 'rows 10, windows 600, hash 0123456789abcdef' },
    generatedAt: '2025-11-21T18:00:00Z',
    delayHistogram: u.delayHistogram.after,
    series: u.series.filter((p) => p.period === 'after').map((p) => ({ startNs: p.startNs, pdvP99Ns: p.pdvP99Ns, availability: p.availability })),
    worstFlows: u.worstFlows.map((f, i) => ({ label: `${f.deviceId}/${f.flowId}`, owdP99Ns: f.after.owdP99Ns, verdict: i < 2 ? 'fail' : 'pass' })),
  };
}
