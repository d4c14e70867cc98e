// The retention planner: which partitions to drop, from what the tables hold and the policy.
// Pure: "today" comes in as data (the calendar day of now in the ClickHouse server's time zone,
// civil-date.ts dayInTimeZone), the partitions as the adapter listed them.
//
// A table kept N days (N > 0) keeps every row dated from today - N on: the cut. A partition is
// dropped only when all the rows it can hold are older than the cut, i.e. when the last day of
// its day, month or year is before the cut; the rows actually in it do not matter. So today's
// partition (and any from the future) is never dropped, nothing younger than N days is ever
// dropped, and a monthly partition goes only once its whole month is past the cut.
// A table whose layout is not the one expected (partition key, partition names, or rows dated
// outside the partition they sit in) is left alone and reported: never drop on a guess.
import { checkRetentionPolicy, type PolicyKey, type RetentionPolicy } from './policy.ts';
import { EXPIRING_TABLES, type ExpiringTable, type PartitionGranularity } from './tables.ts';
import { dayNumber, dayOfYmd, isoDay, lastDayOfMonth, parseIsoDay } from './civil-date.ts';

/** One partition as listed from system.parts (active parts, summed). */
export interface PartitionInfo {
  /** The partition value as system.parts.partition prints it: '20240131', '202401', '2024'. */
  readonly partition: string;
  /** Calendar day (YYYYMMDD, server time zone) of the oldest and newest row's time column. */
  readonly minYmd: number;
  readonly maxYmd: number;
  readonly rows: number;
  readonly bytes: number;
}

export interface TableSnapshot {
  readonly table: string;
  readonly exists: boolean;
  /** system.tables.partition_key ('' when the table does not exist). */
  readonly partitionKey: string;
  readonly partitions: readonly PartitionInfo[];
}

export interface PlanInput {
  /** 'YYYY-MM-DD': today in the time zone the server partitions by. */
  readonly today: string;
  readonly policy: RetentionPolicy;
  readonly tables: readonly TableSnapshot[];
  /** Tables that must not be touched this time, with the reason (e.g. still read by an upgrade). */
  readonly holds?: ReadonlyMap<string, string>;
  /** Names the setting behind a policy key in problem messages. */
  readonly settingName?: (key: PolicyKey) => string;
}

export interface PlannedDrop {
  readonly table: string;
  readonly partition: string;
  /** First and last calendar day the partition can hold ('YYYY-MM-DD'). */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly rows: number;
  readonly bytes: number;
}

export type TableStatus = 'expire' | 'keep_forever' | 'absent' | 'held' | 'mismatch';

export interface TablePlan {
  readonly table: string;
  readonly keepDays: number;
  /** First kept day ('YYYY-MM-DD'); null when the table is kept forever. */
  readonly cut: string | null;
  readonly status: TableStatus;
  /** Why a table is held or does not match its expected layout. */
  readonly reason?: string;
  readonly partitions: number;
  readonly drops: readonly PlannedDrop[];
}

export interface RetentionPlan {
  readonly today: string;
  readonly tables: readonly TablePlan[];
  /** Every drop, in table order (base windows first, then the rollups from fine to coarse). */
  readonly drops: readonly PlannedDrop[];
  /** Tables left alone because they are not laid out as expected: an operator should look. */
  readonly problems: readonly string[];
}

/** The calendar days a partition can hold, or undefined when its name is not of that granularity. */
export function partitionSpan(partition: string, granularity: PartitionGranularity): { first: number; last: number } | undefined {
  const digits = { day: 8, month: 6, year: 4 }[granularity];
  if (!new RegExp(`^\\d{${digits}}$`).test(partition)) return undefined;
  const n = Number(partition);
  switch (granularity) {
    case 'day': {
      const d = dayOfYmd(n);
      return d === undefined ? undefined : { first: d, last: d };
    }
    case 'month': {
      const first = dayNumber(Math.floor(n / 100), n % 100, 1);
      return first === undefined ? undefined : { first, last: lastDayOfMonth(Math.floor(n / 100), n % 100) };
    }
    case 'year': {
      const first = dayNumber(n, 1, 1);
      return first === undefined ? undefined : { first, last: dayNumber(n, 12, 31)! };
    }
  }
}

const normaliseKey = (k: string) => k.replace(/\s+/g, '');

function planTable(spec: ExpiringTable, snap: TableSnapshot | undefined, today: number, keepDays: number, hold: string | undefined): TablePlan {
  const base = { table: spec.table, keepDays, cut: keepDays === 0 ? null : isoDay(today - keepDays), partitions: snap?.partitions.length ?? 0, drops: [] };
  if (snap === undefined || !snap.exists) return { ...base, status: 'absent' };
  if (keepDays === 0) return { ...base, status: 'keep_forever' };
  if (hold !== undefined) return { ...base, status: 'held', reason: hold };
  if (normaliseKey(snap.partitionKey) !== normaliseKey(spec.partitionKey)) {
    return { ...base, status: 'mismatch', reason: `partitioned by ${JSON.stringify(snap.partitionKey)}, retention expects ${spec.partitionKey}` };
  }
  const cut = today - keepDays;
  const drops: PlannedDrop[] = [];
  for (const p of snap.partitions) {
    const span = partitionSpan(p.partition, spec.granularity);
    if (span === undefined) return { ...base, status: 'mismatch', reason: `partition ${JSON.stringify(p.partition)} is not a ${spec.granularity} of ${spec.partitionKey}` };
    const lo = dayOfYmd(p.minYmd);
    const hi = dayOfYmd(p.maxYmd);
    if (lo === undefined || hi === undefined || lo < span.first || hi > span.last || lo > hi) {
      return { ...base, status: 'mismatch', reason: `partition ${p.partition} holds rows dated ${p.minYmd}..${p.maxYmd}, outside ${isoDay(span.first)}..${isoDay(span.last)}` };
    }
    if (span.last < cut) drops.push({ table: spec.table, partition: p.partition, firstDay: isoDay(span.first), lastDay: isoDay(span.last), rows: p.rows, bytes: p.bytes });
  }
  drops.sort((a, b) => (a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0));
  return { ...base, status: 'expire', drops };
}

/** The partitions to drop. Throws ISO_CONFIG_INVALID when the policy breaks a rule of policy.ts. */
export function planRetention(input: PlanInput): RetentionPlan {
  checkRetentionPolicy(input.policy, input.settingName);
  const today = parseIsoDay(input.today);
  const byName = new Map(input.tables.map((t) => [t.table, t]));
  const tables = EXPIRING_TABLES.map((spec) => planTable(spec, byName.get(spec.table), today, input.policy[spec.retention], input.holds?.get(spec.table)));
  return {
    today: isoDay(today),
    tables,
    drops: tables.flatMap((t) => t.drops),
    problems: tables.filter((t) => t.status === 'mismatch').map((t) => `${t.table}: ${t.reason}; not touched`),
  };
}
