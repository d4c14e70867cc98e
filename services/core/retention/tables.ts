// How long each ClickHouse table keeps its rows (issue 11). ClickHouse 18.16 has no TTL, so a
// table that expires does so by whole partitions: each one below is partitioned by the calendar
// day, month or year of one DateTime column, and `npm run retention` drops the partitions every
// possible row of which is older than the table's retention. Every other table is kept, with
// the reason here; a test checks this list against sql/ and against the README.

/** Keys of the retention policy (services/core/retention/policy.ts), in days; 0 keeps forever. */
export type RetentionKey = 'windowsDays' | 'rollups1mDays' | 'rollups1hDays' | 'rollups1dDays' | 'legacyCheckpointsDays';

export type PartitionGranularity = 'day' | 'month' | 'year';

export interface ExpiringTable {
  readonly table: string;
  /** The policy entry that sets its retention. */
  readonly retention: RetentionKey;
  /** What one partition holds: the rows of one calendar day, month or year. */
  readonly granularity: PartitionGranularity;
  /** The PARTITION BY expression as system.tables.partition_key prints it (sql/). */
  readonly partitionKey: string;
}

export const EXPIRING_TABLES: readonly ExpiringTable[] = Object.freeze([
  { table: 'flow_windows', retention: 'windowsDays', granularity: 'day', partitionKey: 'toYYYYMMDD(window_start)' },
  { table: 'flow_discards', retention: 'windowsDays', granularity: 'day', partitionKey: 'toYYYYMMDD(window_start)' },
  { table: 'flow_rollups_1m', retention: 'rollups1mDays', granularity: 'day', partitionKey: 'toYYYYMMDD(period_start)' },
  { table: 'flow_rollups_1h', retention: 'rollups1hDays', granularity: 'month', partitionKey: 'toYYYYMM(period_start)' },
  { table: 'flow_rollups_1d', retention: 'rollups1dDays', granularity: 'year', partitionKey: 'toYear(period_start)' },
  { table: 'worker_checkpoints', retention: 'legacyCheckpointsDays', granularity: 'day', partitionKey: 'toYYYYMMDD(created_at)' },
] as const satisfies readonly ExpiringTable[]);

/** Tables retention never touches, and why. */
export const KEPT_TABLES: Readonly<Record<string, string>> = Object.freeze({
  partition_checkpoints:
    'bounded by construction: two slots per Kafka partition, each save drops the older slot first, so it holds at most the latest checkpoint and the one before it (sql/006)',
  enterprises: 'kept: the versioned registry; audits are reproduced "as of" a registry version, which needs every version',
  api_credentials: 'kept: the versioned registry (revocations are rows too); audits are reproduced "as of" a registry version',
  profile_assignments: 'kept: the versioned registry; audits are reproduced "as of" a registry version, which needs every assignment version',
  audit_runs:
    'kept: one small row per stored audit run (no PARTITION BY in sql/005, so nothing to drop by partition); a run is evidence, stored to be reproduced later',
  schema_migrations: 'kept: one row per applied migration',
});
