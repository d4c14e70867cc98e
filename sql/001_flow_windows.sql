-- Base windows: one row per (flow identity, window start), written by the worker.
-- Re-emitted rows (a worker restarted from committed offsets recomputes the same windows)
-- are byte-identical and share the sorting key, so ReplacingMergeTree keeps one of them;
-- queries read with FINAL (or argMax) so a re-emitted window is never counted twice.
-- Column meanings, units and formulas: docs/metrics.md. Portable subset (ARCHITECTURE.md):
-- no LowCardinality, no DateTime64, no Map, no TTL, no CODEC.
CREATE TABLE IF NOT EXISTS flow_windows
(
    enterprise_id String,
    site_id String,
    network_type Enum8('unspecified' = 0, '5g' = 1, 'tsn' = 2, 'industrial_ethernet' = 3, 'wifi6' = 4),
    segment_id String,
    device_id String,
    flow_id String,
    window_start DateTime,
    window_start_ns UInt64,
    window_ns UInt64,
    loss_wait_ns UInt64,
    seq_bits UInt8,
    sent_packets UInt64,
    received_packets UInt64,
    lost_packets Int64,
    loss_ratio Nullable(Float64),
    duplicate_packets UInt64,
    duplication_fraction Nullable(Float64),
    corrupt_packets UInt64,
    unreceived_reports UInt64,
    unsynced_packets UInt64,
    negative_delay_packets UInt64,
    seq_restarts UInt64,
    received_bytes UInt64,
    throughput_packets_per_s Float64,
    throughput_bits_per_s Float64,
    owd_count UInt64,
    owd_min_ns Nullable(Float64),
    owd_max_ns Nullable(Float64),
    owd_sum_ns Float64,
    owd_mean_ns Nullable(Float64),
    owd_median_ns Nullable(Float64),
    owd_p50_ns Nullable(Float64),
    owd_p90_ns Nullable(Float64),
    owd_p99_ns Nullable(Float64),
    owd_p999_ns Nullable(Float64),
    owd_p9999_ns Nullable(Float64),
    owd_hist_keys Array(Int32),
    owd_hist_counts Array(UInt64),
    jitter_rfc3550_ns Nullable(Float64),
    ipdv_count UInt64,
    ipdv_min_ns Nullable(Float64),
    ipdv_max_ns Nullable(Float64),
    ipdv_sum_ns Float64,
    ipdv_abs_sum_ns Float64,
    ipdv_mean_abs_ns Nullable(Float64),
    ipdv_abs_p99_ns Nullable(Float64),
    dv_count UInt64,
    pdv_p99_ns Nullable(Float64),
    pdv_p999_ns Nullable(Float64),
    jitter_p95_p50_ns Nullable(Float64),
    reordered_packets UInt64,
    reordered_ratio Nullable(Float64),
    reorder_extent_max Nullable(Float64),
    reorder_extent_sum UInt64,
    reorder_extent_mean Nullable(Float64),
    reorder_extent_capped UInt64,
    loss_periods UInt64,
    loss_burst_max_packets UInt64,
    max_latency_ns Nullable(Float64),
    deadline_met_packets Nullable(Float64),
    deadline_miss_packets Nullable(Float64),
    reliability Nullable(Float64),
    transfer_interval_ns Nullable(Float64),
    survival_time_ns Nullable(Float64),
    avail_expected_ns Nullable(Float64),
    downtime_ns Nullable(Float64),
    up_down_transitions Nullable(Float64),
    availability Nullable(Float64),
    mtbf_ns Nullable(Float64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (enterprise_id, site_id, network_type, segment_id, device_id, flow_id, window_start_ns);

-- Samples that are in no window, counted per (flow, window of the sample, reason) and per
-- source record (partition, offset): a replayed record re-emits the same row, which
-- ReplacingMergeTree keeps once, so sum(count) over FINAL never double counts.
CREATE TABLE IF NOT EXISTS flow_discards
(
    enterprise_id String,
    site_id String,
    network_type Enum8('unspecified' = 0, '5g' = 1, 'tsn' = 2, 'industrial_ethernet' = 3, 'wifi6' = 4),
    segment_id String,
    device_id String,
    flow_id String,
    window_start DateTime,
    window_start_ns UInt64,
    reason Enum8('too_late' = 1, 'bad_sequence' = 2, 'flow_state_full' = 3, 'send_time_in_future' = 4, 'window_full' = 5),
    count UInt64,
    source_partition UInt32,
    source_offset UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (enterprise_id, site_id, network_type, segment_id, device_id, flow_id, window_start_ns, reason, source_partition, source_offset);
