// Every read query the project sends to ClickHouse, built only from validated literals
// (literal.ts). The portability test runs each of them on the 18.16 server and on a current
// engine (chdb) against the same rows and requires the same answers.
import { HIST_GAMMA, HIST_ZERO_KEY } from '../../core/metrics/histogram.ts';
import { sqlFloat, sqlInt, sqlString } from './literal.ts';

export interface FlowKey {
  readonly enterpriseId: string;
  readonly deviceId: string;
  readonly flowId: string;
}

/** Newest windows first: what `npm start` prints to show windows arriving. */
export function latestWindowsSql(limit: number): string {
  return `SELECT network_type, flow_id, toString(window_start) AS window_start, received_packets, owd_p50_ns, owd_p99_ns
FROM flow_windows FINAL
ORDER BY window_start_ns DESC, enterprise_id, device_id, flow_id
LIMIT ${sqlInt(limit, 'UInt32')}`;
}

/** One window row of one flow (exact values as the worker wrote them). */
export function flowWindowSql(key: FlowKey, windowStartNs: bigint): string {
  return `SELECT * FROM flow_windows FINAL
WHERE enterprise_id = ${sqlString(key.enterpriseId)} AND device_id = ${sqlString(key.deviceId)} AND flow_id = ${sqlString(key.flowId)}
  AND window_start_ns = ${sqlInt(windowStartNs, 'UInt64')}`;
}

/** Additive counts of a flow over a range of windows, with ratios recomputed from the sums. */
export function flowSummarySql(key: FlowKey, fromNs: bigint, toNs: bigint): string {
  return `SELECT count() AS windows, sum(sent_packets) AS sent, sum(received_packets) AS received,
  sum(lost_packets) AS lost, if(sum(sent_packets) = 0, NULL, sum(lost_packets) / sum(sent_packets)) AS loss_ratio,
  min(owd_min_ns) AS owd_min_ns, max(owd_max_ns) AS owd_max_ns,
  if(sum(owd_count) = 0, NULL, sum(owd_sum_ns) / sum(owd_count)) AS owd_mean_ns
FROM flow_windows FINAL
WHERE enterprise_id = ${sqlString(key.enterpriseId)} AND device_id = ${sqlString(key.deviceId)} AND flow_id = ${sqlString(key.flowId)}
  AND window_start_ns >= ${sqlInt(fromNs, 'UInt64')} AND window_start_ns < ${sqlInt(toNs, 'UInt64')}`;
}

/** Delay quantile levels the merged-histogram query returns, with their column names. */
export const MERGED_QUANTILES: readonly (readonly [level: number, column: string])[] = [
  [0.5, 'owd_p50_ns'],
  [0.9, 'owd_p90_ns'],
  [0.99, 'owd_p99_ns'],
  [0.999, 'owd_p999_ns'],
];

/**
 * Delay quantiles over any range of windows of a flow, from the merged histograms (never an
 * average of percentiles). Mirrors services/core/metrics/histogram.ts: buckets merged with
 * sumMap, nearest rank max(1, ceil(q * n - 1e-6)), the first key whose cumulative count
 * reaches it, and its representative value 2 * gamma^k / (1 + gamma) (0 for the zero key),
 * rounded to whole ns.
 */
export function flowDelayQuantilesSql(key: FlowKey, fromNs: bigint, toNs: bigint): string {
  const g = sqlFloat(HIST_GAMMA);
  const zero = sqlInt(HIST_ZERO_KEY, 'Int32');
  const quantile = (level: number) => {
    const idx = `arrayFirstIndex(x -> x >= greatest(1, ceil(${sqlFloat(level)} * samples - 1e-6)), cum)`;
    // Rounded to whole ns: pow() differs in the last bit between server releases.
    return `if(samples = 0, NULL, if(keys[${idx}] = ${zero}, 0, round(2 * pow(${g}, keys[${idx}]) / (1 + ${g}))))`;
  };
  return `SELECT samples, ${MERGED_QUANTILES.map(([level, column]) => `${quantile(level)} AS ${column}`).join(', ')}
FROM (
  SELECT m.1 AS keys, m.2 AS counts, arrayCumSum(counts) AS cum, arraySum(counts) AS samples
  FROM (
    SELECT sumMap(owd_hist_keys, owd_hist_counts) AS m FROM flow_windows FINAL
    WHERE enterprise_id = ${sqlString(key.enterpriseId)} AND device_id = ${sqlString(key.deviceId)} AND flow_id = ${sqlString(key.flowId)}
      AND window_start_ns >= ${sqlInt(fromNs, 'UInt64')} AND window_start_ns < ${sqlInt(toNs, 'UInt64')}
  )
)`;
}
