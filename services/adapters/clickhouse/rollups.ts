// Rollups at 1 min, 1 h and 1 day that never double count. A materialized view would aggregate
// every inserted block, so a re-emitted window (at-least-once delivery) would be counted again.
// Instead each touched (flow, period) is recomputed from deduplicated input: 1 min rows from
// flow_windows FINAL, 1 h rows from flow_rollups_1m FINAL, 1 day rows from flow_rollups_1h FINAL,
// with INSERT ... SELECT into ReplacingMergeTree tables versioned by `windows` (the number of
// base windows in the row). Windows are only ever added and a re-emitted window is identical,
// so the most complete recomputation has the highest version and wins; recomputing any number
// of times, in any order, converges to the same rows a rebuild from the base windows gives.
// docs/rollups.md has the table layout and the reasoning.
import type { ClickHouse } from './client.ts';
import { IsochronError } from '../../core/errors.ts';
import { sqlDateTime, sqlIdentifier, sqlInt, sqlString } from './literal.ts';
import { aggregateList, IDENTITY_COLUMNS, outputList, ROLLUP_COLUMNS, ROLLUP_LEVELS, type RollupLevel } from './rollup-columns.ts';

/** A window that was just inserted into flow_windows (the engine's WindowRow fits). */
export interface TouchedWindow {
  readonly enterpriseId: string;
  readonly siteId?: string;
  readonly deviceId: string;
  readonly flowId: string;
  readonly windowStartNs: bigint;
}

/** A WindowRow, or the JSONEachRow record of one (window-columns.ts windowRecord). */
export type Touched = TouchedWindow | Readonly<Record<string, unknown>>;

export interface RollupOptions {
  /**
   * Upper bound on the UTF-8 size of one statement. ClickHouse refuses queries longer than its
   * max_query_size (262144 bytes by default), so the touched flows are split into statements
   * below this size (about 2000 flows per statement with typical identifiers).
   */
  readonly maxStatementBytes?: number;
}

export const DEFAULT_MAX_STATEMENT_BYTES = 200_000;
/** A statement without its flow lists is about 8 KB; leave room for a useful number of flows. */
const MIN_STATEMENT_BYTES = 16_384;
const NS_PER_S = 1_000_000_000n;
const HOUR_NS = 3_600n * NS_PER_S;
const DAY_NS = 86_400n * NS_PER_S;

export interface RefreshResult {
  readonly statements: number;
  /** Distinct (flow, period) pairs recomputed, over all three levels. */
  readonly flowPeriods: number;
}

/**
 * Recomputes every (flow, period) at 1 min, 1 h and 1 day that the given windows fall in. Call
 * it after the windows are durable in flow_windows and before their input offsets are
 * committed; it is idempotent, so a retry (or a re-emission after a crash) is always safe.
 */
export async function refreshRollups(ch: ClickHouse, touched: Iterable<Touched>, options: RollupOptions = {}): Promise<RefreshResult> {
  const plan = refreshPlan(touched, options);
  for (const sql of plan.statements) await ch.command(sql);
  return { statements: plan.statements.length, flowPeriods: plan.flowPeriods };
}

/**
 * Recomputes every rollup row that overlaps [fromNs, toNs) from the base windows. The range is
 * widened to whole UTC days, so the 1 h and 1 day rows it touches are complete. Bounded
 * statements: 1 min rows one hour of base windows at a time, 1 h and 1 day rows one day at a time.
 */
export async function rebuildRollups(ch: ClickHouse, fromNs: bigint, toNs: bigint): Promise<{ statements: number }> {
  const statements = rebuildStatements(fromNs, toNs);
  for (const sql of statements) await ch.command(sql);
  return { statements: statements.length };
}

interface FlowPeriod {
  readonly enterpriseId: string;
  readonly siteId: string | undefined;
  readonly deviceId: string;
  readonly flowId: string;
  readonly periodStartNs: bigint;
}

/** The statements refreshRollups runs, in order (1 min, then 1 h, then 1 day). */
export function refreshStatements(touched: Iterable<Touched>, options: RollupOptions = {}): string[] {
  return refreshPlan(touched, options).statements;
}

function refreshPlan(touched: Iterable<Touched>, options: RollupOptions): { statements: string[]; flowPeriods: number } {
  const maxBytes = options.maxStatementBytes ?? DEFAULT_MAX_STATEMENT_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < MIN_STATEMENT_BYTES) {
    throw new IsochronError('CONFIG_INVALID', `maxStatementBytes must be an integer >= ${MIN_STATEMENT_BYTES} (got ${String(maxBytes)}); keep it below the server's max_query_size`);
  }
  const windows = [...touched].map(normalise);
  const statements: string[] = [];
  let flowPeriods = 0;
  for (const level of ROLLUP_LEVELS) {
    const byKey = new Map<string, FlowPeriod>();
    for (const w of windows) {
      const periodStartNs = (w.windowStartNs / level.periodNs) * level.periodNs;
      const k = `${w.enterpriseId}\u0000${w.siteId ?? '\u0001'}\u0000${w.deviceId}\u0000${w.flowId}\u0000${periodStartNs}`;
      if (!byKey.has(k)) byKey.set(k, { ...w, periodStartNs });
    }
    // Period first, so one statement covers few periods (and few partitions).
    const entries = [...byKey.values()].sort(comparePeriodThenFlow);
    flowPeriods += entries.length;
    statements.push(...chunkedStatements(level, entries, maxBytes));
  }
  return { statements, flowPeriods };
}

function normalise(t: Touched): FlowPeriod & { windowStartNs: bigint } {
  const r = t as Record<string, unknown>;
  const record = 'window_start_ns' in r;
  const enterpriseId = r[record ? 'enterprise_id' : 'enterpriseId'];
  const siteId = r[record ? 'site_id' : 'siteId'];
  const deviceId = r[record ? 'device_id' : 'deviceId'];
  const flowId = r[record ? 'flow_id' : 'flowId'];
  const start = r[record ? 'window_start_ns' : 'windowStartNs'];
  if (typeof enterpriseId !== 'string' || typeof deviceId !== 'string' || typeof flowId !== 'string' || (siteId !== undefined && typeof siteId !== 'string')) {
    throw new IsochronError('SQL_LITERAL_INVALID', 'a touched window needs string enterprise, device and flow ids (and site id when given)', { value: JSON.stringify([enterpriseId, siteId, deviceId, flowId]) });
  }
  let windowStartNs: bigint;
  if (typeof start === 'bigint') windowStartNs = start;
  else if ((typeof start === 'number' && Number.isSafeInteger(start)) || (typeof start === 'string' && /^\d{1,20}$/.test(start))) windowStartNs = BigInt(start);
  else throw new IsochronError('SQL_LITERAL_INVALID', 'window start must be an integer number of nanoseconds', { value: String(start) });
  if (windowStartNs < 0n) throw new IsochronError('SQL_LITERAL_INVALID', 'window start must not be negative', { value: String(start) });
  return { enterpriseId, siteId: siteId as string | undefined, deviceId, flowId, periodStartNs: 0n, windowStartNs };
}

function comparePeriodThenFlow(a: FlowPeriod, b: FlowPeriod): number {
  if (a.periodStartNs !== b.periodStartNs) return a.periodStartNs < b.periodStartNs ? -1 : 1;
  const x = `${a.enterpriseId}\u0000${a.deviceId}\u0000${a.flowId}\u0000${a.siteId ?? ''}`;
  const y = `${b.enterpriseId}\u0000${b.deviceId}\u0000${b.flowId}\u0000${b.siteId ?? ''}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Source columns a level filters on: the DateTime that partitions the source, and its ns start. */
function sourceTime(level: RollupLevel): { time: string; ns: string } {
  return level.source === 'flow_windows' ? { time: 'window_start', ns: 'window_start_ns' } : { time: 'period_start', ns: 'period_start_ns' };
}

/** INSERT ... SELECT of one level over the source rows that match `where`. */
export function rollupInsertSql(level: RollupLevel, where: string): string {
  const columns = ROLLUP_COLUMNS.map((c) => c.column).join(', ');
  return `INSERT INTO ${sqlIdentifier(level.table)} (${columns})
SELECT
  ${outputList()}
FROM (
  SELECT *, a_hist.1 AS h_keys, a_hist.2 AS h_counts, arrayCumSum(h_counts) AS h_cum, arraySum(h_counts) AS h_samples
  FROM (
    SELECT
  ${aggregateList(level)}
    FROM ${sqlIdentifier(level.source)} FINAL
    WHERE ${where}
    GROUP BY ${IDENTITY_COLUMNS.join(', ')}, p_ns
  )
)`;
}

/** Time bounds on the source: its partition column (for pruning) and the ns start. */
function rangeWhere(level: RollupLevel, fromNs: bigint, toNs: bigint): string {
  const { time, ns } = sourceTime(level);
  return `${time} >= ${sqlDateTime(Number(fromNs / NS_PER_S))} AND ${time} < ${sqlDateTime(Number((toNs + NS_PER_S - 1n) / NS_PER_S))}
      AND ${ns} >= ${sqlInt(fromNs, 'UInt64')} AND ${ns} < ${sqlInt(toNs, 'UInt64')}`;
}

function chunkedStatements(level: RollupLevel, entries: readonly FlowPeriod[], maxBytes: number): string[] {
  const out: string[] = [];
  const { ns } = sourceTime(level);
  const p = sqlInt(level.periodNs, 'UInt64');
  // Generous upper bound of the text around the lists (range literals are at most 20 digits each).
  const fixedBytes = Buffer.byteLength(rollupInsertSql(level, rangeWhere(level, 0n, 0n))) + 400;
  let chunk: FlowPeriod[] = [];
  let tuples: string[] = [];
  let enterprises = new Set<string>();
  let sites = new Set<string>();
  let bytes = fixedBytes;
  const emit = () => {
    if (chunk.length === 0) return;
    const from = chunk[0].periodStartNs;
    const to = chunk[chunk.length - 1].periodStartNs + level.periodNs;
    const anySiteUnknown = chunk.some((e) => e.siteId === undefined);
    const where = [
      rangeWhere(level, from, to),
      `enterprise_id IN (${[...enterprises].join(', ')})`,
      // Only to narrow the index range; the tuple below decides which flows are recomputed.
      ...(anySiteUnknown ? [] : [`site_id IN (${[...sites].join(', ')})`]),
      `(enterprise_id, device_id, flow_id, intDiv(${ns}, ${p}) * ${p}) IN (${tuples.join(', ')})`,
    ].join('\n      AND ');
    out.push(rollupInsertSql(level, where));
    chunk = [];
    tuples = [];
    enterprises = new Set();
    sites = new Set();
    bytes = fixedBytes;
  };
  for (const e of entries) {
    const tuple = `(${sqlString(e.enterpriseId)}, ${sqlString(e.deviceId)}, ${sqlString(e.flowId)}, ${sqlInt(e.periodStartNs, 'UInt64')})`;
    const ent = sqlString(e.enterpriseId);
    const site = e.siteId === undefined ? undefined : sqlString(e.siteId);
    let add = Buffer.byteLength(tuple) + 2;
    if (!enterprises.has(ent)) add += Buffer.byteLength(ent) + 2;
    if (site !== undefined && !sites.has(site)) add += Buffer.byteLength(site) + 2;
    if (chunk.length > 0 && bytes + add > maxBytes) {
      emit();
      add = Buffer.byteLength(tuple) + Buffer.byteLength(ent) + (site === undefined ? 0 : Buffer.byteLength(site)) + 6;
    }
    chunk.push(e);
    tuples.push(tuple);
    enterprises.add(ent);
    if (site !== undefined) sites.add(site);
    bytes += add;
  }
  emit();
  return out;
}

/** The statements rebuildRollups runs, in order: per UTC day, its 1 min rows, its 1 h rows, its 1 day row. */
export function rebuildStatements(fromNs: bigint, toNs: bigint): string[] {
  if (fromNs < 0n) throw new IsochronError('SQL_LITERAL_INVALID', 'rebuild range must not start before 1970', { value: String(fromNs) });
  if (toNs <= fromNs) return [];
  const [m, h, d] = ROLLUP_LEVELS;
  const out: string[] = [];
  const firstDay = (fromNs / DAY_NS) * DAY_NS;
  for (let day = firstDay; day < toNs; day += DAY_NS) {
    for (let hour = day; hour < day + DAY_NS; hour += HOUR_NS) out.push(rollupInsertSql(m, rangeWhere(m, hour, hour + HOUR_NS)));
    out.push(rollupInsertSql(h, rangeWhere(h, day, day + DAY_NS)));
    out.push(rollupInsertSql(d, rangeWhere(d, day, day + DAY_NS)));
  }
  return out;
}
