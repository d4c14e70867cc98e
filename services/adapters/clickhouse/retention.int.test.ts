// Table retention against the real 18.16 server: a fresh, migrated database per test, rows in
// daily, monthly and yearly partitions on both sides of each cut, retention run with a fixed
// "today", then the rows left counted per partition straight from the tables (not from
// system.parts, which the code under test reads). The same statements replayed on a current
// engine (chdb) give the same answers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RetentionPolicy } from '../../core/retention/policy.ts';
import { freshDatabase } from '../../../test/support/stack.ts';
import type { ClickHouse } from './client.ts';
import { expectSameOnChdb, recording, requireChdb, type Recorded } from './chdb-replay.testkit.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { dropPartition, legacyCheckpointsHold, listPartitions, runRetention } from './retention.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MIGRATIONS = loadMigrations(path.join(ROOT, 'sql'));
const TOPIC = 'isochron.telemetry.v1';

const DEFAULTS: RetentionPolicy = { windowsDays: 35, rollups1mDays: 90, rollups1hDays: 730, rollups1dDays: 0, legacyCheckpointsDays: 7, replayHorizonDays: 14 };
const TODAY = '2025-03-15';

const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (drops.length > 0) await drops.pop()!();
});

async function migrated(prefix: string): Promise<ClickHouse> {
  const { ch, database, drop } = await freshDatabase(prefix);
  drops.push(drop);
  await migrate(ch, database, MIGRATIONS);
  return ch;
}

const unix = (iso: string) => Date.parse(`${iso}Z`) / 1000;
const identity = (flow: string) => ({ enterprise_id: 'ent-1', site_id: 'site-1', network_type: '5g', segment_id: 'cell-1', device_id: '88.100.1/dev-1', flow_id: flow });

/** `n` base windows (and one discard row each) starting at `iso`, one second apart. */
function windows(iso: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({ ...identity(`f${i}`), window_start: unix(iso), window_start_ns: `${unix(iso)}000000000` }));
}
function discards(iso: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({ ...identity('f'), window_start: unix(iso), window_start_ns: `${unix(iso)}000000000`, reason: 'too_late', count: 1, source_partition: 0, source_offset: i }));
}
function rollups(iso: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({ ...identity(`f${i}`), period_start: unix(iso), period_start_ns: `${unix(iso)}000000000`, windows: 60 }));
}
function legacyCheckpoint(iso: string, partition: number, offset: number) {
  return { topic: TOPIC, partition, offset: String(offset), chunk: 0, chunks: 1, data: 'AAAA', created_at: unix(iso) };
}
function newCheckpoint(partition: number, offset: number) {
  return { topic: TOPIC, partition, slot: 0, offset: String(offset), chunk: 0, chunks: 1, state_bytes: 3, data: 'AAAA', created_at: unix('2025-03-15 10:00:00') };
}

/** Fills every table: old and recent partitions around the cuts of DEFAULTS on 2025-03-15. */
async function seed(ch: ClickHouse): Promise<void> {
  // base windows and discards keep 35 days: the cut is 2025-02-08
  for (const [iso, n] of [['2024-01-01 12:00:00', 1], ['2025-02-07 23:59:59', 2], ['2025-02-08 00:00:00', 3], ['2025-03-15 08:00:00', 4], ['2025-03-16 00:00:01', 5]] as const) {
    await ch.insert('flow_windows', windows(iso, n));
  }
  for (const [iso, n] of [['2025-02-07 12:00:00', 2], ['2025-02-08 12:00:00', 3]] as const) await ch.insert('flow_discards', discards(iso, n));
  // 1 min rollups keep 90 days: the cut is 2024-12-15
  for (const [iso, n] of [['2024-12-14 23:59:00', 2], ['2024-12-15 00:00:00', 3]] as const) await ch.insert('flow_rollups_1m', rollups(iso, n));
  // 1 h rollups keep 730 days: the cut is 2023-03-16, so February 2023 goes and all of March 2023 stays
  for (const [iso, n] of [['2022-12-31 23:00:00', 1], ['2023-02-28 23:00:00', 2], ['2023-03-01 00:00:00', 3], ['2025-03-15 08:00:00', 4]] as const) {
    await ch.insert('flow_rollups_1h', rollups(iso, n));
  }
  // 1 day rollups are kept forever
  for (const [iso, n] of [['2001-01-01 00:00:00', 1], ['2024-06-01 00:00:00', 2]] as const) await ch.insert('flow_rollups_1d', rollups(iso, n));
  // legacy checkpoints keep 7 days: the cut is 2025-03-08
  await ch.insert('worker_checkpoints', [legacyCheckpoint('2025-03-07 10:00:00', 0, 100), legacyCheckpoint('2025-03-07 10:00:05', 1, 100)]);
  await ch.insert('worker_checkpoints', [legacyCheckpoint('2025-03-08 10:00:00', 0, 200), legacyCheckpoint('2025-03-08 10:00:05', 1, 200)]);
  // kept tables, with old rows
  await ch.insert('enterprises', [{ enterprise_id: 'ent-1', name: 'A', region: 'r', industry: 'i', identifier_prefix: '88.100.1', registry_version: 1, deleted: 0 }]);
  await ch.insert('audit_runs', [{ run_id: 'run-1', kind: 'programme_audit', request: '{}', registry_version: 1, profiles: '[]', created_at: unix('2001-01-01 00:00:00') }]);
}

/** Rows per partition value, counted from the table itself. */
async function counts(ch: ClickHouse): Promise<Record<string, Record<string, number>>> {
  const q = async (table: string, key: string) => {
    const rows = await ch.query<{ p: number; n: string }>(`SELECT ${key} AS p, count() AS n FROM ${table} GROUP BY p ORDER BY p`);
    return Object.fromEntries(rows.map((r) => [String(r.p), Number(r.n)]));
  };
  return {
    flow_windows: await q('flow_windows', 'toYYYYMMDD(window_start)'),
    flow_discards: await q('flow_discards', 'toYYYYMMDD(window_start)'),
    flow_rollups_1m: await q('flow_rollups_1m', 'toYYYYMMDD(period_start)'),
    flow_rollups_1h: await q('flow_rollups_1h', 'toYYYYMM(period_start)'),
    flow_rollups_1d: await q('flow_rollups_1d', 'toYear(period_start)'),
    worker_checkpoints: await q('worker_checkpoints', 'toYYYYMMDD(created_at)'),
    enterprises: await q('enterprises', 'registry_version'),
    audit_runs: await q('audit_runs', 'toYear(created_at)'),
  };
}

const SEEDED = {
  flow_windows: { '20240101': 1, '20250207': 2, '20250208': 3, '20250315': 4, '20250316': 5 },
  flow_discards: { '20250207': 2, '20250208': 3 },
  flow_rollups_1m: { '20241214': 2, '20241215': 3 },
  flow_rollups_1h: { '202212': 1, '202302': 2, '202303': 3, '202503': 4 },
  flow_rollups_1d: { '2001': 1, '2024': 2 },
  worker_checkpoints: { '20250307': 2, '20250308': 2 },
  enterprises: { '1': 1 },
  audit_runs: { '2001': 1 },
};

const AFTER = {
  ...SEEDED,
  flow_windows: { '20250208': 3, '20250315': 4, '20250316': 5 },
  flow_discards: { '20250208': 3 },
  flow_rollups_1m: { '20241215': 3 },
  flow_rollups_1h: { '202303': 3, '202503': 4 },
  worker_checkpoints: { '20250308': 2 },
};

type Logged = { event: string; fields: Record<string, unknown> };
const logger = (into: Logged[]) => (event: string, fields: Record<string, unknown>) => into.push({ event, fields });

describe('retention on the 18.16 server', () => {
  it('drops exactly the partitions wholly before each cut, logs each drop, and leaves every other row', async () => {
    const ch = await migrated('ret');
    await seed(ch);
    await ch.insert('partition_checkpoints', [newCheckpoint(0, 300), newCheckpoint(1, 300)]);
    expect(await counts(ch)).toEqual(SEEDED);
    const log: Logged[] = [];
    const report = await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: logger(log) });
    expect(report.failed).toEqual([]);
    expect(report.plan.problems).toEqual([]);
    expect(await counts(ch)).toEqual(AFTER);
    const dropped = log.filter((l) => l.event === 'partition_dropped').map((l) => `${l.fields.table}/${l.fields.partition}/${l.fields.rows}`);
    expect(dropped).toEqual([
      'flow_windows/20240101/1',
      'flow_windows/20250207/2',
      'flow_discards/20250207/2',
      'flow_rollups_1m/20241214/2',
      'flow_rollups_1h/202212/1',
      'flow_rollups_1h/202302/2',
      'worker_checkpoints/20250307/2',
    ]);
    expect(log.find((l) => l.fields.table === 'flow_rollups_1h' && l.event === 'partition_dropped' && l.fields.partition === '202302')!.fields).toMatchObject({
      firstDay: '2023-02-01',
      lastDay: '2023-02-28',
      bytes: expect.any(Number),
    });
    expect(log.filter((l) => l.event === 'retention_table').map((l) => [l.fields.table, l.fields.status, l.fields.cut])).toEqual([
      ['flow_windows', 'expire', '2025-02-08'],
      ['flow_discards', 'expire', '2025-02-08'],
      ['flow_rollups_1m', 'expire', '2024-12-15'],
      ['flow_rollups_1h', 'expire', '2023-03-16'],
      ['flow_rollups_1d', 'keep_forever', null],
      ['worker_checkpoints', 'expire', '2025-03-08'],
    ]);
  });

  it('dry run drops nothing and reports what a real run drops; a second real run is harmless', async () => {
    const ch = await migrated('ret_dry');
    await seed(ch);
    await ch.insert('partition_checkpoints', [newCheckpoint(0, 300), newCheckpoint(1, 300)]);
    const log: Logged[] = [];
    const dry = await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: true, log: logger(log) });
    expect(await counts(ch)).toEqual(SEEDED);
    expect(dry.dropped).toEqual([]);
    const would = log.filter((l) => l.event === 'partition_would_drop').map((l) => `${l.fields.table}/${l.fields.partition}`);
    expect(log.some((l) => l.event === 'partition_dropped')).toBe(false);

    const first = await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    expect(first.dropped.map((d) => `${d.table}/${d.partition}`)).toEqual(would);
    expect(would).toHaveLength(7);
    expect(await counts(ch)).toEqual(AFTER);

    const second = await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    expect(second.plan.drops).toEqual([]);
    expect(second.failed).toEqual([]);
    expect(await counts(ch)).toEqual(AFTER);
  });

  it('keeps the legacy checkpoints while a partition would still restore from them', async () => {
    const ch = await migrated('ret_legacy');
    await seed(ch);
    // partition 1 has only an incomplete checkpoint (chunk 1 of 2) in the new table
    await ch.insert('partition_checkpoints', [newCheckpoint(0, 300), { ...newCheckpoint(1, 300), chunk: 1, chunks: 2 }]);
    expect(await legacyCheckpointsHold(ch)).toMatch(/^still read: isochron\.telemetry\.v1\/1 has no complete checkpoint in partition_checkpoints/);
    const report = await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    expect(report.plan.tables.find((t) => t.table === 'worker_checkpoints')).toMatchObject({ status: 'held', drops: [] });
    expect(report.plan.problems).toEqual([]); // a hold is expected, not a problem
    expect((await counts(ch)).worker_checkpoints).toEqual(SEEDED.worker_checkpoints);

    await ch.insert('partition_checkpoints', [newCheckpoint(1, 400)]);
    expect(await legacyCheckpointsHold(ch)).toBeUndefined();
    await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    expect((await counts(ch)).worker_checkpoints).toEqual(AFTER.worker_checkpoints);

    // once an operator dropped the legacy table (docs/delivery.md), retention has nothing to do there
    await ch.command('DROP TABLE worker_checkpoints');
    expect(await legacyCheckpointsHold(ch)).toBeUndefined();
    const gone = await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    expect(gone.plan.tables.find((t) => t.table === 'worker_checkpoints')).toMatchObject({ status: 'absent' });
    expect(gone.plan.problems).toEqual([]);
  });

  it('leaves a table that is not partitioned as expected untouched and reports it, while the others expire', async () => {
    const ch = await migrated('ret_layout');
    await seed(ch);
    await ch.insert('partition_checkpoints', [newCheckpoint(0, 300), newCheckpoint(1, 300)]);
    // someone re-created the 1 h rollups partitioned by day
    await ch.command('DROP TABLE flow_rollups_1h');
    await ch.command(
      'CREATE TABLE flow_rollups_1h (enterprise_id String, period_start DateTime, period_start_ns UInt64, windows UInt64) ENGINE = ReplacingMergeTree(windows) PARTITION BY toYYYYMMDD(period_start) ORDER BY (enterprise_id, period_start_ns)',
    );
    await ch.insert('flow_rollups_1h', [{ enterprise_id: 'e', period_start: unix('2001-01-01 00:00:00'), period_start_ns: '978307200000000000', windows: 1 }]);
    const report = await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    expect(report.plan.problems).toEqual(['flow_rollups_1h: partitioned by "toYYYYMMDD(period_start)", retention expects toYYYYMM(period_start); not touched']);
    expect(await ch.query('SELECT count() AS n FROM flow_rollups_1h')).toEqual([{ n: '1' }]);
    expect((await counts(ch)).flow_windows).toEqual(AFTER.flow_windows);
  });

  it('lists partitions with the dates of their rows, and shows what 18.16 accepts in DROP PARTITION', async () => {
    const ch = await migrated('ret_sql');
    await ch.insert('flow_rollups_1h', rollups('2023-02-03 04:00:00', 1));
    await ch.insert('flow_rollups_1h', rollups('2023-02-27 05:00:00', 2)); // a second part of the same partition
    await ch.insert('flow_windows', windows('2025-02-07 12:00:00', 1));
    const [h, w, none] = await listPartitions(ch, ['flow_rollups_1h', 'flow_windows', 'no_such_table']);
    expect(h).toMatchObject({ exists: true, partitionKey: 'toYYYYMM(period_start)', partitions: [{ partition: '202302', minYmd: 20230203, maxYmd: 20230227, rows: 3 }] });
    expect(w.partitions).toMatchObject([{ partition: '20250207', minYmd: 20250207, maxYmd: 20250207, rows: 1 }]);
    expect(none).toEqual({ table: 'no_such_table', exists: false, partitionKey: '', partitions: [] });

    // the key's value as a string is a type mismatch on 18.16 (code 53): hence the integer literal
    await expect(ch.command("ALTER TABLE flow_windows DROP PARTITION '20250207'")).rejects.toMatchObject({ code: 'ISO_CLICKHOUSE_BAD_DATA', details: { serverCode: 53 } });
    await dropPartition(ch, 'flow_windows', '20250207');
    await dropPartition(ch, 'flow_windows', '20250207'); // gone already: harmless
    await dropPartition(ch, 'flow_windows', '19990101'); // never existed: harmless
    expect(await ch.query('SELECT count() AS n FROM flow_windows')).toEqual([{ n: '0' }]);
    await expect(dropPartition(ch, 'flow_windows', 'tuple()')).rejects.toMatchObject({ code: 'ISO_SQL_LITERAL_INVALID' });
    await expect(dropPartition(ch, 'flow_windows; DROP TABLE x', '20250207')).rejects.toMatchObject({ code: 'ISO_SQL_LITERAL_INVALID' });
  });
});

// ---- the same statements on a current engine ------------------------------------------------

describe('retention statements on a current engine (chdb)', () => {
  it('gives the same answers as 18.16 for the listing, the legacy check and the drops', async () => {
    requireChdb();
    const log: Recorded[] = [];
    const ch = recording(await migrated('ret_chdb'), log);
    await seed(ch);
    await ch.insert('partition_checkpoints', [newCheckpoint(0, 300), newCheckpoint(1, 300)]);
    await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    await runRetention(ch, { policy: DEFAULTS, today: TODAY, dryRun: false, log: () => {} });
    const check = `SELECT toYYYYMMDD(window_start) AS p, count() AS n FROM flow_windows GROUP BY p ORDER BY p`;
    await ch.query(check);

    // Bytes on disk differ by engine.
    expectSameOnChdb(MIGRATIONS, log, { sqlPreviewChars: 200, maxBufferBytes: 64 * 1024 * 1024, ignoreKeys: ['part_bytes'] });
    expect(log.filter((r) => r.kind === 'command' && r.sql.includes('DROP PARTITION')).length).toBe(7);
    expect(log.at(-1)!.result!.map((r) => r.p)).toEqual([20250208, 20250315, 20250316]);
  });
});
