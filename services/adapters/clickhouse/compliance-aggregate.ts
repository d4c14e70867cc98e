// Sums a set of rollup rows (sql/002_rollups.sql) or base windows (sql/001_flow_windows.sql) into
// the columns of a ComplianceAggregate (services/core/compliance/types.ts, docs/profiles.md "The
// aggregate"), and maps the answer row back. Every column is an exact merge: sums, min of mins,
// max of maxes, histogram buckets added with sumMap, and the range (min, max) of each parameter
// column. The same select list also yields an order-independent fingerprint of the rows it read
// (docs/audit.md "Reproducibility"). Portable: the functions used exist in 18.16 and current
// releases (the compliance integration test runs the query on chdb as well).
import type { ComplianceAggregate, DowntimeOrigin, ParameterRange } from '../../core/compliance/types.ts';
import type { DataFingerprint } from '../../core/compliance/fingerprint.ts';

/** What the rows are: rollup rows (one per flow and period) or base windows (one per flow and window). */
export type AggregateSource = 'rollups' | 'windows';

/** Columns a source subquery must provide (the rollup tables have all of them by name). */
export const ROLLUP_SOURCE_COLUMNS: readonly string[] = [
  'enterprise_id', 'site_id', 'network_type', 'segment_id', 'device_id', 'flow_id', 'period_start_ns',
  'windows', 'sent_packets', 'lost_packets', 'corrupt_packets',
  'owd_count', 'owd_sum_ns', 'owd_min_ns', 'owd_max_ns', 'owd_hist_keys', 'owd_hist_counts',
  'loss_burst_max_packets', 'deadline_sent_packets', 'deadline_met_packets', 'deadline_miss_packets',
  'avail_expected_ns', 'downtime_ns', 'up_down_transitions',
  'max_latency_ns', 'transfer_interval_ns', 'survival_time_ns',
];

/**
 * Aggregate expressions (aliases c_*), for use in a SELECT with or without GROUP BY. The
 * fingerprint hashes each row's identity, period or window start, and the values that change
 * when windows are added (windows, sent, owd_count); sum() of UInt64 wraps modulo 2^64 on every
 * release, so the sum is order-independent and exact.
 */
export function complianceAggregateList(source: AggregateSource): string[] {
  const rollups = source === 'rollups';
  return [
    ...fingerprintList(source),
    'sum(sent_packets) AS c_sent',
    'sum(lost_packets) AS c_lost',
    'sum(corrupt_packets) AS c_corrupt',
    'sum(owd_count) AS c_owd_count',
    'sum(owd_sum_ns) AS c_owd_sum',
    'min(owd_min_ns) AS c_owd_min',
    'max(owd_max_ns) AS c_owd_max',
    'sumMap(owd_hist_keys, owd_hist_counts) AS c_hist',
    'max(loss_burst_max_packets) AS c_burst',
    rollups ? 'sum(deadline_sent_packets) AS c_deadline_sent' : 'sum(if(isNull(deadline_met_packets), 0, sent_packets)) AS c_deadline_sent',
    'ifNull(sum(deadline_met_packets), 0) AS c_met',
    'ifNull(sum(deadline_miss_packets), 0) AS c_miss',
    'ifNull(sum(avail_expected_ns), 0) AS c_expected',
    'ifNull(sum(downtime_ns), 0) AS c_downtime',
    'ifNull(sum(up_down_transitions), 0) AS c_transitions',
    'min(max_latency_ns) AS c_lmax_min',
    'max(max_latency_ns) AS c_lmax_max',
    'min(transfer_interval_ns) AS c_t_min',
    'max(transfer_interval_ns) AS c_t_max',
    'min(survival_time_ns) AS c_s_min',
    'max(survival_time_ns) AS c_s_max',
  ];
}

/** The fingerprint aggregates alone (c_rows, c_windows, c_fp_hash), as in complianceAggregateList. */
export function fingerprintList(source: AggregateSource): string[] {
  const rollups = source === 'rollups';
  const start = rollups ? 'period_start_ns' : 'window_start_ns';
  const windows = rollups ? 'windows' : 'toUInt64(1)';
  return [
    'count() AS c_rows',
    `sum(${windows}) AS c_windows`,
    `sum(cityHash64(enterprise_id, site_id, toString(network_type), segment_id, device_id, flow_id, ${start}, ${windows}, sent_packets, owd_count)) AS c_fp_hash`,
  ];
}

/**
 * Output expressions over a subquery that selected complianceAggregateList: the histogram as two
 * arrays (a tuple's JSON differs between releases), everything else by name.
 */
export const COMPLIANCE_OUTPUT_COLUMNS: readonly string[] = [
  // The 64-bit hash as text: some releases write UInt64 as a JSON number, which loses digits.
  'c_rows', 'c_windows', 'toString(c_fp_hash) AS c_fp', 'c_sent', 'c_lost', 'c_corrupt', 'c_owd_count', 'c_owd_sum', 'c_owd_min', 'c_owd_max',
  'c_hist.1 AS c_hist_keys', 'c_hist.2 AS c_hist_counts',
  'c_burst', 'c_deadline_sent', 'c_met', 'c_miss', 'c_expected', 'c_downtime', 'c_transitions',
  'c_lmax_min', 'c_lmax_max', 'c_t_min', 'c_t_max', 'c_s_min', 'c_s_max',
];

/** An answer row (JSONEachRow: 64-bit integers may arrive as strings). */
export type ComplianceAggregateRow = Readonly<Record<string, unknown>>;

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  throw new TypeError(`expected a number, got ${JSON.stringify(v)}`);
}

function nullableNum(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

function range(lo: unknown, hi: unknown): ParameterRange | null {
  const a = nullableNum(lo);
  const b = nullableNum(hi);
  return a === null || b === null ? null : { minNs: a, maxNs: b };
}

/**
 * The aggregate of one answer row. Parameter ranges are (min, max) of the stored per-row values;
 * rollups keep only each period's maximum, so over rollups the minimum is the smallest hourly or
 * daily maximum (docs/audit.md "Parameters").
 */
export function complianceAggregateOf(row: ComplianceAggregateRow, downtimeOrigin: DowntimeOrigin | null): ComplianceAggregate {
  const keys = (row.c_hist_keys as unknown[] | undefined) ?? [];
  const counts = (row.c_hist_counts as unknown[] | undefined) ?? [];
  const owdCount = num(row.c_owd_count);
  return {
    windows: num(row.c_windows),
    sentPackets: num(row.c_sent),
    lostPackets: num(row.c_lost),
    corruptPackets: num(row.c_corrupt),
    owdCount,
    owdSumNs: num(row.c_owd_sum),
    owdMinNs: owdCount > 0 ? nullableNum(row.c_owd_min) : null,
    owdMaxNs: owdCount > 0 ? nullableNum(row.c_owd_max) : null,
    owdHistKeys: keys.map(num),
    owdHistCounts: counts.map(num),
    lossBurstMaxPackets: num(row.c_burst),
    deadlineSentPackets: num(row.c_deadline_sent),
    deadlineMetPackets: num(row.c_met),
    deadlineMissPackets: num(row.c_miss),
    availExpectedNs: num(row.c_expected),
    downtimeNs: num(row.c_downtime),
    upDownTransitions: num(row.c_transitions),
    maxLatencyNs: range(row.c_lmax_min, row.c_lmax_max),
    transferIntervalNs: range(row.c_t_min, row.c_t_max),
    survivalTimeNs: range(row.c_s_min, row.c_s_max),
    downtimeOrigin,
  };
}

/** The fingerprint of the rows behind one answer row. */
export function fingerprintOf(row: ComplianceAggregateRow): DataFingerprint {
  return { rows: BigInt(String(row.c_rows)), windows: BigInt(String(row.c_windows)), hash: BigInt(String(row.c_fp)) };
}
