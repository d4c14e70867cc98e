-- Partition checkpoints: the metric engine's complete state for one Kafka partition at one
-- offset (see docs/delivery.md), replacing worker_checkpoints, which kept every checkpoint
-- ever written and had to be read with FINAL over all of them (issue 10).
-- Bounded by construction: every (topic, partition) has two slots, each its own ClickHouse
-- partition. A save goes into the slot that does not hold the latest complete checkpoint:
-- ALTER TABLE ... DROP PARTITION (topic, partition, slot), then one INSERT of all chunks. So
-- the table holds at most two checkpoints per Kafka partition (the latest and the one before
-- it), and a crash between the drop and the insert, or a torn insert, leaves the other slot's
-- complete checkpoint to restore from (services/adapters/clickhouse/checkpoints.ts).
-- A checkpoint counts only when all its chunks (0 .. chunks-1) are present; state_bytes is
-- the state's length, checked on restore. data is base64 of at most 4 MiB of state.
-- Plain MergeTree: duplicates of a chunk (a retried insert) are removed when read (LIMIT 1),
-- and the slot is dropped before it is written again, so nothing accumulates. One row (a chunk
-- of up to 5.6 MB) per granule: a restore reads the key columns of a few rows, then each
-- chunk by its key without decompressing the others.
-- Upgrade: this migration leaves worker_checkpoints in place; a partition without a checkpoint
-- here is restored once from worker_checkpoints, and its next save lands here. Operators may
-- drop worker_checkpoints (DROP TABLE worker_checkpoints) once every partition has
-- checkpointed here, i.e. once
--   SELECT topic, partition FROM partition_checkpoints GROUP BY topic, partition
-- lists every partition of every topic the workers consume.
CREATE TABLE IF NOT EXISTS partition_checkpoints
(
    topic String,
    partition UInt32,
    slot UInt8,
    offset UInt64,
    chunk UInt32,
    chunks UInt32,
    state_bytes UInt64,
    data String,
    created_at DateTime
)
ENGINE = MergeTree
PARTITION BY (topic, partition, slot)
ORDER BY (topic, partition, slot, offset, chunk)
SETTINGS index_granularity = 1;
