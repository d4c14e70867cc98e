// The one place that says how every rollup column (sql/002_rollups.sql) is computed: from the
// base windows (flow_windows) for the 1 min table, and from the next finer rollup table for the
// 1 h and 1 d tables. Both forms give the same row, because every column is either an exact
// merge (sum, min, max, histogram buckets added with sumMap, the last sampled value), or is
// derived afterwards from merged columns (ratios from sums, quantiles from the merged histogram).
// docs/rollups.md explains each column; a test compares this list with DESCRIBE TABLE.
import { HIST_GAMMA, HIST_ZERO_KEY } from '../../core/metrics/histogram.ts';
import { sqlFloat, sqlInt } from './literal.ts';

export type RollupPeriod = '1m' | '1h' | '1d';

export interface RollupLevel {
  readonly period: RollupPeriod;
  readonly table: string;
  readonly periodNs: bigint;
  /** Where the level is computed from: the base windows, or the next finer rollup (read with FINAL). */
  readonly source: 'flow_windows' | 'flow_rollups_1m' | 'flow_rollups_1h';
}

const NS_PER_S = 1_000_000_000n;

/** Finest first: refresh and rebuild run the levels in this order. */
export const ROLLUP_LEVELS: readonly RollupLevel[] = [
  { period: '1m', table: 'flow_rollups_1m', periodNs: 60n * NS_PER_S, source: 'flow_windows' },
  { period: '1h', table: 'flow_rollups_1h', periodNs: 3_600n * NS_PER_S, source: 'flow_rollups_1m' },
  { period: '1d', table: 'flow_rollups_1d', periodNs: 86_400n * NS_PER_S, source: 'flow_rollups_1h' },
];

export function rollupLevel(period: RollupPeriod): RollupLevel {
  const level = ROLLUP_LEVELS.find((l) => l.period === period);
  if (!level) throw new Error(`unknown rollup period ${String(period)}`);
  return level;
}

const U64 = 'UInt64';
const F64 = 'Float64';
const NF64 = 'Nullable(Float64)';
const NETWORK_TYPE = "Enum8('unspecified' = 0, '5g' = 1, 'tsn' = 2, 'industrial_ethernet' = 3, 'wifi6' = 4)";

export const IDENTITY_COLUMNS = ['enterprise_id', 'site_id', 'network_type', 'segment_id', 'device_id', 'flow_id'] as const;

/**
 * A merged column: its aggregate over the base windows and over rows of a finer rollup. The
 * aggregates are named a_<column> inside the statement (never the column's own name, so an
 * alias can never shadow a source column).
 */
interface Merged {
  readonly kind: 'merged';
  readonly column: string;
  readonly type: string;
  readonly fromWindows: string;
  readonly fromRollups: string;
}
/** A column computed from the merged ones (a_<name>) after aggregation. */
interface Derived {
  readonly kind: 'derived';
  readonly column: string;
  readonly type: string;
  readonly expr: string;
}
interface Key {
  readonly kind: 'key';
  readonly column: string;
  readonly type: string;
}
export type RollupColumn = Key | Merged | Derived;

const key = (column: string, type: string): Key => ({ kind: 'key', column, type });
const same = (fn: 'sum' | 'min' | 'max', column: string, type: string): Merged => ({
  kind: 'merged', column, type, fromWindows: `${fn}(${column})`, fromRollups: `${fn}(${column})`,
});
const merged = (column: string, type: string, fromWindows: string, fromRollups: string): Merged => ({ kind: 'merged', column, type, fromWindows, fromRollups });
const derived = (column: string, type: string, expr: string): Derived => ({ kind: 'derived', column, type, expr });
/** num / den, NULL when den is 0 (den is a non-null count). */
const ratio = (num: string, den: string) => `if(a_${den} = 0, NULL, a_${num} / a_${den})`;

/** Delay quantile levels stored in every rollup row. */
export const ROLLUP_QUANTILES: readonly (readonly [level: number, column: string])[] = [
  [0.5, 'owd_p50_ns'],
  [0.9, 'owd_p90_ns'],
  [0.99, 'owd_p99_ns'],
  [0.999, 'owd_p999_ns'],
  [0.9999, 'owd_p9999_ns'],
];

/**
 * Nearest-rank quantile of a merged sparse histogram, the same rule as flowDelayQuantilesSql
 * (queries.ts) and histogramQuantile (core/metrics/histogram.ts): rank max(1, ceil(q*n - 1e-6)),
 * the first key whose cumulative count reaches it, its value 2 * gamma^k / (1 + gamma), 0 for
 * the zero key, NULL for an empty histogram. One difference: the value is rounded to whole
 * nanoseconds. pow() differs in the last bit between the libm of 18.16 and of current releases
 * (measured: key 1397 gives 1161361.8424455011 on one and 1161361.842445501 on the other), and a
 * stored rollup must not depend on the engine that computed it. Rounding changes the value by at
 * most 0.5 ns (the bucket itself is 1 % wide) and agrees on both engines for every key below 3164
 * (delays under 15 hours; checked over all keys).
 */
export function histogramQuantileSql(level: number, keys: string, cum: string, samples: string): string {
  const g = sqlFloat(HIST_GAMMA);
  const zero = sqlInt(HIST_ZERO_KEY, 'Int32');
  const idx = `arrayFirstIndex(x -> x >= greatest(1, ceil(${sqlFloat(level)} * ${samples} - 1e-6)), ${cum})`;
  return `if(${samples} = 0, NULL, if(${keys}[${idx}] = ${zero}, 0, round(2 * pow(${g}, ${keys}[${idx}]) / (1 + ${g}))))`;
}

// Columns in table order. Identity and period are the key; `windows` is the version.
export const ROLLUP_COLUMNS: readonly RollupColumn[] = [
  key('enterprise_id', 'String'),
  key('site_id', 'String'),
  key('network_type', NETWORK_TYPE),
  key('segment_id', 'String'),
  key('device_id', 'String'),
  key('flow_id', 'String'),
  key('period_start', 'DateTime'),
  key('period_start_ns', U64),
  merged('windows', U64, 'count()', 'sum(windows)'),
  merged('covered_ns', U64, 'sum(window_ns)', 'sum(covered_ns)'),
  merged('first_window_start_ns', U64, 'min(window_start_ns)', 'min(first_window_start_ns)'),
  merged('last_window_start_ns', U64, 'max(window_start_ns)', 'max(last_window_start_ns)'),
  same('max', 'loss_wait_ns', U64),
  same('sum', 'sent_packets', U64),
  same('sum', 'received_packets', U64),
  same('sum', 'lost_packets', 'Int64'),
  derived('loss_ratio', NF64, ratio('lost_packets', 'sent_packets')),
  same('sum', 'duplicate_packets', U64),
  derived('duplication_fraction', NF64, ratio('duplicate_packets', 'received_packets')),
  same('sum', 'corrupt_packets', U64),
  same('sum', 'unreceived_reports', U64),
  same('sum', 'unsynced_packets', U64),
  same('sum', 'negative_delay_packets', U64),
  same('sum', 'seq_restarts', U64),
  same('sum', 'received_bytes', U64),
  same('sum', 'owd_count', U64),
  same('min', 'owd_min_ns', NF64),
  same('max', 'owd_max_ns', NF64),
  same('sum', 'owd_sum_ns', F64),
  derived('owd_mean_ns', NF64, ratio('owd_sum_ns', 'owd_count')),
  ...ROLLUP_QUANTILES.map(([level, column]) => derived(column, NF64, histogramQuantileSql(level, 'h_keys', 'h_cum', 'h_samples'))),
  derived('owd_hist_keys', 'Array(Int32)', 'h_keys'),
  derived('owd_hist_counts', 'Array(UInt64)', 'h_counts'),
  // RFC 3550 §6.4.1 jitter is an EWMA sampled at report time, not mergeable: the rollup keeps
  // the last sample of the period (latest window that has one).
  merged('jitter_rfc3550_ns', NF64, 'argMax(jitter_rfc3550_ns, window_start_ns)', 'argMax(jitter_rfc3550_ns, last_window_start_ns)'),
  same('sum', 'ipdv_count', U64),
  same('min', 'ipdv_min_ns', NF64),
  same('max', 'ipdv_max_ns', NF64),
  same('sum', 'ipdv_sum_ns', F64),
  same('sum', 'ipdv_abs_sum_ns', F64),
  derived('ipdv_mean_abs_ns', NF64, ratio('ipdv_abs_sum_ns', 'ipdv_count')),
  same('sum', 'reordered_packets', U64),
  derived('reordered_ratio', NF64, ratio('reordered_packets', 'received_packets')),
  same('max', 'reorder_extent_max', NF64),
  same('sum', 'reorder_extent_sum', U64),
  derived('reorder_extent_mean', NF64, ratio('reorder_extent_sum', 'reordered_packets')),
  same('sum', 'reorder_extent_capped', U64),
  same('sum', 'loss_periods', U64),
  same('max', 'loss_burst_max_packets', U64),
  same('max', 'max_latency_ns', NF64),
  same('sum', 'deadline_met_packets', NF64),
  same('sum', 'deadline_miss_packets', NF64),
  // Reliability (TS 22.261 §3.1) = met / sent, over the windows that had a deadline only.
  merged('deadline_sent_packets', U64, 'sum(if(isNull(deadline_met_packets), 0, sent_packets))', 'sum(deadline_sent_packets)'),
  derived('reliability', NF64, ratio('deadline_met_packets', 'deadline_sent_packets')),
  same('max', 'transfer_interval_ns', NF64),
  same('max', 'survival_time_ns', NF64),
  same('sum', 'avail_expected_ns', NF64),
  same('sum', 'downtime_ns', NF64),
  same('sum', 'up_down_transitions', NF64),
  // TS 22.261 §3.1 availability = uptime / expected time; MTBF = uptime / up->down transitions.
  derived('availability', NF64, 'if(ifNull(a_avail_expected_ns, 0) > 0, greatest(0., least(1., 1 - a_downtime_ns / a_avail_expected_ns)), NULL)'),
  derived('mtbf_ns', NF64, 'if(ifNull(a_up_down_transitions, 0) > 0, (a_avail_expected_ns - a_downtime_ns) / a_up_down_transitions, NULL)'),
];

/** The SELECT list of the aggregation over `source` (identity, period, a_* and the merged histogram). */
export function aggregateList(level: RollupLevel): string {
  const fromWindows = level.source === 'flow_windows';
  const startNs = fromWindows ? 'window_start_ns' : 'period_start_ns';
  const p = sqlInt(level.periodNs, 'UInt64');
  const parts: string[] = [...IDENTITY_COLUMNS, `intDiv(${startNs}, ${p}) * ${p} AS p_ns`];
  for (const c of ROLLUP_COLUMNS) {
    if (c.kind === 'merged') parts.push(`${fromWindows ? c.fromWindows : c.fromRollups} AS a_${c.column}`);
  }
  parts.push('sumMap(owd_hist_keys, owd_hist_counts) AS a_hist');
  return parts.join(',\n  ');
}

/** The SELECT list that turns one aggregated row (with h_keys, h_counts, h_cum, h_samples) into a rollup row. */
export function outputList(): string {
  return ROLLUP_COLUMNS.map((c) => {
    if (c.kind === 'key') {
      if (c.column === 'period_start') return 'toDateTime(intDiv(p_ns, 1000000000)) AS period_start';
      if (c.column === 'period_start_ns') return 'p_ns AS period_start_ns';
      return c.column;
    }
    if (c.kind === 'merged') return `a_${c.column} AS ${c.column}`;
    return `${c.expr} AS ${c.column}`;
  }).join(',\n  ');
}
