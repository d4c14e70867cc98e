// Rollups on the real server never double count. Windows from the metric engine are inserted,
// re-emitted (inserted again, identical) and completed by late windows in periods that were
// already rolled up; after each refresh every row of the 1 min, 1 h and 1 day tables must equal
// an aggregation written out in this test over the distinct base windows (sums, min, max, the
// bucket-wise merged histogram and its nearest-rank quantiles, the last RFC 3550 jitter sample,
// availability from summed times). A rebuild from the base windows alone must give the same
// rows; each 1 h row must also equal the aggregation of its 1 min rows, each 1 day row that of
// its 1 h rows; and quantiles of a clean flow must lie within the histogram's bound of the exact
// nearest-rank quantiles of its raw samples.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/stack.ts';
import { MetricEngine } from '../../core/engine/engine.ts';
import { generateFlow, type GenOptions } from '../../core/engine/stream-gen.ts';
import { makeBatch, type RawFlow } from '../../core/engine/testkit.ts';
import type { WindowRow } from '../../core/engine/window-row.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, type DecodedBatch } from '../../core/wire/batch.ts';
import type { ClickHouse } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { ROLLUP_COLUMNS } from './rollup-columns.ts';
import { flowRollupSeriesSql, flowRollupSummarySql, segmentRollupSummarySql } from './rollup-queries.ts';
import { rebuildRollups, refreshRollups } from './rollups.ts';
import { windowRecord } from './window-columns.ts';

const S = 1_000_000_000n;
const MIN = 60n * S;
const HOUR = 3_600n * S;
const DAY = 86_400n * S;
const PERIODS = [['flow_rollups_1m', MIN], ['flow_rollups_1h', HOUR], ['flow_rollups_1d', DAY]] as const;
/** 2025-11-21 17:00:23 UTC: the data runs past midnight into the next day. */
const START = 1_763_683_200n * S + 17n * HOUR + 23n * S;
const GAMMA = (1 + 0.005) / (1 - 0.005);

// ---------------------------------------------------------------------------------------------
// Base windows

function runEngine(batches: DecodedBatch[]): WindowRow[] {
  const engine = new MetricEngine({ windowNs: 1_000_000_000, allowedLatenessNs: 400_000_000 });
  for (const b of batches) engine.ingest(0, b);
  return [...engine.drain().windows, ...engine.flushPartition(0).windows];
}

const GEN: Omit<GenOptions, 'seed' | 'flowId' | 'device' | 'withAvailability'> = {
  packets: 12_000, periodNs: 20_000_000, t0Ns: 1_700_000_000_000_000_000n, seqBits: 16, lossProb: 0.02, burstProb: 0.004,
  reportProb: 0.3, dupProb: 0.02, corruptProb: 0.005, unsyncedProb: 0.03, negativeProb: 0.01, lateProb: 0.02, lateMaxNs: 300_000_000,
  restart: false, garbageProb: 0,
};

/**
 * Realistic rows (loss, duplicates, reordering, unsynchronised clocks, with and without an
 * availability profile), moved onto a sparse timeline: groups of 4 windows 13 s apart, one group
 * every 797 s, so a minute holds 1-4 windows, an hour several groups, and the run crosses midnight.
 * Flow tsn-7 hands over between two segments inside minutes.
 */
function messyRows(): WindowRow[] {
  const flows: [RawFlow, string][] = [
    [generateFlow({ ...GEN, seed: 11, flowId: 'qfi-1', device: 'dev-a', withAvailability: true }), 'seg-1'],
    [generateFlow({ ...GEN, seed: 12, flowId: 'qfi-2', device: 'dev-a', withAvailability: false }), 'seg-1'],
    [generateFlow({ ...GEN, seed: 13, flowId: 'tsn-7', device: 'dev-c', withAvailability: true }), 'handover'],
  ];
  const out: WindowRow[] = [];
  for (const [flow, segment] of flows) {
    const rows = runEngine([makeBatch(flow.identity, [{ flow, samples: flow.samples }])]).sort((a, b) => (a.windowStartNs < b.windowStartNs ? -1 : 1));
    rows.forEach((r, i) => {
      const seconds = BigInt(Math.floor(i / 4) * 797 + (i % 4) * 13);
      out.push({ ...r, windowStartNs: START + seconds * S, segmentId: segment === 'handover' ? (i % 4 === 3 ? 'seg-2' : 'seg-1') : segment });
    });
  }
  return out;
}

/** A clean flow (every sample received, synced, in order) whose raw delays the test keeps. */
function cleanFlow(): { rows: WindowRow[]; sendNs: bigint[]; delays: number[] } {
  const n = 75_000; // 150 s at 2 ms, starting 17 s before a minute boundary
  const t0 = START + 5n * HOUR - 23n * S - 17n * S;
  let s = 987654321;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const delays = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? 6_000_000 + Math.round(2_000_000 * rnd()) : Math.round(400_000 / Math.pow(rnd() || 1e-9, 1 / 1.7))));
  const batch: DecodedBatch = {
    schemaVersion: 1,
    identity: { enterpriseId: 'ent-1', siteId: 'site-1', networkType: 'tsn', segmentId: 'seg-1', deviceId: 'dev-d' },
    createdNs: 0n,
    sampleCount: n,
    flows: [{
      flowId: 'clean', seqBits: 32, count: n, baseSendNs: t0,
      seq: Uint32Array.from({ length: n }, (_, i) => i), sendOffsetNs: Float64Array.from({ length: n }, (_, i) => i * 2_000_000),
      delayNs: Float64Array.from(delays), sizeBytes: new Uint32Array(n).fill(100), flags: new Uint8Array(n).fill(FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
      transferIntervalNs: 2_000_000, maxLatencyNs: 5_000_000, survivalTimeNs: 4_000_000,
    }],
  };
  return { rows: runEngine([batch]), sendNs: Array.from({ length: n }, (_, i) => t0 + BigInt(i * 2_000_000)), delays };
}

// ---------------------------------------------------------------------------------------------
// The aggregation the rollups must equal, written independently of rollup-columns.ts

type Value = bigint | number | null | number[];
type Row = Record<string, Value>;
/** Values of one base window or rollup row, and where it belongs (identity, start). */
interface Part {
  readonly ids: string[];
  readonly start: bigint;
  readonly v: Row;
}

const IDENTITY = ['enterprise_id', 'site_id', 'network_type', 'segment_id', 'device_id', 'flow_id'];
const INT_SUM = ['windows', 'covered_ns', 'sent_packets', 'received_packets', 'lost_packets', 'duplicate_packets', 'corrupt_packets',
  'unreceived_reports', 'unsynced_packets', 'negative_delay_packets', 'seq_restarts', 'received_bytes', 'owd_count', 'ipdv_count',
  'reordered_packets', 'reorder_extent_sum', 'reorder_extent_capped', 'loss_periods', 'deadline_sent_packets'];
const INT_MAX = ['last_window_start_ns', 'loss_wait_ns', 'loss_burst_max_packets'];
const INT_MIN = ['first_window_start_ns'];
const FLOAT_SUM = ['owd_sum_ns', 'ipdv_sum_ns', 'ipdv_abs_sum_ns'];
const NULLABLE_SUM = ['deadline_met_packets', 'deadline_miss_packets', 'avail_expected_ns', 'downtime_ns', 'up_down_transitions'];
const NULLABLE_MIN = ['owd_min_ns', 'ipdv_min_ns'];
const NULLABLE_MAX = ['owd_max_ns', 'ipdv_max_ns', 'reorder_extent_max', 'max_latency_ns', 'transfer_interval_ns', 'survival_time_ns'];
const INTS = new Set([...INT_SUM, ...INT_MAX, ...INT_MIN, 'period_start_ns']);
const QUANTILES: [number, string][] = [[0.5, 'owd_p50_ns'], [0.9, 'owd_p90_ns'], [0.99, 'owd_p99_ns'], [0.999, 'owd_p999_ns'], [0.9999, 'owd_p9999_ns']];

/** A base window as a part of a period: one window, its own start as first/last. */
function partFromWindow(w: WindowRow): Part {
  const r = windowRecord(w) as Record<string, unknown>;
  const part: Row = {};
  for (const c of [...INT_SUM, ...INT_MAX, ...INT_MIN, ...FLOAT_SUM, ...NULLABLE_SUM, ...NULLABLE_MIN, ...NULLABLE_MAX]) {
    if (c in r) part[c] = INTS.has(c) ? BigInt(r[c] as number) : (r[c] as number | null);
  }
  part.windows = 1n;
  part.covered_ns = BigInt(w.windowNs);
  part.first_window_start_ns = w.windowStartNs;
  part.last_window_start_ns = w.windowStartNs;
  part.deadline_sent_packets = w.deadlineMetPackets === null ? 0n : BigInt(w.sentPackets);
  part.jitter_rfc3550_ns = w.jitterRfc3550Ns;
  part.owd_hist_keys = w.owdHistKeys;
  part.owd_hist_counts = w.owdHistCounts;
  return { v: part, start: w.windowStartNs, ids: IDENTITY.map((c) => String(r[c])) };
}

/** A rollup row read from ClickHouse as a part of a coarser period. */
function partFromRollup(db: Record<string, unknown>): Part {
  const v = parseRow(db);
  return { v, start: v.period_start_ns as bigint, ids: IDENTITY.map((c) => String(db[c])) };
}

function parseRow(db: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [c, v] of Object.entries(db)) {
    if (IDENTITY.includes(c) || c === 'period_start') continue;
    if (INTS.has(c)) out[c] = BigInt(v as string);
    else if (Array.isArray(v)) out[c] = v.map(Number);
    else out[c] = v as number | null;
  }
  return out;
}

const nonNull = (xs: Value[]) => xs.filter((x): x is number => x !== null) as number[];

function quantile(keys: number[], counts: number[], q: number): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n - 1e-6));
  let acc = 0;
  for (let i = 0; i < keys.length; i++) {
    acc += counts[i];
    if (acc >= rank) return keys[i] === -32768 ? 0 : (2 * GAMMA ** keys[i]) / (1 + GAMMA);
  }
  return null;
}

/** Merges parts of one (identity, period) into the expected rollup row. */
function merge(parts: Part[], periodStartNs: bigint): Row {
  const e: Row = { period_start_ns: periodStartNs };
  const col = (c: string) => parts.map((p) => p.v[c]);
  for (const c of INT_SUM) e[c] = (col(c) as bigint[]).reduce((a, b) => a + b, 0n);
  for (const c of INT_MAX) e[c] = (col(c) as bigint[]).reduce((a, b) => (b > a ? b : a));
  for (const c of INT_MIN) e[c] = (col(c) as bigint[]).reduce((a, b) => (b < a ? b : a));
  for (const c of FLOAT_SUM) e[c] = (col(c) as number[]).reduce((a, b) => a + b, 0);
  for (const c of NULLABLE_SUM) e[c] = nonNull(col(c)).length === 0 ? null : nonNull(col(c)).reduce((a, b) => a + b, 0);
  for (const c of NULLABLE_MIN) e[c] = nonNull(col(c)).length === 0 ? null : Math.min(...nonNull(col(c)));
  for (const c of NULLABLE_MAX) e[c] = nonNull(col(c)).length === 0 ? null : Math.max(...nonNull(col(c)));
  const n = (c: string) => Number(e[c] as bigint);
  e.loss_ratio = n('sent_packets') === 0 ? null : n('lost_packets') / n('sent_packets');
  e.duplication_fraction = n('received_packets') === 0 ? null : n('duplicate_packets') / n('received_packets');
  e.owd_mean_ns = n('owd_count') === 0 ? null : (e.owd_sum_ns as number) / n('owd_count');
  e.ipdv_mean_abs_ns = n('ipdv_count') === 0 ? null : (e.ipdv_abs_sum_ns as number) / n('ipdv_count');
  e.reordered_ratio = n('received_packets') === 0 ? null : n('reordered_packets') / n('received_packets');
  e.reorder_extent_mean = n('reordered_packets') === 0 ? null : n('reorder_extent_sum') / n('reordered_packets');
  e.reliability = n('deadline_sent_packets') === 0 ? null : (e.deadline_met_packets as number) / n('deadline_sent_packets');
  const expected = e.avail_expected_ns as number | null;
  const down = e.downtime_ns as number | null;
  const transitions = e.up_down_transitions as number | null;
  e.availability = expected !== null && expected > 0 ? Math.min(1, Math.max(0, 1 - (down as number) / expected)) : null;
  e.mtbf_ns = transitions !== null && transitions > 0 ? ((expected as number) - (down as number)) / transitions : null;
  // Bucket-wise sum of the histograms, then nearest rank.
  const buckets = new Map<number, number>();
  for (const { v } of parts) (v.owd_hist_keys as number[]).forEach((k, i) => buckets.set(k, (buckets.get(k) ?? 0) + (v.owd_hist_counts as number[])[i]));
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  e.owd_hist_keys = keys;
  e.owd_hist_counts = keys.map((k) => buckets.get(k)!);
  for (const [q, c] of QUANTILES) e[c] = quantile(keys, e.owd_hist_counts, q);
  // RFC 3550 jitter: the latest sample (part with the latest last window among those that have one).
  const sampled = parts.map((p) => p.v).filter((v) => v.jitter_rfc3550_ns !== null).sort((a, b) => ((a.last_window_start_ns as bigint) < (b.last_window_start_ns as bigint) ? -1 : 1));
  e.jitter_rfc3550_ns = sampled.length === 0 ? null : (sampled[sampled.length - 1].jitter_rfc3550_ns as number);
  return e;
}

function aggregate(parts: Part[], periodNs: bigint): Map<string, Row> {
  const groups = new Map<string, { start: bigint; parts: Part[] }>();
  for (const p of parts) {
    const start = (p.start / periodNs) * periodNs;
    const k = `${p.ids.join('|')}|${start}`;
    if (!groups.has(k)) groups.set(k, { start, parts: [] });
    groups.get(k)!.parts.push(p);
  }
  return new Map([...groups].map(([k, g]) => [k, merge(g.parts, g.start)]));
}

async function readTable(ch: ClickHouse, table: string): Promise<Record<string, unknown>[]> {
  return ch.query(`SELECT * FROM ${table} FINAL ORDER BY ${IDENTITY.join(', ')}, period_start_ns`);
}

function keyOf(db: Record<string, unknown>): string {
  return `${IDENTITY.map((c) => String(db[c])).join('|')}|${String(db.period_start_ns)}`;
}

function expectRowsEqual(actual: Record<string, unknown>[], expected: Map<string, Row>, label: string): void {
  expect(actual.map(keyOf).sort(), `${label}: rollup keys`).toEqual([...expected.keys()].sort());
  for (const db of actual) {
    const got = parseRow(db);
    const want = expected.get(keyOf(db))!;
    expect(BigInt(Date.parse(`${String(db.period_start).replace(' ', 'T')}Z`)) * 1_000_000n, `${label}: period_start`).toBe(want.period_start_ns);
    for (const [c, w] of Object.entries(want)) {
      const g = got[c];
      const where = `${label} ${keyOf(db)} ${c}`;
      if (typeof w === 'bigint' || w === null || Array.isArray(w)) expect(g, where).toEqual(w);
      else if (c.startsWith('owd_p')) {
        // Stored quantiles are the bucket value rounded to whole ns (rollup-columns.ts).
        expect(Math.abs((g as number) - w), `${where}: ${String(g)} vs ${w}`).toBeLessThanOrEqual(0.5 + 1e-9 * w);
      } else expect(Math.abs((g as number) - w), `${where}: ${String(g)} vs ${w}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    }
  }
}

/** Every level against the aggregation of the distinct base windows inserted so far. */
async function expectRollupsOf(ch: ClickHouse, windows: WindowRow[], label: string): Promise<void> {
  const distinct = new Map(windows.map((w) => [`${w.enterpriseId}|${w.siteId}|${w.segmentId}|${w.deviceId}|${w.flowId}|${w.windowStartNs}`, w]));
  const parts = [...distinct.values()].map(partFromWindow);
  for (const [table, periodNs] of PERIODS) expectRowsEqual(await readTable(ch, table), aggregate(parts, periodNs), `${label} ${table}`);
}

// ---------------------------------------------------------------------------------------------

describe('rollups on the real server', () => {
  let ch: ClickHouse;
  let database: string;
  let drop: () => Promise<void>;
  const messy = messyRows();
  const clean = cleanFlow();
  const all = [...messy, ...clean.rows];
  // About 30 % of the windows arrive late, after their periods were rolled up.
  const isLate = (i: number) => (i * 2654435761) % 1000 < 300;
  const early = all.filter((_, i) => !isLate(i));
  const late = all.filter((_, i) => isLate(i));

  beforeAll(async () => {
    ({ ch, database, drop } = await freshDatabase('rollups'));
    await migrate(ch, database, loadMigrations(path.resolve('sql')));
  });
  afterAll(() => drop());

  it('has the columns rollup-columns.ts computes, with the same types, in all three tables', async () => {
    for (const [table] of PERIODS) {
      const described = await ch.query<{ name: string; type: string }>(`DESCRIBE TABLE ${table}`);
      expect(described.map((d) => [d.name, d.type]), table).toEqual(ROLLUP_COLUMNS.map((c) => [c.column, c.type]));
    }
  });

  it('never double counts: re-emitted windows, late windows, repeated refreshes', async () => {
    const minutes = (ws: WindowRow[], p: bigint) => new Set(ws.map((w) => `${w.deviceId}|${w.flowId}|${w.windowStartNs / p}`));
    for (const [, p] of PERIODS) {
      const before = minutes(early, p);
      expect([...minutes(late, p)].filter((m) => before.has(m)).length, `late windows in already rolled-up periods of ${p} ns`).toBeGreaterThan(5);
    }

    await ch.insert('flow_windows', early.map(windowRecord));
    await refreshRollups(ch, early);
    await expectRollupsOf(ch, early, 'first insert');

    // Re-emission: the same rows again (whole, then a part as records), each followed by a refresh.
    await ch.insert('flow_windows', early.map(windowRecord));
    await refreshRollups(ch, early);
    const part = early.filter((_, i) => i % 3 === 0).map(windowRecord);
    await ch.insert('flow_windows', part);
    await refreshRollups(ch, part);
    await expectRollupsOf(ch, early, 're-emitted');

    // Late windows into periods that already have rollup rows.
    await ch.insert('flow_windows', late.map(windowRecord));
    await refreshRollups(ch, late);
    await expectRollupsOf(ch, all, 'late windows');

    // Everything re-emitted once more, refreshed in small statements (many per level).
    await ch.insert('flow_windows', all.map(windowRecord));
    const { statements } = await refreshRollups(ch, all, { maxStatementBytes: 16_384 });
    expect(statements).toBeGreaterThan(3);
    await expectRollupsOf(ch, all, 'all re-emitted');
  });

  it('1 h rows aggregate their 1 min rows, 1 day rows their 1 h rows', async () => {
    const m = (await readTable(ch, 'flow_rollups_1m')).map(partFromRollup);
    const h = await readTable(ch, 'flow_rollups_1h');
    expectRowsEqual(h, aggregate(m, HOUR), '1h from 1m rows');
    expectRowsEqual(await readTable(ch, 'flow_rollups_1d'), aggregate(h.map(partFromRollup), DAY), '1d from 1h rows');
  });

  it('a less complete recomputation never wins; rebuilding from the base windows gives identical rows, in a fresh database and in place', async () => {
    const before = await Promise.all(PERIODS.map(([t]) => readTable(ch, t)));
    const fromNs = all.reduce((a, w) => (w.windowStartNs < a ? w.windowStartNs : a), all[0].windowStartNs);
    const toNs = all.reduce((a, w) => (w.windowStartNs > a ? w.windowStartNs : a), 0n) + S;

    const other = await freshDatabase('rollups_rebuild');
    try {
      await migrate(other.ch, other.database, loadMigrations(path.resolve('sql')));
      // A refresh that saw fewer windows and finishes last (two workers racing over a period
      // during a rebalance): its rows land after the complete ones and must not replace them.
      await other.ch.insert('flow_windows', early.map(windowRecord));
      await refreshRollups(other.ch, early);
      for (const [t] of PERIODS) await ch.command(`INSERT INTO ${t} SELECT * FROM ${other.database}.${t}`);
      await expectRollupsOf(ch, all, 'stale rows inserted last');

      // From scratch: empty rollup tables, every base window, one rebuild.
      for (const [t] of PERIODS) await other.ch.command(`TRUNCATE TABLE ${t}`);
      await other.ch.insert('flow_windows', late.map(windowRecord));
      await rebuildRollups(other.ch, fromNs, toNs);
      expect(await Promise.all(PERIODS.map(([t]) => readTable(other.ch, t)))).toEqual(before);
    } finally {
      await other.drop();
    }
    await rebuildRollups(ch, fromNs, toNs);
    expect(await Promise.all(PERIODS.map(([t]) => readTable(ch, t)))).toEqual(before);
  });

  it('quantiles of merged histograms stay within the bucket bound of the exact quantiles of the raw samples', async () => {
    const rows = (await ch.query<Record<string, unknown>>(`SELECT * FROM flow_rollups_1m FINAL WHERE flow_id = 'clean' ORDER BY period_start_ns`)).map(parseRow);
    expect(rows.length).toBe(4);
    for (const r of rows) {
      const p = r.period_start_ns as bigint;
      const sorted = clean.delays.filter((_, i) => clean.sendNs[i] >= p && clean.sendNs[i] < p + MIN).sort((a, b) => a - b);
      expect(Number(r.owd_count)).toBe(sorted.length);
      for (const [q, c] of QUANTILES) {
        const exact = sorted[Math.max(1, Math.ceil(q * sorted.length - 1e-6)) - 1];
        const got = r[c] as number;
        // 0.5 % relative (alpha of the DDSketch mapping) plus 0.5 ns of rounding.
        expect(Math.abs(got - exact), `${String(p)} ${c}: ${got} vs exact ${exact}`).toBeLessThanOrEqual(0.005 * exact + 0.5);
      }
    }
  });

  it('summary and series queries equal the aggregation of the base windows', async () => {
    const flowA = { enterpriseId: 'ent-1', deviceId: 'dev-a', flowId: 'qfi-1' };
    const fromNs = (START / HOUR) * HOUR + HOUR;
    const toNs = fromNs + 4n * HOUR;
    const inRange = (w: WindowRow) => w.windowStartNs >= fromNs && w.windowStartNs < toNs;
    const sum = (ws: WindowRow[], f: (w: WindowRow) => number | null) => ws.reduce((a, w) => a + (f(w) ?? 0), 0);
    const check = (got: Record<string, unknown>, ws: WindowRow[], label: string) => {
      expect(ws.length, label).toBeGreaterThan(10);
      const merged = merge(ws.map(partFromWindow), 0n);
      expect(Number(got.windows), label).toBe(ws.length);
      expect(Number(got.sent_packets), label).toBe(sum(ws, (w) => w.sentPackets));
      expect(Number(got.lost_packets), label).toBe(sum(ws, (w) => w.lostPackets));
      expect(got.loss_ratio, label).toBeCloseTo(sum(ws, (w) => w.lostPackets) / sum(ws, (w) => w.sentPackets), 12);
      expect(got.owd_min_ns, label).toBe(Math.min(...ws.filter((w) => w.owdMinNs !== null).map((w) => w.owdMinNs!)));
      expect(got.owd_max_ns, label).toBe(Math.max(...ws.filter((w) => w.owdMaxNs !== null).map((w) => w.owdMaxNs!)));
      for (const [, c] of QUANTILES) expect(Math.abs((got[c] as number) - (merged[c] as number)), `${label} ${c}`).toBeLessThanOrEqual(0.5 + 1e-9 * (merged[c] as number));
      expect(Number(got.up_down_transitions), label).toBe(sum(ws, (w) => w.upDownTransitions));
      expect(got.availability, label).toBeCloseTo(merged.availability as number, 12);
      if (merged.mtbf_ns === null) expect(got.mtbf_ns, label).toBeNull();
      else expect(Math.abs((got.mtbf_ns as number) / (merged.mtbf_ns as number) - 1), `${label} mtbf`).toBeLessThan(1e-12);
    };

    const flowWindows = all.filter((w) => w.deviceId === 'dev-a' && w.flowId === 'qfi-1' && inRange(w));
    for (const period of ['1m', '1h'] as const) {
      const [got] = await ch.query(flowRollupSummarySql(period, flowA, fromNs, toNs));
      check(got, flowWindows, `flow summary ${period}`);
    }
    const series = await ch.query(flowRollupSeriesSql('1h', flowA, fromNs, toNs));
    expect(series.map((r) => BigInt(r.period_start_ns as string))).toEqual([0n, 1n, 2n, 3n].map((i) => fromNs + i * HOUR));
    for (const r of series) {
      const p = BigInt(r.period_start_ns as string);
      check(r, flowWindows.filter((w) => w.windowStartNs >= p && w.windowStartNs < p + HOUR), `series ${p}`);
    }

    // Segment seg-2 holds only the handed-over windows of tsn-7; seg-1 holds four flows.
    const seg2 = all.filter((w) => w.segmentId === 'seg-2' && inRange(w));
    const [gotSeg2] = await ch.query(segmentRollupSummarySql('1m', { enterpriseId: 'ent-1', networkType: 'tsn', segmentId: 'seg-2' }, fromNs, toNs));
    check(gotSeg2, seg2, 'segment seg-2');
    expect(Number(gotSeg2.flows)).toBe(1);
    const [gotDay] = await ch.query(segmentRollupSummarySql('1d', { enterpriseId: 'ent-1', networkType: 'tsn', segmentId: 'seg-1' }, (START / DAY) * DAY, (START / DAY) * DAY + DAY));
    const day = all.filter((w) => w.segmentId === 'seg-1' && w.windowStartNs / DAY === START / DAY);
    check(gotDay, day, 'segment seg-1, first day');
    expect(Number(gotDay.flows)).toBe(4);
  });
});
