// npm run bench:audit — the compliance audit at the programme's size, on the shared test
// ClickHouse (ISOCHRON_CLICKHOUSE_URL, default http://127.0.0.1:38123) in a private database that
// is dropped at the end. Not a test: prints one JSON line per measurement on stdout and a summary
// on stderr. The machines are shared and noisy: read the ratios to the baselines measured in the
// same run, and the machine load printed with them.
//
//   npm run bench:audit                         50 000 enterprises x 30 days x 24 hourly rows
//   npm run bench:audit -- --enterprises 2000 --days 7 --repeat 3 --keep
//   npm run bench:audit -- --reuse bench_audit_xxx     measure again on a kept database (not dropped)
//
// Data, generated inside ClickHouse (INSERT ... SELECT FROM numbers()): one flow per enterprise,
// one flow_rollups_1h row per hour (3600 windows, 360 000 packets each), then the flow_rollups_1d
// rows computed from them by the project's rollup statement (rollupInsertSql, one day at a time),
// exactly as the worker's refresh would. Profiles from the shipped catalog, assigned at enterprise
// scope through the registry: even enterprises ITU-T Y.1541 class 1, odd ones 3GPP TR 38.913
// URLLC. Every 10th enterprise fails (PDV or deadline misses), every 100th has too little data,
// every 1000th has no assignment.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClickHouse, type ClickHouse } from '../../adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../../adapters/clickhouse/migrate.ts';
import { rollupInsertSql } from '../../adapters/clickhouse/rollups.ts';
import { rollupLevel } from '../../adapters/clickhouse/rollup-columns.ts';
import { sqlInt, sqlString } from '../../adapters/clickhouse/literal.ts';
import { loadProfiles } from '../../adapters/profiles/load.ts';
import { createRegistry } from '../../adapters/tenancy/registry.ts';
import { histogramKey } from '../../core/metrics/histogram.ts';
import { machineLoad } from '../../worker/bench/probe.ts';
import { createProgrammeAuditCache, enterpriseCompliance, programmeAudit, programmeAuditCsv, type ProgrammeAuditCache } from '../index.ts';

const { values: a } = parseArgs({
  options: {
    enterprises: { type: 'string', default: '50000' },
    days: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '3' },
    'single-repeat': { type: 'string', default: '9' },
    keep: { type: 'boolean', default: false },
    /** Measure on a database kept by an earlier --keep run (same --enterprises and --days). */
    reuse: { type: 'string' },
  },
  strict: true,
});
const positive = (name: string, raw: string) => {
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} ${raw}: give a positive integer`);
  return n;
};
const ENTERPRISES = positive('enterprises', a.enterprises!);
const DAYS = positive('days', a.days!);
const REPEAT = positive('repeat', a.repeat!);
const SINGLE_REPEAT = positive('single-repeat', a['single-repeat']!);
const CLICKHOUSE_URL = process.env.ISOCHRON_CLICKHOUSE_URL ?? 'http://127.0.0.1:38123';
const DATABASE = a.reuse ?? `bench_audit_${Date.now().toString(36)}`;

const S = 1_000_000_000n;
const HOUR = 3600n * S;
const DAY = 24n * HOUR;
const T0 = 1_761_955_200n * S; // 2025-11-01 00:00 UTC
const FROM = T0;
const TO = T0 + BigInt(DAYS) * DAY;
const HOURS = DAYS * 24;
/** Enterprises per statement when building the daily rows. */
const DAILY_CHUNK = 5000;

function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)];
}

let socketRetries = 0;

/**
 * Retries once when a pooled HTTP connection was closed by the server while idle (ClickHouse
 * 18.16 closes keep-alive connections after 3 s, Node's fetch keeps them for 4 s: a request
 * after 3..4 s of idling can meet a closed socket). Counted and printed: a retried run is slower.
 */
async function retryClosedSocket<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { code?: string }).code !== 'ISO_CLICKHOUSE_UNAVAILABLE') throw e;
    socketRetries++;
    return fn();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await retryClosedSocket(fn);
  return { ms: performance.now() - t, value };
}

async function repeatMs(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await timed(() => fn(i))).ms);
  return out;
}

const ENTERPRISE_ID = (e: string) => `concat('ent-', toString(100000 + ${e}))`;

/** The hourly rollup rows of every enterprise, generated in ClickHouse. */
function generateHourlySql(): string {
  const k1 = sqlInt(histogramKey(900_000), 'Int32');
  const k2 = sqlInt(histogramKey(950_000), 'Int32');
  const k80 = sqlInt(histogramKey(80_000_000), 'Int32');
  const t0s = sqlInt(T0 / S, 'UInt64');
  const nt = "Enum8('unspecified' = 0, '5g' = 1, 'tsn' = 2, 'industrial_ethernet' = 3, 'wifi6' = 4)";
  // e: enterprise number, h: hour; pdvFail: even and e % 10 = 4; missFail: odd and e % 10 = 7; thin: e % 100 = 1.
  return `INSERT INTO flow_rollups_1h (enterprise_id, site_id, network_type, segment_id, device_id, flow_id, period_start, period_start_ns,
  windows, covered_ns, first_window_start_ns, last_window_start_ns, loss_wait_ns, sent_packets, received_packets, lost_packets,
  owd_count, owd_min_ns, owd_max_ns, owd_sum_ns, owd_hist_keys, owd_hist_counts, loss_burst_max_packets,
  max_latency_ns, deadline_met_packets, deadline_miss_packets, deadline_sent_packets)
SELECT ${ENTERPRISE_ID('e')}, 's1', CAST(if(e % 3 = 0, '5g', 'tsn') AS ${nt}), 'seg-1', concat('88.', toString(e + 1), '/d1'), 'f1',
  toDateTime(${t0s} + h * 3600), (${t0s} + h * 3600) * 1000000000,
  3600, 3600000000000, (${t0s} + h * 3600) * 1000000000, (${t0s} + h * 3600 + 3599) * 1000000000, 3000000000,
  sent, sent - lost, lost, owd, 900000., if(pdvFail, 80000000., 950000.), owd * 925000.,
  if(pdvFail, [${k1}, ${k2}, ${k80}], [${k1}, ${k2}]),
  if(pdvFail, [owd - intDiv(owd, 2) - intDiv(owd, 100), intDiv(owd, 2), intDiv(owd, 100)], [owd - intDiv(owd, 2), intDiv(owd, 2)]),
  if(lost > 0, 5, 0),
  if(e % 2 = 1, 1000000., NULL), if(e % 2 = 1, toFloat64(owd - miss), NULL), if(e % 2 = 1, toFloat64(miss), NULL), if(e % 2 = 1, sent, 0)
FROM (
  SELECT e, h, sent, lost, sent - lost AS owd, pdvFail, if(e % 2 = 1 AND e % 10 = 7, 1000, 0) AS miss
  FROM (
    SELECT intDiv(number, ${HOURS}) AS e, number % ${HOURS} AS h, if(e % 100 = 1, toUInt64(100), toUInt64(360000)) AS sent,
      if(e % 10 = 3 AND h = 100, toInt64(50), toInt64(0)) AS lost, (e % 2 = 0 AND e % 10 = 4) AS pdvFail
    FROM numbers(${ENTERPRISES * HOURS})
  )
)`;
}

async function setUp(ch: ClickHouse): Promise<{ rows1h: number; rows1d: number; generateMs: number; dailyMs: number; registryMs: number }> {
  await migrate(ch, DATABASE, loadMigrations(fileURLToPath(new URL('../../../sql/', import.meta.url))));
  const gen = await timed(() => ch.command(generateHourlySql()));
  const daily = await timed(async () => {
    // Chunks of enterprises (the primary key's prefix), every day at once: each statement reads
    // only its enterprises' hourly rows.
    const level = rollupLevel('1d');
    for (let e = 0; e < ENTERPRISES; e += DAILY_CHUNK) {
      const lo = sqlString(`ent-${100000 + e}`);
      const hi = sqlString(`ent-${100000 + Math.min(ENTERPRISES, e + DAILY_CHUNK)}`);
      await ch.command(rollupInsertSql(level, `enterprise_id >= ${lo} AND enterprise_id < ${hi} AND period_start_ns >= ${sqlInt(FROM, 'UInt64')} AND period_start_ns < ${sqlInt(TO, 'UInt64')}`));
    }
    // What background merges do over time, done now so FINAL reads merged parts as in steady state.
    await ch.command('OPTIMIZE TABLE flow_rollups_1d FINAL');
  });
  const registry = createRegistry(ch);
  const reg = await timed(async () => {
    const ids = Array.from({ length: ENTERPRISES }, (_, e) => e);
    await registry.putEnterprises(ids.map((e) => ({
      enterpriseId: `ent-${100000 + e}`, name: `Enterprise ${e}`, region: `region-${e % 8}`, industry: ['automotive', 'steel', 'chemicals', 'electronics', 'food'][e % 5], identifierPrefix: `88.${e + 1}`,
    })));
    await registry.assign(ids.filter((e) => e % 1000 !== 999).map((e) => ({
      enterpriseId: `ent-${100000 + e}`, scope: 'enterprise' as const, siteId: '', deviceId: '', flowId: '',
      profileId: e % 2 === 0 ? 'itu-y1541-class-1' : '3gpp-tr38913-urllc', profileVersion: 1,
    })));
  });
  const [c1h] = await ch.query<{ n: string }>('SELECT count() AS n FROM flow_rollups_1h');
  const [c1d] = await ch.query<{ n: string }>('SELECT count() AS n FROM flow_rollups_1d FINAL');
  return { rows1h: Number(c1h.n), rows1d: Number(c1d.n), generateMs: gen.ms, dailyMs: daily.ms, registryMs: reg.ms };
}

async function counts(ch: ClickHouse): Promise<Awaited<ReturnType<typeof setUp>>> {
  const [c1h] = await ch.query<{ n: string }>('SELECT count() AS n FROM flow_rollups_1h');
  const [c1d] = await ch.query<{ n: string }>('SELECT count() AS n FROM flow_rollups_1d FINAL');
  return { rows1h: Number(c1h.n), rows1d: Number(c1d.n), generateMs: 0, dailyMs: 0, registryMs: 0 };
}

async function main(): Promise<void> {
  const root = createClickHouse({ url: CLICKHOUSE_URL, database: 'default', requestTimeoutMs: 1_800_000 });
  const ch = root.withDatabase(DATABASE);
  const catalog = loadProfiles();
  const registry = createRegistry(ch);
  try {
    emit({ bench: 'audit', phase: 'start', enterprises: ENTERPRISES, days: DAYS, database: DATABASE, clickhouse: CLICKHOUSE_URL, load: machineLoad() });
    const setup = a.reuse === undefined ? await setUp(ch) : await counts(ch);
    emit({ bench: 'audit', phase: 'data', enterprises: ENTERPRISES, flows: ENTERPRISES, rows1h: setup.rows1h, rows1d: setup.rows1d, generate1hMs: Math.round(setup.generateMs), build1dMs: Math.round(setup.dailyMs), registryMs: Math.round(setup.registryMs) });
    const range = `period_start_ns >= ${sqlInt(FROM, 'UInt64')} AND period_start_ns < ${sqlInt(TO, 'UInt64')}`;

    // Baselines over the same rows: a plain count per enterprise, and the same per-enterprise
    // sums without the histogram, parameters and evaluation.
    const base = await repeatMs(REPEAT, () => ch.query(`SELECT enterprise_id, count() AS n FROM flow_rollups_1d FINAL WHERE ${range} GROUP BY enterprise_id`));
    const baseSums = await repeatMs(REPEAT, () => ch.query(`SELECT enterprise_id, sum(windows), sum(sent_packets), sum(lost_packets), max(owd_max_ns) FROM flow_rollups_1d FINAL WHERE ${range} GROUP BY enterprise_id`));
    const baseMs = median(base);
    emit({ bench: 'audit', measure: 'baseline_count_by_enterprise', rows: setup.rows1d, medianMs: Math.round(baseMs), runsMs: base.map(Math.round) });
    emit({ bench: 'audit', measure: 'baseline_sums_by_enterprise', rows: setup.rows1d, medianMs: Math.round(median(baseSums)), runsMs: baseSums.map(Math.round) });

    // Cold: every run computes the whole audit (no cache). Warm: a process cache holding the
    // audit, checked against a fresh per-enterprise fingerprint on every call.
    let last: Awaited<ReturnType<typeof programmeAudit>> | undefined;
    const prog = await repeatMs(REPEAT, async () => { last = await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO }, { programmeCache: null }); });
    const progMs = median(prog);
    emit({ bench: 'audit', measure: 'programme_audit_all_cold', enterprises: last!.rows.length, status: last!.summary.status, medianMs: Math.round(progMs), runsMs: prog.map(Math.round), goalMs: 2000, ratioToBaseline: +(progMs / baseMs).toFixed(2), load: machineLoad() });
    const cache = createProgrammeAuditCache(2);
    const fill = await timed(() => programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO }, { programmeCache: cache }));
    const warm = await repeatMs(REPEAT, async () => {
      const r = await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO }, { programmeCache: cache });
      if (r.contentHash !== fill.value.contentHash) throw new Error('cached audit differs from the computed one');
    });
    const warmMs = median(warm);
    emit({ bench: 'audit', measure: 'programme_audit_all_warm', fillMs: Math.round(fill.ms), medianMs: Math.round(warmMs), runsMs: warm.map(Math.round), goalMs: 2000, ratioToBaseline: +(warmMs / baseMs).toFixed(2), load: machineLoad() });

    let csvBytes = 0;
    let csvLines = 0;
    const exportCsv = async (programmeCache: ProgrammeAuditCache | null) => {
      const out = await programmeAuditCsv(ch, catalog, registry, { fromNs: FROM, toNs: TO }, { programmeCache });
      csvBytes = 0;
      csvLines = 0;
      for await (const line of out.lines) { csvBytes += Buffer.byteLength(line); csvLines++; }
    };
    const csv = await repeatMs(REPEAT, () => exportCsv(null));
    const csvMs = median(csv);
    emit({ bench: 'audit', measure: 'csv_export_all_cold', lines: csvLines, bytes: csvBytes, medianMs: Math.round(csvMs), runsMs: csv.map(Math.round), goalMs: 10000, ratioToBaseline: +(csvMs / baseMs).toFixed(2), load: machineLoad() });
    const csvWarm = await repeatMs(REPEAT, () => exportCsv(cache));
    emit({ bench: 'audit', measure: 'csv_export_all_warm', lines: csvLines, bytes: csvBytes, medianMs: Math.round(median(csvWarm)), runsMs: csvWarm.map(Math.round), goalMs: 10000, ratioToBaseline: +(median(csvWarm) / baseMs).toFixed(2), load: machineLoad() });

    const oneBase = await repeatMs(SINGLE_REPEAT, (i) => ch.query(`SELECT count() FROM flow_rollups_1d FINAL WHERE enterprise_id = 'ent-${100000 + ((i * 7919) % ENTERPRISES)}' AND ${range}`));
    const one = await repeatMs(SINGLE_REPEAT, (i) => enterpriseCompliance(ch, catalog, registry, { enterpriseId: `ent-${100000 + ((i * 7919) % ENTERPRISES)}`, fromNs: FROM, toNs: TO }));
    emit({ bench: 'audit', measure: 'baseline_count_one_enterprise', medianMs: +median(oneBase).toFixed(1), runsMs: oneBase.map((x) => +x.toFixed(1)) });
    emit({ bench: 'audit', measure: 'enterprise_compliance_one', medianMs: +median(one).toFixed(1), runsMs: one.map((x) => +x.toFixed(1)), goalMs: 200, ratioToBaseline: +(median(one) / median(oneBase)).toFixed(2), load: machineLoad() });
    emit({ bench: 'audit', measure: 'socket_retries', count: socketRetries });
    process.stderr.write(`bench:audit ${ENTERPRISES} enterprises, ${setup.rows1h} hourly + ${setup.rows1d} daily rollup rows: programme audit cold ${Math.round(progMs)} ms / warm ${Math.round(warmMs)} ms (goal 2000, count baseline ${Math.round(baseMs)} ms), CSV cold ${Math.round(csvMs)} ms / warm ${Math.round(median(csvWarm))} ms (goal 10000), one enterprise ${median(one).toFixed(1)} ms (goal 200)\n`);
  } finally {
    const drop = !a.keep && a.reuse === undefined;
    if (drop) await root.command(`DROP DATABASE IF EXISTS ${DATABASE}`);
    emit({ bench: 'audit', phase: 'end', dropped: drop, database: DATABASE, load: machineLoad() });
  }
}

await main();
