-- partition_checkpoints.save_seq orders two complete checkpoints of one partition at the same
-- offset: a partition whose windows the idle rule closed (docs/metrics.md rule (c)) is
-- checkpointed again at the same offset, and the newer save must win on restore, or the
-- restore would reopen windows whose rows are already written. Higher is newer (wall-clock
-- milliseconds x 1000 plus a per-store counter, services/adapters/clickhouse/checkpoints.ts).
-- Rows written before this column existed read as 0, older than any save after it.
ALTER TABLE partition_checkpoints ADD COLUMN save_seq UInt64 DEFAULT 0;
