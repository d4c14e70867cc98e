// SQL fragments the dashboards share. Portable subset (ARCHITECTURE.md): the queries run on
// ClickHouse 18.16 and current releases, so time buckets use $__interval_s with intDiv rather
// than $__timeInterval (toStartOfInterval does not exist in 18.16), and tables are read with
// FINAL (ReplacingMergeTree: a re-emitted window counts once).
import { HIST_GAMMA, HIST_ZERO_KEY } from '../../services/core/metrics/histogram.ts';
import { sqlFloat, sqlInt } from '../../services/adapters/clickhouse/literal.ts';

/** Start of the dashboard's time bucket ($__interval_s wide) that `column` (DateTime) falls in. */
export const timeBucket = (column: string, minSeconds = 1) => {
  const width = minSeconds > 1 ? `greatest($__interval_s, ${sqlInt(minSeconds, 'UInt32')})` : '$__interval_s';
  return `toDateTime(intDiv(toUInt32(${column}), ${width}) * ${width})`;
};

/**
 * Delay quantile from merged histogram buckets, as services/adapters/clickhouse/queries.ts
 * (flowDelayQuantilesSql) and services/core/metrics/histogram.ts compute it: nearest rank
 * max(1, ceil(q * n - 1e-6)), the first key whose cumulative count reaches it, its
 * representative value 2 * gamma^k / (1 + gamma) (0 for the zero key), rounded to whole ns.
 * Expects columns `keys` (sorted, from sumMap), `cum` (arrayCumSum of the counts) and `samples`.
 */
export function mergedQuantile(level: number): string {
  const g = sqlFloat(HIST_GAMMA);
  const idx = `arrayFirstIndex(x -> x >= greatest(1, ceil(${sqlFloat(level)} * samples - 1e-6)), cum)`;
  return `if(samples = 0, NULL, if(keys[${idx}] = ${sqlInt(HIST_ZERO_KEY, 'Int32')}, 0, round(2 * pow(${g}, keys[${idx}]) / (1 + ${g}))))`;
}

/** The columns mergedQuantile needs, from a subquery that has `m = sumMap(owd_hist_keys, owd_hist_counts)`. */
export const MERGED_HIST_COLUMNS = 'm.1 AS keys, m.2 AS counts, arrayCumSum(counts) AS cum, arraySum(counts) AS samples';

export const QUANTILES: readonly (readonly [level: number, column: string])[] = [
  [0.5, 'p50_ns'],
  [0.9, 'p90_ns'],
  [0.99, 'p99_ns'],
  [0.999, 'p999_ns'],
];

/**
 * Coarse delay bins for the heatmap: four per decade, labelled by their upper bound in ns
 * (the histogram has about 115 keys per decade, too fine to draw). A key's bin is taken from
 * its representative value; the zero key is its own bin, 0.
 */
export function heatmapBin(keyColumn: string): string {
  const g = sqlFloat(HIST_GAMMA);
  const value = `(2 * pow(${g}, ${keyColumn}) / (1 + ${g}))`;
  return `if(${keyColumn} = ${sqlInt(HIST_ZERO_KEY, 'Int32')}, 0, round(pow(10, (floor(4 * log10(${value})) + 1) / 4)))`;
}

/** Ratio of two sums, NULL when the denominator is 0 (no data is not a perfect score). */
export const ratio = (num: string, den: string) => `if((${den}) = 0, NULL, (${num}) / (${den}))`;

/**
 * Share of packets not delivered within the flow's deadline (1 - TS 22.261 reliability), over
 * the packets of windows that had a deadline (maximum latency). Rollup rows carry that count
 * as deadline_sent_packets.
 */
export const UNRELIABILITY = ratio('sumIf(sent_packets, deadline_met_packets IS NOT NULL) - sum(deadline_met_packets)', 'sumIf(sent_packets, deadline_met_packets IS NOT NULL)');
export const ROLLUP_UNRELIABILITY = ratio('sum(deadline_sent_packets) - sum(deadline_met_packets)', 'sum(deadline_sent_packets)');
export const LOSS_RATIO = ratio('sum(lost_packets)', 'sum(sent_packets)');
/** Rolled up as 1 - sum(downtime) / sum(expected) (docs/metrics.md section 8). */
export const AVAILABILITY = ratio('sum(avail_expected_ns) - sum(downtime_ns)', 'sum(avail_expected_ns)');

/** Dashboard filters on flow identity; each is dropped when its variable is "All". */
export const conditional = (column: string, variable: string) => `$__conditionalAll(${column} IN (\${${variable}:singlequote}), $${variable})`;
