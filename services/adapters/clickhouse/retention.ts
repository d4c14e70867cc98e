// Table retention on ClickHouse (issue 11): the server has no TTL in 18.16, so old rows go by
// dropping whole partitions. This module lists what each expiring table holds (system.tables,
// system.parts), lets the pure planner (services/core/retention/plan.ts) choose, and drops
// with ALTER TABLE ... DROP PARTITION. The only SQL of retention is here.
//
// Verified on 18.16: system.parts has min_date/max_date (Date) and min_time/max_time
// (DateTime); for our DateTime partition keys min_date/max_date stay 0000-00-00 and
// min_time/max_time hold the key column's range, so the dates are read from those. DROP
// PARTITION takes the key's value as an integer literal (20240131); a string literal
// ('20240131') is rejected with code 53 (type mismatch); dropping a partition that does not
// exist succeeds and changes nothing. The same statements run on a current release (chdb).
import { IsochronError } from '../../core/errors.ts';
import { planRetention, type PlannedDrop, type RetentionPlan, type TableSnapshot } from '../../core/retention/plan.ts';
import type { PolicyKey, RetentionPolicy } from '../../core/retention/policy.ts';
import { EXPIRING_TABLES } from '../../core/retention/tables.ts';
import type { ClickHouse } from './client.ts';
import { sqlIdentifier, sqlInt, sqlString } from './literal.ts';

/** A structured log line: what happened, with its fields (the caller decides where it goes). */
export type RetentionLog = (event: string, fields: Record<string, unknown>) => void;

const PARTITION_VALUE = /^\d{4}(\d{2}){0,2}$/;

/** The IANA time zone the server computes toYYYYMMDD() and friends in. */
export async function serverTimeZone(ch: ClickHouse): Promise<string> {
  const rows = await ch.query<{ tz: string }>('SELECT timezone() AS tz');
  return rows[0].tz;
}

/** What each of `tables` holds in the current database: partition key and active partitions. */
export async function listPartitions(ch: ClickHouse, tables: readonly string[]): Promise<TableSnapshot[]> {
  const names = `(${tables.map(sqlString).join(', ')})`;
  const defined = await ch.query<{ name: string; partition_key: string }>(
    `SELECT name, partition_key FROM system.tables WHERE database = currentDatabase() AND name IN ${names}`,
  );
  // Active parts only (merged-away parts linger inactive for a while); empty parts hold no
  // dates. Dates of the oldest and newest row in the server's time zone, as the key computes them.
  // Aliases differ from the column names: 18.16 resolves `rows` in WHERE to an alias `rows`
  // of sum(rows) and fails with code 184 (aggregate function in WHERE).
  const parts = await ch.query<{ table: string; partition: string; min_ymd: number; max_ymd: number; part_rows: string | number; part_bytes: string | number }>(
    `SELECT table, partition, toYYYYMMDD(min(min_time)) AS min_ymd, toYYYYMMDD(max(max_time)) AS max_ymd, sum(rows) AS part_rows, sum(bytes_on_disk) AS part_bytes` +
      ` FROM system.parts WHERE database = currentDatabase() AND active AND rows > 0 AND table IN ${names} GROUP BY table, partition ORDER BY table, partition`,
  );
  const keyOf = new Map(defined.map((d) => [d.name, d.partition_key]));
  return tables.map((table) => ({
    table,
    exists: keyOf.has(table),
    partitionKey: keyOf.get(table) ?? '',
    partitions: parts
      .filter((p) => p.table === table)
      .map((p) => ({ partition: p.partition, minYmd: Number(p.min_ymd), maxYmd: Number(p.max_ymd), rows: Number(p.part_rows), bytes: Number(p.part_bytes) })),
  }));
}

/**
 * Why worker_checkpoints must stay untouched, or undefined when nothing reads it any more. The
 * checkpoint store reads the legacy table only for a (topic, partition) with no complete
 * checkpoint in partition_checkpoints (services/adapters/clickhouse/checkpoints.ts); once every
 * pair found in the legacy table has one there, the legacy rows are never read again.
 */
export async function legacyCheckpointsHold(ch: ClickHouse): Promise<string | undefined> {
  const present = await ch.query<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('worker_checkpoints', 'partition_checkpoints')`,
  );
  const has = new Set(present.map((r) => r.name));
  if (!has.has('worker_checkpoints')) return undefined;
  const legacy = await ch.query<{ topic: string; partition: number }>('SELECT DISTINCT topic, partition FROM worker_checkpoints ORDER BY topic, partition');
  const upgraded = new Set<string>();
  if (has.has('partition_checkpoints')) {
    const rows = await ch.query<{ topic: string; partition: number }>(
      'SELECT DISTINCT topic, partition FROM (SELECT topic, partition FROM partition_checkpoints WHERE chunk < chunks' +
        ' GROUP BY topic, partition, slot, offset, chunks HAVING uniqExact(chunk) = chunks)',
    );
    for (const r of rows) upgraded.add(`${r.topic}/${Number(r.partition)}`);
  }
  const waiting = legacy.map((r) => `${r.topic}/${Number(r.partition)}`).filter((k) => !upgraded.has(k));
  if (waiting.length === 0) return undefined;
  const shown = waiting.slice(0, 10).join(', ') + (waiting.length > 10 ? `, ... (${waiting.length} in all)` : '');
  return `still read: ${shown} ha${waiting.length === 1 ? 's' : 've'} no complete checkpoint in partition_checkpoints yet and would restore from worker_checkpoints`;
}

/** ALTER TABLE <table> DROP PARTITION <value>, the value an integer literal (see above). */
export async function dropPartition(ch: ClickHouse, table: string, partition: string): Promise<void> {
  if (!PARTITION_VALUE.test(partition)) {
    throw new IsochronError('SQL_LITERAL_INVALID', `not a date partition value: ${JSON.stringify(partition.slice(0, 64))}`, { table, partition: partition.slice(0, 64) });
  }
  await ch.command(`ALTER TABLE ${sqlIdentifier(table)} DROP PARTITION ${sqlInt(Number(partition), 'UInt32')}`);
}

export interface RetentionRunOptions {
  readonly policy: RetentionPolicy;
  /** 'YYYY-MM-DD': today in the server's time zone (core/retention/civil-date.ts dayInTimeZone). */
  readonly today: string;
  /** Plan and log, drop nothing. */
  readonly dryRun: boolean;
  readonly log: RetentionLog;
  readonly settingName?: (key: PolicyKey) => string;
}

export interface RetentionReport {
  readonly plan: RetentionPlan;
  readonly dropped: readonly PlannedDrop[];
  readonly failed: readonly { readonly drop: PlannedDrop; readonly error: string }[];
}

/**
 * Lists, plans and (unless dry-run) drops, logging every partition it drops. A drop that fails
 * is logged and the others still run: each is independent, and running again retries it.
 */
export async function runRetention(ch: ClickHouse, o: RetentionRunOptions): Promise<RetentionReport> {
  const tables = [...new Set(EXPIRING_TABLES.map((t) => t.table))];
  const snapshots = await listPartitions(ch, tables);
  const holds = new Map<string, string>();
  const legacyHold = o.policy.legacyCheckpointsDays > 0 ? await legacyCheckpointsHold(ch) : undefined;
  if (legacyHold !== undefined) holds.set('worker_checkpoints', legacyHold);
  const plan = planRetention({ today: o.today, policy: o.policy, tables: snapshots, holds, settingName: o.settingName });

  for (const t of plan.tables) {
    o.log('retention_table', {
      table: t.table,
      status: t.status,
      keepDays: t.keepDays,
      cut: t.cut,
      partitions: t.partitions,
      toDrop: t.drops.length,
      ...(t.reason !== undefined ? { reason: t.reason } : {}),
    });
  }
  const dropped: PlannedDrop[] = [];
  const failed: { drop: PlannedDrop; error: string }[] = [];
  for (const d of plan.drops) {
    if (o.dryRun) {
      o.log('partition_would_drop', { ...d });
      continue;
    }
    try {
      await dropPartition(ch, d.table, d.partition);
      dropped.push(d);
      o.log('partition_dropped', { ...d });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      failed.push({ drop: d, error });
      o.log('partition_drop_failed', { ...d, error, ...(e instanceof IsochronError ? { code: e.code } : {}) });
    }
  }
  return { plan, dropped, failed };
}
