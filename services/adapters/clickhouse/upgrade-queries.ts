// Upgrade validation over ClickHouse: reads the scope's 1 min rollups (FINAL) into blocks for
// the bootstrap (services/core/upgrade), the charts of each period (periodCharts: merged delay
// histogram, hourly series, worst flows; also behind the compliance report), and the requirement
// profile's verdict over the base windows.
// docs/upgrade-validation.md. Values reach SQL only through literal.ts; enterprise_id is in every
// WHERE clause (the caller takes it from the credential, never from the request).
import { evaluate } from '../../core/compliance/evaluate.ts';
import { IsochronError } from '../../core/errors.ts';
import type { DowntimeOrigin, Profile, Verdict } from '../../core/compliance/types.ts';
import { HIST_GAMMA, HIST_ZERO_KEY, histogramValue } from '../../core/metrics/histogram.ts';
import { blockLengthNs, checkPeriods, type PeriodNs } from '../../core/upgrade/blocks.ts';
import { compareUpgrade } from '../../core/upgrade/compare.ts';
import { estimateBlocks } from '../../core/upgrade/metrics.ts';
import type { UpgradeBlock, UpgradeComparison } from '../../core/upgrade/types.ts';
import type { ClickHouse } from './client.ts';
import { complianceAggregateList, complianceAggregateOf, COMPLIANCE_OUTPUT_COLUMNS } from './compliance-aggregate.ts';
import { sqlInt, sqlString } from './literal.ts';
import { histogramQuantileSql } from './rollup-columns.ts';

const HOUR_NS = 3_600_000_000_000n;
export const DEFAULT_WORST_FLOWS = 10;
const MAX_WORST_FLOWS = 100;

export interface UpgradeScope {
  /** From the caller's credential: always a filter. */
  readonly enterpriseId: string;
  /** Narrows the scope to one site of the enterprise. */
  readonly siteId?: string;
}

export interface UpgradeRequest extends UpgradeScope {
  readonly baseline: PeriodNs;
  readonly after: PeriodNs;
  /** Bootstrap seed (default 1). */
  readonly seed?: number;
  /** Bootstrap resamples (default 1000). */
  readonly resamples?: number;
  /** Evaluated over each period's base windows: is the profile met now, and was it before? */
  readonly profile?: Profile;
  /** The worker's downtimeOrigin (engine config); null or absent: unknown (docs/profiles.md). */
  readonly downtimeOrigin?: DowntimeOrigin | null;
  /** Flows listed in worstFlows (default 10, at most 100). */
  readonly worstFlows?: number;
}

/** One bucket of a merged delay histogram: delays in (lowerNs, upperNs] (0 ns: [0, 0]). */
export interface DelayBucket {
  readonly key: number;
  readonly lowerNs: number;
  readonly upperNs: number;
  /** Representative value 2 gamma^k / (1 + gamma) (histogram.ts). */
  readonly valueNs: number;
  readonly count: number;
}

export interface PeriodSummary {
  /** ns since the Unix epoch, as decimal strings (JSON-safe). */
  readonly fromNs: string;
  readonly toNs: string;
  /** Length of a resampling block. */
  readonly blockNs: string;
  /** Blocks that hold any rollup row. */
  readonly blocks: number;
  /** Base windows behind the period. */
  readonly windows: number;
}

/** One UTC hour of a period (minutes outside the period are not in it). */
export interface HourPoint {
  readonly startNs: string;
  readonly windows: number;
  readonly owdP50Ns: number | null;
  readonly owdP99Ns: number | null;
  readonly pdvP99Ns: number | null;
  readonly lossRatio: number | null;
  readonly availability: number | null;
}

/** One hour of one period of an upgrade validation. */
export interface SeriesPoint extends HourPoint {
  readonly period: 'baseline' | 'after';
}

export interface FlowFigures {
  readonly windows: number;
  readonly sentPackets: number;
  readonly owdP99Ns: number | null;
  readonly pdvP99Ns: number | null;
  readonly lossRatio: number | null;
  readonly availability: number | null;
}

export interface WorstFlow {
  readonly siteId: string;
  /** Of the flow's latest rollup row in the after period. */
  readonly networkType: string;
  readonly segmentId: string;
  readonly deviceId: string;
  readonly flowId: string;
  readonly after: FlowFigures;
  /** null: the flow has no data in the baseline period. */
  readonly baseline: FlowFigures | null;
}

/** A flow of one period, with its figures over that period. */
export interface PeriodFlow extends WorstFlowKey {
  /** Of the flow's latest rollup row in the period. */
  readonly networkType: string;
  readonly segmentId: string;
  readonly figures: FlowFigures;
}

/** What the reports chart of one period: the merged delay histogram, hourly figures, the worst flows. */
export interface PeriodCharts {
  readonly delayHistogram: readonly DelayBucket[];
  /** Hours that hold any rollup row, ascending. */
  readonly series: readonly HourPoint[];
  /** Highest delay p99 first (flows without delay samples last), at most the number asked for. */
  readonly worstFlows: readonly PeriodFlow[];
}

/**
 * Rollup table a period is read from: 1 min rows (any minute-aligned period), or 1 h rows for
 * periods of whole UTC hours (60 times fewer rows, and kept far longer than 1 min rows, whose
 * partitions expire after weeks: docs/rollups.md). Both give the same sums per hour and flow.
 */
export type ChartRollup = '1m' | '1h';

function rollupTable(rollup: ChartRollup): string {
  return rollup === '1h' ? 'flow_rollups_1h' : 'flow_rollups_1m';
}

export interface UpgradeValidationResult {
  readonly scope: { readonly enterpriseId: string; readonly siteId: string | null };
  readonly baseline: PeriodSummary;
  readonly after: PeriodSummary;
  readonly comparison: UpgradeComparison;
  readonly delayHistogram: { readonly baseline: readonly DelayBucket[]; readonly after: readonly DelayBucket[] };
  readonly series: readonly SeriesPoint[];
  /** Highest after-period delay p99 first. */
  readonly worstFlows: readonly WorstFlow[];
  /** Present when a profile was given: its verdict over each period's base windows. */
  readonly profile: { readonly baseline: Verdict; readonly after: Verdict } | null;
}

function scopeWhere(scope: UpgradeScope): string {
  const site = scope.siteId === undefined ? '' : ` AND site_id = ${sqlString(scope.siteId)}`;
  return `enterprise_id = ${sqlString(scope.enterpriseId)}${site}`;
}

function periodWhere(column: string, p: PeriodNs): string {
  return `${column} >= ${sqlInt(p.fromNs, 'UInt64')} AND ${column} < ${sqlInt(p.toNs, 'UInt64')}`;
}

/** Sums of 1 min rollup rows, as the blocks of services/core/upgrade need them (aliases u_*). */
const BLOCK_SUMS = [
  'sum(windows) AS u_windows',
  'sum(sent_packets) AS u_sent',
  'sum(lost_packets) AS u_lost',
  'sum(owd_count) AS u_owd_count',
  'min(owd_min_ns) AS u_owd_min',
  'sum(ipdv_count) AS u_ipdv_count',
  'sum(ipdv_abs_sum_ns) AS u_ipdv_abs',
  'sum(deadline_sent_packets) AS u_deadline_sent',
  'ifNull(sum(deadline_met_packets), 0) AS u_met',
  'ifNull(sum(avail_expected_ns), 0) AS u_expected',
  'ifNull(sum(downtime_ns), 0) AS u_downtime',
  'sumMap(owd_hist_keys, owd_hist_counts) AS u_hist',
];
// The histogram leaves as two arrays: a tuple's JSON differs between server releases.
const BLOCK_OUTPUT = ['u_windows', 'u_sent', 'u_lost', 'u_owd_count', 'u_owd_min', 'u_ipdv_count', 'u_ipdv_abs', 'u_deadline_sent', 'u_met', 'u_expected', 'u_downtime', 'u_hist.1 AS u_hist_keys', 'u_hist.2 AS u_hist_counts'];

/**
 * The scope's 1 min rollups in [period) summed per bucket: rows whose period start lies in
 * [originNs + i * bucketNs, originNs + (i + 1) * bucketNs) form bucket i.
 */
export function upgradeBucketsSql(scope: UpgradeScope, period: PeriodNs, originNs: bigint, bucketNs: bigint, rollup: ChartRollup = '1m'): string {
  const origin = sqlInt(originNs, 'UInt64');
  const bucket = sqlInt(bucketNs, 'UInt64');
  return `SELECT u_bucket, ${BLOCK_OUTPUT.join(', ')}
FROM (
  SELECT intDiv(period_start_ns - ${origin}, ${bucket}) AS u_bucket, ${BLOCK_SUMS.join(', ')}
  FROM ${rollupTable(rollup)} FINAL
  WHERE ${scopeWhere(scope)} AND ${periodWhere('period_start_ns', period)}
  GROUP BY u_bucket
)
ORDER BY u_bucket`;
}

const FLOW_KEY = ['site_id', 'device_id', 'flow_id'];

/** Per flow (site, device, flow) in [period); the `limit` flows with the highest p99 first, or only the listed flows. */
export function upgradeFlowsSql(scope: UpgradeScope, period: PeriodNs, select: { readonly limit: number } | { readonly flows: readonly WorstFlowKey[] }, rollup: ChartRollup = '1m'): string {
  const only = 'flows' in select
    ? ` AND (${select.flows.map((f) => `(site_id = ${sqlString(f.siteId)} AND device_id = ${sqlString(f.deviceId)} AND flow_id = ${sqlString(f.flowId)})`).join(' OR ')})`
    : '';
  const p99 = histogramQuantileSql(0.99, 'u_keys', 'u_cum', 'u_samples');
  const tail = 'limit' in select ? `\nORDER BY ifNull(u_p99, -1) DESC, ${FLOW_KEY.join(', ')}\nLIMIT ${sqlInt(select.limit, 'UInt32')}` : `\nORDER BY ${FLOW_KEY.join(', ')}`;
  return `SELECT ${FLOW_KEY.join(', ')}, u_network_type, u_segment_id, ${BLOCK_OUTPUT.join(', ')}, ${p99} AS u_p99
FROM (
  SELECT *, u_hist.1 AS u_keys, arrayCumSum(u_hist.2) AS u_cum, arraySum(u_hist.2) AS u_samples
  FROM (
    SELECT ${FLOW_KEY.join(', ')}, toString(argMax(network_type, period_start_ns)) AS u_network_type, argMax(segment_id, period_start_ns) AS u_segment_id,
      ${BLOCK_SUMS.join(', ')}
    FROM ${rollupTable(rollup)} FINAL
    WHERE ${scopeWhere(scope)} AND ${periodWhere('period_start_ns', period)}${only}
    GROUP BY ${FLOW_KEY.join(', ')}
  )
)${tail}`;
}

/** The scope's base windows in [period) summed into a ComplianceAggregate (compliance-aggregate.ts). */
export function upgradeProfileAggregateSql(scope: UpgradeScope, period: PeriodNs): string {
  return `SELECT ${COMPLIANCE_OUTPUT_COLUMNS.join(', ')}
FROM (
  SELECT ${complianceAggregateList('windows').join(', ')}
  FROM flow_windows FINAL
  WHERE ${scopeWhere(scope)} AND ${periodWhere('window_start_ns', period)}
)`;
}

export interface WorstFlowKey {
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
}

type Row = Readonly<Record<string, unknown>>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v as string));
const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

function blockOf(row: Row, startNs: bigint): UpgradeBlock & { windows: number } {
  const owdCount = num(row.u_owd_count);
  return {
    startNs,
    windows: num(row.u_windows),
    sentPackets: num(row.u_sent),
    lostPackets: num(row.u_lost),
    owdCount,
    owdMinNs: owdCount > 0 ? nullable(row.u_owd_min) : null,
    owdHistKeys: (row.u_hist_keys as unknown[]).map(num),
    owdHistCounts: (row.u_hist_counts as unknown[]).map(num),
    ipdvCount: num(row.u_ipdv_count),
    ipdvAbsSumNs: num(row.u_ipdv_abs),
    deadlineSentPackets: num(row.u_deadline_sent),
    deadlineMetPackets: num(row.u_met),
    availExpectedNs: num(row.u_expected),
    downtimeNs: num(row.u_downtime),
  };
}

async function buckets(ch: ClickHouse, scope: UpgradeScope, period: PeriodNs, originNs: bigint, bucketNs: bigint, rollup: ChartRollup = '1m') {
  const rows = await ch.query<Row>(upgradeBucketsSql(scope, period, originNs, bucketNs, rollup));
  return rows.map((r) => blockOf(r, originNs + BigInt(String(r.u_bucket)) * bucketNs));
}

/** Bucket bounds of a merged histogram (sumMap of the blocks' histograms), keys ascending. */
export function delayBuckets(blocks: readonly UpgradeBlock[]): DelayBucket[] {
  const m = new Map<number, number>();
  for (const b of blocks) for (let i = 0; i < b.owdHistKeys.length; i++) m.set(b.owdHistKeys[i], (m.get(b.owdHistKeys[i]) ?? 0) + b.owdHistCounts[i]);
  return [...m.keys()].sort((a, b) => a - b).map((key) => ({
    key,
    lowerNs: key === HIST_ZERO_KEY || key === 0 ? 0 : Math.pow(HIST_GAMMA, key - 1),
    upperNs: key === HIST_ZERO_KEY ? 0 : Math.pow(HIST_GAMMA, key),
    valueNs: histogramValue(key),
    count: m.get(key) as number,
  }));
}

function figures(block: UpgradeBlock & { windows: number }): FlowFigures {
  const e = estimateBlocks([block]);
  return { windows: block.windows, sentPackets: block.sentPackets, owdP99Ns: e.owd_p99_ns, pdvP99Ns: e.pdv_p99_ns, lossRatio: e.loss_ratio, availability: e.availability };
}

function checkWorstFlows(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_WORST_FLOWS) {
    throw new IsochronError('UPGRADE_REQUEST_INVALID', `worstFlows must be an integer in [0, ${MAX_WORST_FLOWS}]`, { worstFlows: limit });
  }
}

function periodFlow(r: Row): PeriodFlow {
  return {
    siteId: String(r.site_id), deviceId: String(r.device_id), flowId: String(r.flow_id), networkType: String(r.u_network_type), segmentId: String(r.u_segment_id),
    figures: figures(blockOf(r, 0n)),
  };
}

/** Figures over [period) of the listed flows (those without rows in it are missing from the answer). */
async function flowFigures(ch: ClickHouse, scope: UpgradeScope, period: PeriodNs, flows: readonly WorstFlowKey[], rollup: ChartRollup = '1m'): Promise<PeriodFlow[]> {
  if (flows.length === 0) return [];
  return (await ch.query<Row>(upgradeFlowsSql(scope, period, { flows }, rollup))).map(periodFlow);
}

/**
 * The charts of one period of an enterprise (or one of its sites): the merged delay histogram,
 * one point per UTC hour with data (delay p50/p99, PDV p99, loss, availability) and the
 * `worstFlows` flows with the highest delay p99. Two queries (one when worstFlows is 0), both
 * filtered by enterpriseId. The upgrade validation calls it for each of its periods; the
 * compliance report for its period (whole UTC hours, so from the 1 h rollups).
 */
export async function periodCharts(ch: ClickHouse, scope: UpgradeScope, period: PeriodNs, worstFlows: number, rollup: ChartRollup = '1m'): Promise<PeriodCharts> {
  checkWorstFlows(worstFlows);
  if (typeof period.fromNs !== 'bigint' || typeof period.toNs !== 'bigint' || period.fromNs < 0n || period.fromNs >= period.toNs) {
    throw new IsochronError('UPGRADE_REQUEST_INVALID', 'a chart period needs bigint bounds with 0 <= fromNs < toNs', { fromNs: String(period.fromNs), toNs: String(period.toNs) });
  }
  if (rollup === '1h' && (period.fromNs % HOUR_NS !== 0n || period.toNs % HOUR_NS !== 0n)) {
    throw new IsochronError('UPGRADE_REQUEST_INVALID', 'charts from 1 h rollups need a period of whole UTC hours', { fromNs: period.fromNs.toString(), toNs: period.toNs.toString() });
  }
  const [hours, worst] = await Promise.all([
    buckets(ch, scope, period, 0n, HOUR_NS, rollup),
    worstFlows === 0 ? Promise.resolve([]) : ch.query<Row>(upgradeFlowsSql(scope, period, { limit: worstFlows }, rollup)),
  ]);
  return {
    delayHistogram: delayBuckets(hours),
    series: hours.map((h) => {
      const e = estimateBlocks([h]);
      return { startNs: h.startNs.toString(), windows: h.windows, owdP50Ns: e.owd_p50_ns, owdP99Ns: e.owd_p99_ns, pdvP99Ns: e.pdv_p99_ns, lossRatio: e.loss_ratio, availability: e.availability };
    }),
    worstFlows: worst.map(periodFlow),
  };
}

/**
 * Baseline vs after for an enterprise (or one of its sites): the comparison of every metric, the
 * report's data (periodCharts of each period), and the profile's verdicts. Six to eight queries,
 * all filtered by enterpriseId.
 */
export async function validateUpgrade(ch: ClickHouse, req: UpgradeRequest): Promise<UpgradeValidationResult> {
  checkPeriods(req.baseline, req.after);
  const scope: UpgradeScope = req.siteId === undefined ? { enterpriseId: req.enterpriseId } : { enterpriseId: req.enterpriseId, siteId: req.siteId };
  const limit = req.worstFlows ?? DEFAULT_WORST_FLOWS;
  checkWorstFlows(limit);
  const bNs = blockLengthNs(req.baseline);
  const aNs = blockLengthNs(req.after);
  // The baseline's own worst flows are not listed: the after period's worst, with their baseline figures.
  const [bBlocks, aBlocks, bCharts, aCharts] = await Promise.all([
    buckets(ch, scope, req.baseline, req.baseline.fromNs, bNs),
    buckets(ch, scope, req.after, req.after.fromNs, aNs),
    periodCharts(ch, scope, req.baseline, 0),
    periodCharts(ch, scope, req.after, limit),
  ]);
  const comparison = compareUpgrade(bBlocks, aBlocks, { seed: req.seed, resamples: req.resamples, baselineBlockNs: Number(bNs), afterBlockNs: Number(aNs) });

  const series: SeriesPoint[] = [
    ...bCharts.series.map((p) => ({ period: 'baseline' as const, ...p })),
    ...aCharts.series.map((p) => ({ period: 'after' as const, ...p })),
  ];

  const keyOf = (r: WorstFlowKey) => `${r.siteId}\u0000${r.deviceId}\u0000${r.flowId}`;
  const before = new Map((await flowFigures(ch, scope, req.baseline, aCharts.worstFlows)).map((f) => [keyOf(f), f.figures]));
  const worstFlows: WorstFlow[] = aCharts.worstFlows.map((f) => ({
    siteId: f.siteId, networkType: f.networkType, segmentId: f.segmentId, deviceId: f.deviceId, flowId: f.flowId,
    after: f.figures, baseline: before.get(keyOf(f)) ?? null,
  }));

  let profile: UpgradeValidationResult['profile'] = null;
  if (req.profile) {
    const origin = req.downtimeOrigin ?? null;
    const [b, a] = await Promise.all([
      ch.query<Row>(upgradeProfileAggregateSql(scope, req.baseline)),
      ch.query<Row>(upgradeProfileAggregateSql(scope, req.after)),
    ]);
    profile = { baseline: evaluate(req.profile, complianceAggregateOf(b[0], origin)), after: evaluate(req.profile, complianceAggregateOf(a[0], origin)) };
  }

  const summary = (p: PeriodNs, blockNs: bigint, blocks: readonly (UpgradeBlock & { windows: number })[]): PeriodSummary => ({
    fromNs: p.fromNs.toString(), toNs: p.toNs.toString(), blockNs: blockNs.toString(), blocks: blocks.length,
    windows: blocks.reduce((s, x) => s + x.windows, 0),
  });
  return {
    scope: { enterpriseId: scope.enterpriseId, siteId: scope.siteId ?? null },
    baseline: summary(req.baseline, bNs, bBlocks),
    after: summary(req.after, aNs, aBlocks),
    comparison,
    delayHistogram: { baseline: bCharts.delayHistogram, after: aCharts.delayHistogram },
    series,
    worstFlows,
    profile,
  };
}
