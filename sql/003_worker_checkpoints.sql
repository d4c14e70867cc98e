-- Worker checkpoints: the metric engine's complete state for one Kafka partition at one
-- offset (flows, open windows, watermarks), written before that offset is committed. A worker
-- that takes over a partition restores the checkpoint and continues from its offset, so its
-- rows are identical to those of an undisturbed run (see docs/delivery.md).
-- Large states are split into chunks; a checkpoint counts only when all chunks are present.
-- Retention: drop old daily partitions.
CREATE TABLE IF NOT EXISTS worker_checkpoints
(
    topic String,
    partition UInt32,
    offset UInt64,
    chunk UInt32,
    chunks UInt32,
    data String,
    created_at DateTime
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (topic, partition, offset, chunk);
