// The one place that maps the engine's rows (camelCase, services/core/engine/window-row.ts)
// onto ClickHouse columns (snake_case, sql/001_flow_windows.sql). A test compares this list
// with DESCRIBE TABLE on the real server, so the three cannot drift apart.
import type { DiscardRow, WindowRow } from '../../core/engine/window-row.ts';

export type ColumnSpec<Row> = readonly [key: keyof Row & string, column: string, type: string];

const IDENTITY = [
  ['enterpriseId', 'enterprise_id', 'String'],
  ['siteId', 'site_id', 'String'],
  ['networkType', 'network_type', "Enum8('unspecified' = 0, '5g' = 1, 'tsn' = 2, 'industrial_ethernet' = 3, 'wifi6' = 4)"],
  ['segmentId', 'segment_id', 'String'],
  ['deviceId', 'device_id', 'String'],
  ['flowId', 'flow_id', 'String'],
] as const;

const U64 = 'UInt64';
const F64 = 'Float64';
const NF64 = 'Nullable(Float64)';

export const WINDOW_COLUMNS: readonly ColumnSpec<WindowRow>[] = [
  ...IDENTITY,
  ['windowStartNs', 'window_start_ns', U64],
  ['windowNs', 'window_ns', U64],
  ['lossWaitNs', 'loss_wait_ns', U64],
  ['seqBits', 'seq_bits', 'UInt8'],
  ['sentPackets', 'sent_packets', U64],
  ['receivedPackets', 'received_packets', U64],
  ['lostPackets', 'lost_packets', 'Int64'],
  ['lossRatio', 'loss_ratio', NF64],
  ['duplicatePackets', 'duplicate_packets', U64],
  ['duplicationFraction', 'duplication_fraction', NF64],
  ['corruptPackets', 'corrupt_packets', U64],
  ['unreceivedReports', 'unreceived_reports', U64],
  ['unsyncedPackets', 'unsynced_packets', U64],
  ['negativeDelayPackets', 'negative_delay_packets', U64],
  ['seqRestarts', 'seq_restarts', U64],
  ['receivedBytes', 'received_bytes', U64],
  ['throughputPacketsPerS', 'throughput_packets_per_s', F64],
  ['throughputBitsPerS', 'throughput_bits_per_s', F64],
  ['owdCount', 'owd_count', U64],
  ['owdMinNs', 'owd_min_ns', NF64],
  ['owdMaxNs', 'owd_max_ns', NF64],
  ['owdSumNs', 'owd_sum_ns', F64],
  ['owdMeanNs', 'owd_mean_ns', NF64],
  ['owdMedianNs', 'owd_median_ns', NF64],
  ['owdP50Ns', 'owd_p50_ns', NF64],
  ['owdP90Ns', 'owd_p90_ns', NF64],
  ['owdP99Ns', 'owd_p99_ns', NF64],
  ['owdP999Ns', 'owd_p999_ns', NF64],
  ['owdP9999Ns', 'owd_p9999_ns', NF64],
  ['owdHistKeys', 'owd_hist_keys', 'Array(Int32)'],
  ['owdHistCounts', 'owd_hist_counts', 'Array(UInt64)'],
  ['jitterRfc3550Ns', 'jitter_rfc3550_ns', NF64],
  ['ipdvCount', 'ipdv_count', U64],
  ['ipdvMinNs', 'ipdv_min_ns', NF64],
  ['ipdvMaxNs', 'ipdv_max_ns', NF64],
  ['ipdvSumNs', 'ipdv_sum_ns', F64],
  ['ipdvAbsSumNs', 'ipdv_abs_sum_ns', F64],
  ['ipdvMeanAbsNs', 'ipdv_mean_abs_ns', NF64],
  ['ipdvAbsP99Ns', 'ipdv_abs_p99_ns', NF64],
  ['dvCount', 'dv_count', U64],
  ['pdvP99Ns', 'pdv_p99_ns', NF64],
  ['pdvP999Ns', 'pdv_p999_ns', NF64],
  ['jitterP95P50Ns', 'jitter_p95_p50_ns', NF64],
  ['reorderedPackets', 'reordered_packets', U64],
  ['reorderedRatio', 'reordered_ratio', NF64],
  ['reorderExtentMax', 'reorder_extent_max', NF64],
  ['reorderExtentSum', 'reorder_extent_sum', U64],
  ['reorderExtentMean', 'reorder_extent_mean', NF64],
  ['reorderExtentCapped', 'reorder_extent_capped', U64],
  ['lossPeriods', 'loss_periods', U64],
  ['lossBurstMaxPackets', 'loss_burst_max_packets', U64],
  ['maxLatencyNs', 'max_latency_ns', NF64],
  ['deadlineMetPackets', 'deadline_met_packets', NF64],
  ['deadlineMissPackets', 'deadline_miss_packets', NF64],
  ['reliability', 'reliability', NF64],
  ['transferIntervalNs', 'transfer_interval_ns', NF64],
  ['survivalTimeNs', 'survival_time_ns', NF64],
  ['availExpectedNs', 'avail_expected_ns', NF64],
  ['downtimeNs', 'downtime_ns', NF64],
  ['upDownTransitions', 'up_down_transitions', NF64],
  ['availability', 'availability', NF64],
  ['mtbfNs', 'mtbf_ns', NF64],
];

export const DISCARD_COLUMNS: readonly ColumnSpec<DiscardRow>[] = [
  ...IDENTITY,
  ['windowStartNs', 'window_start_ns', U64],
  ['reason', 'reason', "Enum8('too_late' = 1, 'bad_sequence' = 2, 'flow_state_full' = 3, 'send_time_in_future' = 4, 'window_full' = 5)"],
  ['count', 'count', U64],
];

const NS_PER_S = 1_000_000_000n;

/** JSONEachRow object for one row; window_start (DateTime, seconds) is derived from window_start_ns. */
function toRecord<Row extends { windowStartNs: bigint }>(row: Row, columns: readonly ColumnSpec<Row>[]): Record<string, unknown> {
  const out: Record<string, unknown> = { window_start: Number(row.windowStartNs / NS_PER_S) };
  for (const [key, column] of columns) out[column] = row[key];
  return out;
}

export const windowRecord = (row: WindowRow) => toRecord(row, WINDOW_COLUMNS);
/** Where a discard came from: the Kafka record whose samples were counted (the dedup key). */
export interface DiscardSource {
  readonly partition: number;
  readonly offset: bigint;
}

export const discardRecord = (row: DiscardRow, source: DiscardSource) => ({
  ...toRecord(row, DISCARD_COLUMNS),
  source_partition: source.partition,
  source_offset: source.offset.toString(),
});
