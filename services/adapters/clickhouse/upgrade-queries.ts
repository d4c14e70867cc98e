// Upgrade validation over ClickHouse: reads the scope's 1 min rollups (FINAL) into blocks for
// the bootstrap (services/core/upgrade), the merged delay histograms, an hourly series and the
// worst flows for the report, and the requirement profile's verdict over the base windows.
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

/** One hour of one period (UTC hours; minutes outside the period are not in it). */
export interface SeriesPoint {
  readonly period: 'baseline' | 'after';
  readonly startNs: string;
  readonly windows: number;
  readonly owdP50Ns: number | null;
  readonly owdP99Ns: number | null;
  readonly pdvP99Ns: number | null;
  readonly lossRatio: number | null;
  readonly availability: number | null;
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
export function upgradeBucketsSql(scope: UpgradeScope, period: PeriodNs, originNs: bigint, bucketNs: bigint): string {
  const origin = sqlInt(originNs, 'UInt64');
  const bucket = sqlInt(bucketNs, 'UInt64');
  return `SELECT u_bucket, ${BLOCK_OUTPUT.join(', ')}
FROM (
  SELECT intDiv(period_start_ns - ${origin}, ${bucket}) AS u_bucket, ${BLOCK_SUMS.join(', ')}
  FROM flow_rollups_1m FINAL
  WHERE ${scopeWhere(scope)} AND ${periodWhere('period_start_ns', period)}
  GROUP BY u_bucket
)
ORDER BY u_bucket`;
}

const FLOW_KEY = ['site_id', 'device_id', 'flow_id'];

/** Per flow (site, device, flow) in [period); the `limit` flows with the highest p99 first, or only the listed flows. */
export function upgradeFlowsSql(scope: UpgradeScope, period: PeriodNs, select: { readonly limit: number } | { readonly flows: readonly WorstFlowKey[] }): string {
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
    FROM flow_rollups_1m FINAL
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

async function buckets(ch: ClickHouse, scope: UpgradeScope, period: PeriodNs, originNs: bigint, bucketNs: bigint) {
  const rows = await ch.query<Row>(upgradeBucketsSql(scope, period, originNs, bucketNs));
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

/**
 * Baseline vs after for an enterprise (or one of its sites): the comparison of every metric, the
 * report's data, and the profile's verdicts. Six to eight queries, all filtered by enterpriseId.
 */
export async function validateUpgrade(ch: ClickHouse, req: UpgradeRequest): Promise<UpgradeValidationResult> {
  checkPeriods(req.baseline, req.after);
  const scope: UpgradeScope = req.siteId === undefined ? { enterpriseId: req.enterpriseId } : { enterpriseId: req.enterpriseId, siteId: req.siteId };
  const limit = req.worstFlows ?? DEFAULT_WORST_FLOWS;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_WORST_FLOWS) {
    throw new IsochronError('UPGRADE_REQUEST_INVALID', `worstFlows must be an integer in [0, ${MAX_WORST_FLOWS}]`, { worstFlows: limit });
  }
  const bNs = blockLengthNs(req.baseline);
  const aNs = blockLengthNs(req.after);
  const [bBlocks, aBlocks, bHours, aHours] = await Promise.all([
    buckets(ch, scope, req.baseline, req.baseline.fromNs, bNs),
    buckets(ch, scope, req.after, req.after.fromNs, aNs),
    buckets(ch, scope, req.baseline, 0n, HOUR_NS),
    buckets(ch, scope, req.after, 0n, HOUR_NS),
  ]);
  const comparison = compareUpgrade(bBlocks, aBlocks, { seed: req.seed, resamples: req.resamples, baselineBlockNs: Number(bNs), afterBlockNs: Number(aNs) });

  const series: SeriesPoint[] = [];
  for (const [period, hours] of [['baseline', bHours], ['after', aHours]] as const) {
    for (const h of hours) {
      const e = estimateBlocks([h]);
      series.push({
        period, startNs: h.startNs.toString(), windows: h.windows, owdP50Ns: e.owd_p50_ns, owdP99Ns: e.owd_p99_ns,
        pdvP99Ns: e.pdv_p99_ns, lossRatio: e.loss_ratio, availability: e.availability,
      });
    }
  }

  let worstFlows: WorstFlow[] = [];
  if (limit > 0) {
    const worst = await ch.query<Row>(upgradeFlowsSql(scope, req.after, { limit }));
    const keyOf = (r: Row) => `${String(r.site_id)}\u0000${String(r.device_id)}\u0000${String(r.flow_id)}`;
    const before = new Map<string, FlowFigures>();
    if (worst.length > 0) {
      const flows = worst.map((r) => ({ siteId: String(r.site_id), deviceId: String(r.device_id), flowId: String(r.flow_id) }));
      for (const r of await ch.query<Row>(upgradeFlowsSql(scope, req.baseline, { flows }))) before.set(keyOf(r), figures(blockOf(r, 0n)));
    }
    worstFlows = worst.map((r) => ({
      siteId: String(r.site_id), networkType: String(r.u_network_type), segmentId: String(r.u_segment_id), deviceId: String(r.device_id), flowId: String(r.flow_id),
      after: figures(blockOf(r, 0n)), baseline: before.get(keyOf(r)) ?? null,
    }));
  }

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
    delayHistogram: { baseline: delayBuckets(bBlocks), after: delayBuckets(aBlocks) },
    series,
    worstFlows,
    profile,
  };
}
