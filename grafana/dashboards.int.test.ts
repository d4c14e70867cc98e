// Every ClickHouse query of the provisioned dashboards (panels and variables), expanded as the
// Grafana ClickHouse plugin expands it (grafana/macros.ts), runs on the real ClickHouse loaded
// with seeded simulator telemetry with scheduled faults, returns the columns its panel type
// needs, and shows the injected faults where they were injected.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, freshDatabase } from '../test/support/stack.ts';
import type { ClickHouse } from '../services/adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../services/adapters/clickhouse/migrate.ts';
import { flowDelayQuantilesSql } from '../services/adapters/clickhouse/queries.ts';
import { rebuildStatements } from '../services/adapters/clickhouse/rollups.ts';
import { windowRecord } from '../services/adapters/clickhouse/window-columns.ts';
import { REPO_ROOT } from '../scripts/stack/config.ts';
import { ALL, expandQuery, type ExpandContext, type VariableValue } from './macros.ts';
import { enterpriseRows, loadSeeded, seededWindows, type SeededData } from './testkit/seeded-data.ts';

interface Target { refId: string; datasource: { uid: string }; rawSql?: string; expr?: string }
interface Panel { id: number; type: string; title: string; targets: Target[]; fieldConfig?: { overrides?: { matcher: { id: string; options: string }; properties: { id: string }[] }[] } }
interface Variable { type: string; name: string; multi?: boolean; includeAll?: boolean; query?: string | { rawSql: string }; current?: { value: string } }
interface Dashboard { uid: string; panels: Panel[]; templating: { list: Variable[] } }
interface Result { meta: { name: string; type: string }[]; data: Record<string, unknown>[] }

const dashboards = Object.fromEntries(
  fs
    .readdirSync(path.join(REPO_ROOT, 'grafana/dashboards'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const d = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'grafana/dashboards', f), 'utf8')) as Dashboard;
      return [d.uid, d];
    }),
) as Record<string, Dashboard>;

const START_S = 1_763_596_800; // 2025-11-20 00:00:00 UTC, a whole hour
const DURATION_S = 240;
const NUMERIC = /^(Nullable\()?(U?Int(8|16|32|64)|Float(32|64))\)?$/;
const utc = (s: number) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');

describe('dashboards on seeded data (ClickHouse)', () => {
  let ch: ClickHouse;
  let database: string;
  let drop: () => Promise<void>;
  let data: SeededData;

  /** Every expanded query run on the server, with its answer, for the chdb comparison. */
  const executed: { sql: string; data: Record<string, unknown>[] }[] = [];

  async function run(sql: string): Promise<Result> {
    const res = await fetch(`${clickhouseUrl()}/?database=${database}`, { method: 'POST', body: `${sql}\nFORMAT JSON` });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.slice(0, 600)}\n--- SQL ---\n${sql}`);
    const result = JSON.parse(text) as Result;
    executed.push({ sql, data: result.data });
    return result;
  }

  /** Resolves the dashboard's variables in order, as Grafana does on load, with some pinned. */
  async function variables(d: Dashboard, base: Omit<ExpandContext, 'variables'>, pinned: Record<string, string | string[]> = {}) {
    const vars: Record<string, VariableValue> = {};
    const resolved: { name: string; options: string[] }[] = [];
    for (const v of d.templating.list) {
      let options: string[] = [];
      if (v.type === 'query') {
        const sql = typeof v.query === 'string' ? v.query : v.query!.rawSql;
        const r = await run(expandQuery(sql, { ...base, variables: vars }));
        expect(r.meta.length, `${d.uid} variable ${v.name}: one column`).toBe(1);
        options = r.data.map((row) => String(Object.values(row)[0]));
        resolved.push({ name: v.name, options });
      } else if (v.type === 'custom') options = String(v.query).split(',');
      const pin = pinned[v.name];
      const current = pin ?? (v.includeAll ? ALL : v.type === 'query' ? options[0] : v.current!.value);
      vars[v.name] = { current, options };
    }
    return { vars, resolved };
  }

  /** Every ClickHouse target of the dashboard, expanded and run, keyed by panel title. */
  async function runPanels(d: Dashboard, ctx: ExpandContext): Promise<Map<string, Result>> {
    const out = new Map<string, Result>();
    for (const p of d.panels) {
      for (const t of p.targets) {
        if (t.datasource.uid !== 'isochron-clickhouse') continue;
        const r = await run(expandQuery(t.rawSql!, ctx));
        checkShape(d.uid, p, r);
        out.set(p.title, r);
      }
    }
    return out;
  }

  function checkShape(uid: string, p: Panel, r: Result) {
    const where = `${uid} / ${p.title}`;
    const names = r.meta.map((m) => m.name);
    expect(r.data.length, `${where}: returns rows`).toBeGreaterThan(0);
    if (p.type === 'timeseries') {
      expect(r.meta[0], where).toEqual({ name: 'time', type: 'DateTime' });
      const rest = r.meta.slice(1);
      expect(rest.filter((m) => m.type === 'String').length, `${where}: at most one label column`).toBeLessThanOrEqual(1);
      for (const m of rest) if (m.type !== 'String') expect(m.type, `${where}: ${m.name}`).toMatch(NUMERIC);
      expect(rest.some((m) => NUMERIC.test(m.type)), `${where}: a value column`).toBe(true);
    } else if (p.type === 'heatmap') {
      expect(names, where).toEqual(['time', 'bucket', 'count']);
      expect(r.meta[0].type, where).toBe('DateTime');
      expect(r.meta[2].type, where).toMatch(NUMERIC);
    } else if (p.type === 'table') {
      const expected = (p.fieldConfig?.overrides ?? []).filter((o) => o.matcher.id === 'byName').map((o) => o.matcher.options);
      expect([...new Set(expected)].sort(), `${where}: the columns its field config names`).toEqual([...names].sort());
    } else if (p.type === 'stat') {
      expect(r.meta.length, where).toBe(1);
      expect(r.meta[0].type, where).toMatch(NUMERIC);
      expect(r.data.length, where).toBe(1);
    } else throw new Error(`${where}: no shape check for panel type ${p.type}`);
  }

  /** The fleet's enterprises, one registered without data, one registered and then deleted. */
  function registryRows() {
    const registered = enterpriseRows(data.fleet.enterprises, 1);
    const silent = { enterprise_id: 'ent-09999', name: 'Silent Works', region: 'Beijing', industry: 'mining', identifier_prefix: '88.100.9999', registry_version: 2, deleted: 0 };
    const gone = { ...silent, enterprise_id: 'ent-09998', name: 'Closed Works', registry_version: 3 };
    return { registered, silent, rows: [...registered, silent, gone, { ...gone, registry_version: 4, deleted: 1 }] };
  }

  const range = () => ({ fromMs: START_S * 1000, toMs: (START_S + DURATION_S) * 1000 - 1000 });

  beforeAll(async () => {
    ({ ch, database, drop } = await freshDatabase('grafana'));
    await migrate(ch, database, loadMigrations(path.join(REPO_ROOT, 'sql')));
    data = seededWindows({ seed: 11, enterprises: 4, startNs: BigInt(START_S) * 1_000_000_000n, durationS: DURATION_S });
    expect(data.discardedSamples).toBe(0);
    await loadSeeded(ch, data);
  }, 120_000);
  afterAll(() => drop?.());

  it('the operator overview: every query runs, and the degrading cell and the loss burst show where they were injected', async () => {
    const d = dashboards['isochron-operator'];
    const base = { ...range(), intervalMs: 10_000 };
    const { vars, resolved } = await variables(d, base);
    const segments = resolved.find((r) => r.name === 'segment')!.options;
    expect(segments.sort()).toEqual([...new Set(data.windows.map((w) => w.segmentId))].sort());
    const res = await runPanels(d, { ...base, variables: vars });
    const { degradingCell: cell, lossBurst: burst } = data.faults;

    expect(res.get('Worst segments')!.data[0].segment).toBe(cell.segmentId);
    const worst = res.get('Top N worst flows')!.data;
    expect(worst.length).toBe(10);
    expect(worst[0].segment).toBe(cell.segmentId);

    // Late-or-lost share of the degrading cell: nothing before the fault, more and more after it.
    const rel = res.get('Late or lost per segment (1 - reliability)')!.data.filter((r) => r.segment === cell.segmentId);
    const t = (r: Record<string, unknown>) => Date.parse(`${String(r.time)}Z`) / 1000 - START_S;
    for (const r of rel.filter((r) => t(r) < 120)) expect(Number(r.unreliability), `t=${t(r)}`).toBeLessThan(0.01);
    expect(Number(rel[rel.length - 1].unreliability)).toBeGreaterThan(0.2);

    // The loss burst: its segment's worst loss bucket is the burst's (or the next, where the gap
    // is closed), other buckets stay near the background loss.
    const loss = res.get('Loss ratio per segment')!.data.filter((r) => r.segment === burst.segmentId);
    const peak = loss.reduce((a, b) => (Number(b.loss_ratio) > Number(a.loss_ratio) ? b : a));
    expect(t(peak)).toBeGreaterThanOrEqual(150);
    expect(t(peak)).toBeLessThan(170);
    expect(Number(peak.loss_ratio)).toBeGreaterThan(0.3);
    for (const r of loss.filter((r) => t(r) < 150 || t(r) >= 170)) expect(Number(r.loss_ratio), `t=${t(r)}`).toBeLessThan(0.01);
    const burstDrops = data.ledger.dropRuns.filter((r) => r.cause === 'loss_burst').reduce((n, r) => n + r.count, 0);
    const lost = data.windows.filter((w) => w.segmentId === burst.segmentId && w.flowId === burst.flowId).reduce((n, w) => n + Number(w.lostPackets), 0);
    expect(burstDrops).toBeGreaterThan(0);
    expect(lost).toBeGreaterThanOrEqual(burstDrops);

    // The heatmap holds every delay sample once.
    const heat = res.get('One-way delay heatmap')!.data.reduce((n, r) => n + Number(r.count), 0);
    expect(heat).toBe(data.windows.reduce((n, w) => n + Number(w.owdCount), 0));
  });

  it('the delay quantile panel agrees with the project\'s merged-quantile query for one flow', async () => {
    const d = dashboards['isochron-operator'];
    const w = data.windows.find((x) => x.networkType === '5g')!;
    const base = { ...range(), intervalMs: (DURATION_S + 3600) * 1000 }; // one bucket holds the run
    const { vars } = await variables(d, base, { enterprise: [w.enterpriseId], segment: [w.segmentId], flow: [w.flowId] });
    const panel = d.panels.find((p) => p.title === 'One-way delay quantiles (merged histograms)')!;
    const got = (await run(expandQuery(panel.targets[0].rawSql!, { ...base, variables: vars }))).data;
    const want = await ch.query<Record<string, string>>(
      flowDelayQuantilesSql({ enterpriseId: w.enterpriseId, deviceId: w.deviceId, flowId: w.flowId }, data.startNs, data.endNs),
    );
    expect(got.length).toBe(1);
    expect([got[0].p50_ns, got[0].p90_ns, got[0].p99_ns, got[0].p999_ns].map(Number)).toEqual(
      [want[0].owd_p50_ns, want[0].owd_p90_ns, want[0].owd_p99_ns, want[0].owd_p999_ns].map(Number),
    );
  });

  it('upgrade validation: the degrading cell\'s enterprise is worse after the split, every query runs', async () => {
    const d = dashboards['isochron-upgrade'];
    const cell = data.faults.degradingCell;
    const base = { ...range(), intervalMs: 60_000 };
    const { vars } = await variables(d, base, { enterprise: cell.enterpriseId, upgrade_at: utc(START_S + 120) });
    const res = await runPanels(d, { ...base, variables: vars });
    const summary = res.get('Before vs after: all selected flows')!.data;
    expect(summary.map((r) => r.phase)).toEqual(['before', 'after']);
    const flows = res.get('Before vs after per flow')!.data.filter((r) => r.segment === cell.segmentId);
    expect(flows.map((r) => r.phase)).toEqual(['before', 'after']);
    expect(Number(flows[1].p99_ns)).toBeGreaterThan(2 * Number(flows[0].p99_ns));
    expect(Number(flows[1].unreliability)).toBeGreaterThan(Number(flows[0].unreliability));
  });

  it('programme compliance: the registered enterprises by region and industry, silent ones included', async () => {
    const { registered, silent, rows: registry } = registryRows();
    await ch.insert('enterprises', registry);
    const live = [...registered, silent];

    const d = dashboards['isochron-programme'];
    const base = { ...range(), intervalMs: 60_000 };
    const { vars, resolved } = await variables(d, base);
    expect(resolved.find((r) => r.name === 'region')!.options).toEqual([...new Set(live.map((e) => String(e.region)))].sort());
    expect(resolved.find((r) => r.name === 'industry')!.options).toEqual([...new Set(live.map((e) => String(e.industry)))].sort());
    const res = await runPanels(d, { ...base, variables: vars });

    const rows = res.get('Enterprises')!.data;
    expect(rows.map((r) => [r.enterprise, r.region, r.industry, r.status]).sort()).toEqual(
      live.map((e) => [e.enterprise_id, e.region, e.industry, e.enterprise_id === 'ent-09999' ? 'no data' : 'reporting']).sort(),
    );
    expect(Number(res.get('Enterprises registered')!.data[0].enterprises)).toBe(live.length);
    expect(Number(res.get('Reporting')!.data[0].reporting)).toBe(registered.length);
    expect(Number(res.get('Silent (no data in range)')!.data[0].silent)).toBe(1);
    for (const dim of ['region', 'industry'] as const) {
      const byDim = res.get(dim === 'region' ? 'By region' : 'By industry')!.data;
      const want = new Map<string, number>();
      for (const e of live) want.set(String(e[dim]), (want.get(String(e[dim])) ?? 0) + 1);
      expect(byDim.map((r) => [r[dim], Number(r.enterprises)])).toEqual([...want.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    }
    // The degrading cell's enterprise has the largest late-or-lost share of those reporting.
    expect(rows[0].enterprise).toBe(data.faults.degradingCell.enterpriseId);

    // Filtering on one region keeps only its enterprises.
    const region = String(data.fleet.enterprises[0].region);
    const one = await runPanels(d, { ...base, variables: { ...vars, region: { current: [region], options: [] } } });
    expect(one.get('Enterprises')!.data.map((r) => r.region)).toEqual(live.filter((e) => e.region === region).map(() => region));
  });

  it('every query gives the same answer on a current ClickHouse engine (chdb) over the same rows', () => {
    expect(executed.length).toBeGreaterThan(30);
    const json = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).join(' ');
    const setup = [
      ...loadMigrations(path.join(REPO_ROOT, 'sql')).flatMap((m) => m.statements),
      `INSERT INTO flow_windows FORMAT JSONEachRow ${json(data.windows.map(windowRecord))}`,
      ...rebuildStatements(data.startNs, data.endNs),
      `INSERT INTO enterprises FORMAT JSONEachRow ${json(registryRows().rows)}`,
    ];
    const answers = runOnChdb([...setup, ...executed.map((e) => e.sql)]);
    expect(answers.slice(0, setup.length).filter((a) => !a.ok)).toEqual([]);
    executed.forEach((e, i) => {
      const a = answers[setup.length + i];
      expect({ ok: a.ok, error: a.error }, e.sql).toEqual({ ok: true, error: undefined });
      expect(normalise(a.result!), e.sql).toEqual(normalise(e.data));
    });
  }, 180_000);
});

interface ChdbResult { ok: boolean; result?: Record<string, unknown>[]; error?: string }

function runOnChdb(statements: string[]): ChdbResult[] {
  const python = path.join(REPO_ROOT, '.venv/bin/python');
  if (!fs.existsSync(python)) throw new Error('.venv/bin/python missing: run "npm run setup" (creates .venv with chdb)');
  const out = execFileSync(python, [path.join(REPO_ROOT, 'scripts/chdb/run_sql.py')], { input: JSON.stringify(statements), maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString()) as ChdbResult[];
}

/** 64-bit integers are strings in 18.16's JSON and numbers in chdb's; floats compared to 12 significant digits. */
function normaliseValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normaliseValue);
  const n = typeof v === 'string' && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v) ? Number(v) : v;
  return typeof n === 'number' && !Number.isInteger(n) ? Number(n.toPrecision(12)) : n;
}
function normalise(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normaliseValue(v)])));
}
