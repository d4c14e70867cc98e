// The provisioned dashboards are what the generator produces (a stale file fails), are well
// formed for Grafana's JSON model (schema version, unique ids, panels inside the 24-column
// grid without overlap), name only provisioned datasources, and their PromQL parses (promtool)
// and uses only metrics the services export. Grafana itself cannot run here (no Docker engine,
// no Grafana package): the ClickHouse queries are run by dashboards.int.test.ts instead.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../scripts/stack/config.ts';
import { DEFAULT_WIRE_LIMITS } from '../services/core/wire/limits.ts';
import { buildGateway } from '../services/gateway/app.ts';
import { createWorkerMetrics } from '../services/worker/metrics.ts';
import { generateDashboards } from './generate/index.ts';

interface GridPos { x: number; y: number; w: number; h: number }
interface Panel { id: number; type: string; title: string; gridPos: GridPos; datasource?: { uid: string }; targets: { refId: string; datasource: { uid: string }; expr?: string; rawSql?: string }[] }
interface Dashboard { uid: string; title: string; schemaVersion: number; panels: Panel[]; templating?: { list: { name: string; type: string; datasource?: { uid: string } }[] } }

const read = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');
const DIR = 'grafana/dashboards';
const files = fs.readdirSync(path.join(REPO_ROOT, DIR)).filter((f) => f.endsWith('.json'));
const dashboards = files.map((f) => JSON.parse(read(`${DIR}/${f}`)) as Dashboard);

describe('generated dashboards', () => {
  it('the committed JSON is what the generator writes (run npm run gen:dashboards)', () => {
    const generated = generateDashboards();
    expect(files.sort()).toEqual(generated.map((g) => path.basename(g.file)).sort());
    for (const g of generated) expect(read(g.file), `${g.file} is stale`).toBe(g.json);
  });

  it('are well formed: schema version, unique uids and panel ids, panels on the grid without overlap', () => {
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    for (const d of dashboards) {
      expect(d.schemaVersion, d.uid).toBeGreaterThanOrEqual(39);
      expect(d.panels.length, d.uid).toBeGreaterThan(0);
      expect(new Set(d.panels.map((p) => p.id)).size, `${d.uid}: panel ids`).toBe(d.panels.length);
      expect(new Set(d.panels.map((p) => p.title)).size, `${d.uid}: panel titles`).toBe(d.panels.length);
      const cells = new Set<string>();
      for (const p of d.panels) {
        const g = p.gridPos;
        expect(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0 && g.y >= 0, `${d.uid}/${p.title}: ${JSON.stringify(g)}`).toBe(true);
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`), `${d.uid}/${p.title} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        expect(p.targets.length, `${d.uid}/${p.title}`).toBeGreaterThan(0);
        expect(new Set(p.targets.map((t) => t.refId)).size, `${d.uid}/${p.title}: refIds`).toBe(p.targets.length);
      }
    }
  });

  it('name only datasources that are provisioned, with the plugin types they are provisioned with', () => {
    const yml = read('grafana/provisioning/datasources/datasources.yml');
    const provisioned = new Map([...yml.matchAll(/uid: (\S+)\n\s+type: (\S+)/g)].map((m) => [m[1], m[2]]));
    expect(provisioned.get('isochron-clickhouse')).toBe('grafana-clickhouse-datasource');
    expect(provisioned.get('isochron-prometheus')).toBe('prometheus');
    for (const d of dashboards) {
      const refs = [
        ...d.panels.flatMap((p) => [p.datasource, ...p.targets.map((t) => t.datasource)]),
        ...(d.templating?.list ?? []).filter((v) => v.type === 'query').map((v) => v.datasource),
      ] as { uid: string; type: string }[];
      for (const r of refs) {
        expect(r, d.uid).toBeDefined();
        expect(provisioned.get(r.uid), `${d.uid}: ${r.uid}`).toBe(r.type);
      }
    }
  });

  it('the dashboards provider reads the folder docker-compose mounts them into', () => {
    const provider = /path: (\S+?) ?\}/.exec(read('grafana/provisioning/dashboards/dashboards.yml'))![1];
    expect(read('docker-compose.yml')).toContain(`./grafana/dashboards:${provider}:ro`);
  });

  describe('PromQL of the pipeline dashboard', () => {
    const exprs = dashboards.flatMap((d) => d.panels.flatMap((p) => p.targets.filter((t) => t.expr !== undefined).map((t) => ({ where: `${d.uid}/${p.title}/${t.refId}`, expr: t.expr! }))));
    // Grafana replaces these before Prometheus sees the query.
    const grafanaVars = (e: string) => e.replace(/\$__rate_interval|\$__interval/g, '5m');

    it('every expression parses (promtool check rules on a file of recording rules)', () => {
      expect(exprs.length).toBeGreaterThan(10);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-grafana-promql-'));
      try {
        const rules = exprs.map((e, i) => `      - record: grafana:panel_${i}:check\n        expr: ${JSON.stringify(grafanaVars(e.expr))}\n`).join('');
        fs.writeFileSync(path.join(dir, 'panels.rules.yml'), `groups:\n  - name: grafana-panels\n    rules:\n${rules}`);
        const out = execFileSync('promtool', ['check', 'rules', path.join(dir, 'panels.rules.yml')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        expect(out).toContain(`SUCCESS: ${exprs.length} rules found`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('uses only metrics the gateway and the worker export, and recording rules that exist', async () => {
      const registry = new client.Registry();
      createWorkerMetrics(registry);
      const gateway = buildGateway({
        producer: { send: () => Promise.reject(new Error('not used')), disconnect: async () => undefined },
        topic: 'unused',
        limits: DEFAULT_WIRE_LIMITS,
        maxBodyBytes: 1024,
        maxInFlightBatches: 1,
        registry,
      });
      await gateway.app.close();
      const exported = new Set<string>();
      for (const m of await registry.getMetricsAsJSON()) {
        exported.add(m.name);
        if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(m.name + s);
      }
      const recorded = new Set([...read('prometheus/rules/isochron.rules.yml').matchAll(/record: (\S+)/g)].map((m) => m[1]));
      for (const { where, expr } of exprs) {
        for (const m of expr.matchAll(/\bisochron_[a-z0-9_]+/g)) expect(exported.has(m[0]), `${where}: ${m[0]}`).toBe(true);
        for (const m of expr.matchAll(/\bisochron:[a-z0-9_:]+/g)) expect(recorded.has(m[0]), `${where}: ${m[0]}`).toBe(true);
      }
    });
  });
});
