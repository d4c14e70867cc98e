// Read queries over the rollup tables (sql/002_rollups.sql), built only from validated literals
// (literal.ts). Rows are merged the way docs/rollups.md says: counts and times summed, ratios
// recomputed from the sums, min of mins and max of maxes, delay quantiles taken from the merged
// histograms (never an average of percentiles), availability and MTBF from summed uptime,
// expected time and transitions. Every rollup table is read with FINAL.
import { sqlEnum, sqlIdentifier, sqlInt, sqlString } from './literal.ts';
import type { FlowKey } from './queries.ts';
import { histogramQuantileSql, rollupLevel, ROLLUP_QUANTILES, type RollupPeriod } from './rollup-columns.ts';
import { NETWORK_TYPES, type NetworkType } from '../../core/wire/batch.ts';

export interface SegmentKey {
  readonly enterpriseId: string;
  readonly networkType: NetworkType;
  readonly segmentId: string;
}

/** Aggregates over rollup rows (a_*), then the values derived from them. */
const MERGED = [
  'count() AS a_rollup_rows',
  'sum(windows) AS a_windows',
  'sum(covered_ns) AS a_covered_ns',
  'sum(sent_packets) AS a_sent',
  'sum(received_packets) AS a_received',
  'sum(lost_packets) AS a_lost',
  'sum(duplicate_packets) AS a_duplicates',
  'sum(owd_count) AS a_owd_count',
  'min(owd_min_ns) AS a_owd_min',
  'max(owd_max_ns) AS a_owd_max',
  'sum(owd_sum_ns) AS a_owd_sum',
  'sum(deadline_met_packets) AS a_met',
  'sum(deadline_miss_packets) AS a_miss',
  'sum(deadline_sent_packets) AS a_deadline_sent',
  'sum(avail_expected_ns) AS a_expected',
  'sum(downtime_ns) AS a_downtime',
  'sum(up_down_transitions) AS a_transitions',
  'sumMap(owd_hist_keys, owd_hist_counts) AS a_hist',
];

const OUTPUT = [
  'a_rollup_rows AS rollup_rows',
  'a_windows AS windows',
  'a_covered_ns AS covered_ns',
  'a_sent AS sent_packets',
  'a_received AS received_packets',
  'a_lost AS lost_packets',
  'if(a_sent = 0, NULL, a_lost / a_sent) AS loss_ratio',
  'a_duplicates AS duplicate_packets',
  'a_owd_count AS owd_count',
  'a_owd_min AS owd_min_ns',
  'a_owd_max AS owd_max_ns',
  'if(a_owd_count = 0, NULL, a_owd_sum / a_owd_count) AS owd_mean_ns',
  ...ROLLUP_QUANTILES.map(([level, column]) => `${histogramQuantileSql(level, 'h_keys', 'h_cum', 'h_samples')} AS ${column}`),
  'a_met AS deadline_met_packets',
  'a_miss AS deadline_miss_packets',
  'if(a_deadline_sent = 0, NULL, a_met / a_deadline_sent) AS reliability',
  'a_expected AS avail_expected_ns',
  'a_downtime AS downtime_ns',
  'a_transitions AS up_down_transitions',
  'if(ifNull(a_expected, 0) > 0, greatest(0., least(1., 1 - a_downtime / a_expected)), NULL) AS availability',
  'if(ifNull(a_transitions, 0) > 0, (a_expected - a_downtime) / a_transitions, NULL) AS mtbf_ns',
];

interface Shape {
  readonly period: RollupPeriod;
  readonly where: string;
  readonly fromNs: bigint;
  readonly toNs: bigint;
  /** One output row per period start instead of one for the whole range. */
  readonly series: boolean;
  readonly extraMerged?: readonly string[];
  readonly extraOutput?: readonly string[];
}

function rollupSelect(s: Shape): string {
  const table = sqlIdentifier(rollupLevel(s.period).table);
  const merged = [...(s.series ? ['period_start_ns AS p_ns'] : []), ...MERGED, ...(s.extraMerged ?? [])];
  const output = [...(s.series ? ['p_ns AS period_start_ns'] : []), ...OUTPUT, ...(s.extraOutput ?? [])];
  return `SELECT ${output.join(',\n  ')}
FROM (
  SELECT *, a_hist.1 AS h_keys, arrayCumSum(a_hist.2) AS h_cum, arraySum(a_hist.2) AS h_samples
  FROM (
    SELECT ${merged.join(', ')}
    FROM ${table} FINAL
    WHERE ${s.where}
      AND period_start_ns >= ${sqlInt(s.fromNs, 'UInt64')} AND period_start_ns < ${sqlInt(s.toNs, 'UInt64')}${s.series ? '\n    GROUP BY p_ns' : ''}
  )
)${s.series ? '\nORDER BY period_start_ns' : ''}`;
}

const flowWhere = (key: FlowKey) =>
  `enterprise_id = ${sqlString(key.enterpriseId)} AND device_id = ${sqlString(key.deviceId)} AND flow_id = ${sqlString(key.flowId)}`;

// RFC 3550 jitter is not mergeable: a flow's summary reports the last sample in the range.
const FLOW_JITTER_MERGED = ['argMax(jitter_rfc3550_ns, last_window_start_ns) AS a_jitter'];
const FLOW_JITTER_OUTPUT = ['a_jitter AS jitter_rfc3550_ns'];

/**
 * One flow's summary over the rollup rows whose period starts in [fromNs, toNs) (a flow that
 * moved between segments or sites during the range is summed over all of them).
 */
export function flowRollupSummarySql(period: RollupPeriod, key: FlowKey, fromNs: bigint, toNs: bigint): string {
  return rollupSelect({ period, where: flowWhere(key), fromNs, toNs, series: false, extraMerged: FLOW_JITTER_MERGED, extraOutput: FLOW_JITTER_OUTPUT });
}

/** One flow, one row per period start in [fromNs, toNs): the series a dashboard plots. */
export function flowRollupSeriesSql(period: RollupPeriod, key: FlowKey, fromNs: bigint, toNs: bigint): string {
  return rollupSelect({ period, where: flowWhere(key), fromNs, toNs, series: true, extraMerged: FLOW_JITTER_MERGED, extraOutput: FLOW_JITTER_OUTPUT });
}

/**
 * Every flow of a network segment (a 5G cell, a TSN domain, ...) together, periods starting in
 * [fromNs, toNs). Availability is uptime over expected time summed over the flows (flow-time
 * weighted); there is no segment jitter (RFC 3550 jitter belongs to one flow).
 */
export function segmentRollupSummarySql(period: RollupPeriod, segment: SegmentKey, fromNs: bigint, toNs: bigint): string {
  const where = `enterprise_id = ${sqlString(segment.enterpriseId)} AND network_type = ${sqlEnum<NetworkType>(segment.networkType, NETWORK_TYPES)} AND segment_id = ${sqlString(segment.segmentId)}`;
  return rollupSelect({
    period, where, fromNs, toNs, series: false,
    extraMerged: ['uniqExact(site_id, device_id, flow_id) AS a_flows'],
    extraOutput: ['a_flows AS flows'],
  });
}

/** Newest rollup rows first, with their stored summary values: what a dashboard table shows. */
export function latestRollupsSql(period: RollupPeriod, limit: number): string {
  return `SELECT enterprise_id, network_type, segment_id, device_id, flow_id, period_start_ns, windows, sent_packets, loss_ratio,
  owd_p50_ns, owd_p99_ns, owd_p999_ns, jitter_rfc3550_ns, reliability, availability, mtbf_ns
FROM ${sqlIdentifier(rollupLevel(period).table)} FINAL
ORDER BY period_start_ns DESC, enterprise_id, site_id, network_type, segment_id, device_id, flow_id
LIMIT ${sqlInt(limit, 'UInt32')}`;
}
