// The retention planner against expectations computed by hand (dates written out below), and
// against a brute-force oracle that walks every day a partition can hold with plain Date
// arithmetic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRetention, type PartitionInfo, type TableSnapshot } from './plan.ts';
import type { RetentionPolicy } from './policy.ts';
import { EXPIRING_TABLES } from './tables.ts';

const DEFAULTS: RetentionPolicy = { windowsDays: 35, rollups1mDays: 90, rollups1hDays: 730, rollups1dDays: 0, legacyCheckpointsDays: 7, replayHorizonDays: 14 };

/** A partition whose rows span its whole period (the widest that is still consistent). */
function part(partition: string, rows = 10): PartitionInfo {
  const y = partition.slice(0, 4);
  const m = partition.length >= 6 ? partition.slice(4, 6) : null;
  const d = partition.length === 8 ? partition.slice(6, 8) : null;
  let minYmd: number;
  let maxYmd: number;
  if (d !== null) minYmd = maxYmd = Number(partition);
  else if (m !== null) {
    minYmd = Number(`${y}${m}01`);
    maxYmd = Number(`${y}${m}${new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate()}`);
  } else {
    minYmd = Number(`${y}0101`);
    maxYmd = Number(`${y}1231`);
  }
  return { partition, minYmd, maxYmd, rows, bytes: rows * 100 };
}

function snapshot(table: string, partitions: string[], partitionKey?: string): TableSnapshot {
  const spec = EXPIRING_TABLES.find((t) => t.table === table)!;
  return { table, exists: true, partitionKey: partitionKey ?? spec.partitionKey, partitions: partitions.map((p) => part(p)) };
}

const dropped = (plan: ReturnType<typeof planRetention>, table: string) => plan.tables.find((t) => t.table === table)!.drops.map((d) => d.partition);

describe('planRetention, hand-computed', () => {
  it('with the default policy on 2025-03-15 drops exactly the partitions wholly before each cut', () => {
    const plan = planRetention({
      today: '2025-03-15',
      policy: DEFAULTS,
      tables: [
        // 35 days before 2025-03-15 is 2025-02-08 (15 days back to Feb 28, 20 more).
        snapshot('flow_windows', ['20240101', '20250207', '20250208', '20250314', '20250315', '20250316']),
        snapshot('flow_discards', ['20250206', '20250209']),
        // 90 days before 2025-03-15 is 2024-12-15 (to Feb 28: 15, Jan 31: 43, Dec 31: 74, +16).
        snapshot('flow_rollups_1m', ['20241214', '20241215', '20250315']),
        // 730 days before 2025-03-15 is 2023-03-16 (2024-03-15 is 365 days back; the year
        // before holds Feb 29 2024, so 365 more days reach 2023-03-16): March 2023 still has
        // days from the cut on and stays whole; February 2023 ended before it.
        snapshot('flow_rollups_1h', ['202212', '202302', '202303', '202503']),
        snapshot('flow_rollups_1d', ['1971', '2023', '2025']),
        // 7 days before is 2025-03-08.
        snapshot('worker_checkpoints', ['20250307', '20250308']),
      ],
    });
    expect(plan.problems).toEqual([]);
    expect(plan.tables.map((t) => [t.table, t.status, t.cut])).toEqual([
      ['flow_windows', 'expire', '2025-02-08'],
      ['flow_discards', 'expire', '2025-02-08'],
      ['flow_rollups_1m', 'expire', '2024-12-15'],
      ['flow_rollups_1h', 'expire', '2023-03-16'],
      ['flow_rollups_1d', 'keep_forever', null],
      ['worker_checkpoints', 'expire', '2025-03-08'],
    ]);
    expect(dropped(plan, 'flow_windows')).toEqual(['20240101', '20250207']);
    expect(dropped(plan, 'flow_discards')).toEqual(['20250206']);
    expect(dropped(plan, 'flow_rollups_1m')).toEqual(['20241214']);
    expect(dropped(plan, 'flow_rollups_1h')).toEqual(['202212', '202302']);
    expect(dropped(plan, 'flow_rollups_1d')).toEqual([]);
    expect(dropped(plan, 'worker_checkpoints')).toEqual(['20250307']);
    expect(plan.drops.find((d) => d.partition === '202302')).toEqual({ table: 'flow_rollups_1h', partition: '202302', firstDay: '2023-02-01', lastDay: '2023-02-28', rows: 10, bytes: 1000 });
    expect(plan.drops.map((d) => d.table)).toEqual(['flow_windows', 'flow_windows', 'flow_discards', 'flow_rollups_1m', 'flow_rollups_1h', 'flow_rollups_1h', 'worker_checkpoints']);
  });

  // The shortest consistent policy: horizon 1 day, everything kept 2 days.
  const SHORT: RetentionPolicy = { windowsDays: 2, rollups1mDays: 2, rollups1hDays: 2, rollups1dDays: 2, legacyCheckpointsDays: 1, replayHorizonDays: 1 };

  it("never drops today's partition, nor yesterday's with 1 day kept, nor future ones", () => {
    const plan = planRetention({ today: '2025-06-10', policy: SHORT, tables: [snapshot('worker_checkpoints', ['20250608', '20250609', '20250610', '20250611', '20991231'])] });
    // keep 1 day: cut 2025-06-09
    expect(dropped(plan, 'worker_checkpoints')).toEqual(['20250608']);
  });

  it('drops a month only once its last day is before the cut (month ends, leap February)', () => {
    const months = ['202401', '202402', '202403', '202501', '202502', '202503'];
    const on = (today: string) => dropped(planRetention({ today, policy: SHORT, tables: [snapshot('flow_rollups_1h', months)] }), 'flow_rollups_1h');
    expect(on('2024-03-02')).toEqual(['202401']); // cut 2024-02-29: the last day of February 2024 is kept
    expect(on('2024-03-03')).toEqual(['202401', '202402']); // cut 2024-03-01
    expect(on('2025-03-02')).toEqual(['202401', '202402', '202403', '202501']); // cut 2025-02-28
    expect(on('2025-03-03')).toEqual(['202401', '202402', '202403', '202501', '202502']); // cut 2025-03-01
    expect(on('2025-03-31')).toEqual(['202401', '202402', '202403', '202501', '202502']); // March is this month
  });

  it('drops a year only once its last day is before the cut', () => {
    const years = ['2023', '2024', '2025'];
    const on = (today: string) => dropped(planRetention({ today, policy: SHORT, tables: [snapshot('flow_rollups_1d', years)] }), 'flow_rollups_1d');
    expect(on('2025-01-01')).toEqual(['2023']); // cut 2024-12-30
    expect(on('2025-01-02')).toEqual(['2023']); // cut 2024-12-31: still a day of 2024
    expect(on('2025-01-03')).toEqual(['2023', '2024']); // cut 2025-01-01
    expect(on('2025-12-31')).toEqual(['2023', '2024']);
  });

  it('keeps forever what is set to 0, whatever its age', () => {
    const policy: RetentionPolicy = { windowsDays: 0, rollups1mDays: 0, rollups1hDays: 0, rollups1dDays: 0, legacyCheckpointsDays: 0, replayHorizonDays: 0 };
    const plan = planRetention({
      today: '2025-03-15',
      policy,
      tables: [snapshot('flow_windows', ['19700101', '20250101']), snapshot('flow_rollups_1h', ['197001']), snapshot('flow_rollups_1d', ['1970']), snapshot('worker_checkpoints', ['19700101'])],
    });
    expect(plan.drops).toEqual([]);
    expect(new Set(plan.tables.map((t) => t.status))).toEqual(new Set(['keep_forever', 'absent']));
  });

  it('leaves alone a table that is absent, held, or not laid out as expected, and says why', () => {
    const plan = planRetention({
      today: '2025-03-15',
      policy: DEFAULTS,
      holds: new Map([['worker_checkpoints', 'still read by the upgrade of partition 3']]),
      tables: [
        snapshot('flow_windows', ['20200101'], 'toYYYYMM(window_start)'),
        snapshot('flow_discards', ['20200101', 'tuple()']),
        snapshot('flow_rollups_1m', ['20200101', '20250315']),
        { table: 'flow_rollups_1h', exists: true, partitionKey: 'toYYYYMM(period_start)', partitions: [{ partition: '202001', minYmd: 20200101, maxYmd: 20200201, rows: 1, bytes: 1 }] },
        { table: 'flow_rollups_1d', exists: false, partitionKey: '', partitions: [] },
        snapshot('worker_checkpoints', ['20200101']),
      ],
    });
    expect(plan.tables.map((t) => [t.table, t.status])).toEqual([
      ['flow_windows', 'mismatch'],
      ['flow_discards', 'mismatch'],
      ['flow_rollups_1m', 'expire'],
      ['flow_rollups_1h', 'mismatch'],
      ['flow_rollups_1d', 'absent'],
      ['worker_checkpoints', 'held'],
    ]);
    expect(plan.drops.map((d) => `${d.table}/${d.partition}`)).toEqual(['flow_rollups_1m/20200101']);
    expect(plan.problems).toEqual([
      'flow_windows: partitioned by "toYYYYMM(window_start)", retention expects toYYYYMMDD(window_start); not touched',
      'flow_discards: partition "tuple()" is not a day of toYYYYMMDD(window_start); not touched',
      'flow_rollups_1h: partition 202001 holds rows dated 20200101..20200201, outside 2020-01-01..2020-01-31; not touched',
    ]);
    expect(plan.tables.find((t) => t.table === 'worker_checkpoints')!.reason).toBe('still read by the upgrade of partition 3');
  });

  it('refuses a policy that breaks the cross-table rules, with every problem at once', () => {
    const policy = { ...DEFAULTS, windowsDays: 10, rollups1hDays: 30 };
    expect(() => planRetention({ today: '2025-03-15', policy, tables: [] })).toThrow(
      expect.objectContaining({ code: 'ISO_CONFIG_INVALID', details: { problems: [expect.stringMatching(/^windowsDays=10 is shorter/), expect.stringMatching(/^rollups1hDays=30 drops 1 h rollups/)] } }),
    );
  });
});

// ---- against a brute-force oracle -------------------------------------------------------------

/** Every 'YYYY-MM-DD' a partition value can hold, by stepping a Date one day at a time. */
function daysOf(partition: string): string[] {
  const y = Number(partition.slice(0, 4));
  const m = partition.length >= 6 ? Number(partition.slice(4, 6)) - 1 : 0;
  const d = partition.length === 8 ? Number(partition.slice(6, 8)) : 1;
  const start = new Date(Date.UTC(y, m, d));
  const out: string[] = [];
  for (const t = new Date(start); ; t.setUTCDate(t.getUTCDate() + 1)) {
    if (t.getUTCFullYear() !== y) break;
    if (partition.length >= 6 && t.getUTCMonth() !== m) break;
    if (partition.length === 8 && t.getUTCDate() !== d) break;
    out.push(t.toISOString().slice(0, 10));
  }
  return out;
}

describe('planRetention, against brute force', () => {
  it('drops a partition exactly when every day it can hold is before today minus the days kept, and never the one holding today', () => {
    const day0 = Date.UTC(2019, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }), // today, days after 2019-01-01
        fc.integer({ min: 2, max: 900 }), // days kept (all levels equal keeps the policy consistent)
        fc.array(fc.integer({ min: -1200, max: 5 }), { minLength: 1, maxLength: 12 }), // partition offsets from today
        (todayOffset, keep, offsets) => {
          const todayDate = new Date(day0 + todayOffset * 86_400_000);
          const today = todayDate.toISOString().slice(0, 10);
          const cut = new Date(todayDate.getTime() - keep * 86_400_000).toISOString().slice(0, 10);
          const policy: RetentionPolicy = { windowsDays: keep, rollups1mDays: keep, rollups1hDays: keep, rollups1dDays: keep, legacyCheckpointsDays: keep, replayHorizonDays: 1 };
          const at = (o: number) => new Date(todayDate.getTime() + o * 86_400_000).toISOString().replace(/-/g, '');
          const daily = [...new Set(offsets.map((o) => at(o).slice(0, 8)))];
          const monthly = [...new Set(offsets.map((o) => at(o).slice(0, 6)))];
          const yearly = [...new Set(offsets.map((o) => at(o).slice(0, 4)))];
          const plan = planRetention({
            today,
            policy,
            tables: [snapshot('flow_windows', daily), snapshot('flow_rollups_1h', monthly), snapshot('flow_rollups_1d', yearly)],
          });
          expect(plan.problems).toEqual([]);
          for (const [table, parts] of [['flow_windows', daily], ['flow_rollups_1h', monthly], ['flow_rollups_1d', yearly]] as const) {
            const expected = parts.filter((p) => daysOf(p).every((d) => d < cut)).sort();
            expect(dropped(plan, table)).toEqual(expected);
            for (const p of dropped(plan, table)) expect(daysOf(p)).not.toContain(today);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
