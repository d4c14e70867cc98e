// Every query the audit sends runs on the 18.16 server and on a current ClickHouse engine (chdb,
// the project's .venv) over the same rows, with the same answers (ARCHITECTURE.md, portable
// subset): the per-flow aggregate with its fingerprint, the per-enterprise fingerprints, the
// registry reads, and the failed-window statements.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/stack.ts';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../adapters/clickhouse/migrate.ts';
import { rebuildRollups } from '../adapters/clickhouse/rollups.ts';
import { loadProfiles } from '../adapters/profiles/load.ts';
import { createRegistry } from '../adapters/tenancy/registry.ts';
import { auditSlices } from '../core/compliance/audit-period.ts';
import { failedWindowsSql } from './failed-windows.ts';
import { enterpriseAsOfSql, enterpriseFingerprintsSql, flowAggregatesSql, flowAggregatesUnmergedSql, registryContentVersionsSql } from './sql.ts';
import { packets, windowRow, type FlowSpec } from './testkit.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PYTHON = path.join(ROOT, '.venv/bin/python');
const S = 1_000_000_000n;
const HOUR = 3600n * S;
const D0 = 1_763_596_800n * S;
const TABLES = ['flow_windows', 'flow_rollups_1h', 'flow_rollups_1d', 'enterprises', 'profile_assignments'];

function runOnChdb(statements: string[]): { ok: boolean; result?: Record<string, unknown>[]; error?: string }[] {
  if (!fs.existsSync(PYTHON)) throw new Error('.venv/bin/python missing: run "npm run setup" (creates .venv with chdb)');
  return JSON.parse(execFileSync(PYTHON, [path.join(ROOT, 'scripts/chdb/run_sql.py')], { input: JSON.stringify(statements), maxBuffer: 64 * 1024 * 1024 }).toString());
}

/** 64-bit integers are strings in 18.16's JSON and may be numbers in chdb's: compare as text. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) ? String(Number(v)) : v;
}

describe('audit queries: 18.16 server and a current engine (chdb) agree', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  const migrations = loadMigrations(path.join(ROOT, 'sql'));

  beforeAll(async () => {
    let database: string;
    ({ ch, drop, database } = await freshDatabase('auditport'));
    await migrate(ch, database, migrations);
    const registry = createRegistry(ch);
    await registry.putEnterprises([
      { enterpriseId: 'ent-a', name: "O'Brien & Co", region: 'north', industry: 'steel', identifierPrefix: '88.1' },
      { enterpriseId: 'ent-b', name: 'B', region: 'south', industry: 'steel', identifierPrefix: '88.2' },
    ]);
    await registry.assign([{ enterpriseId: 'ent-a', scope: 'enterprise', siteId: '', deviceId: '', flowId: '', profileId: 'itu-y1541-class-1', profileVersion: 1 }]);
    const flows: FlowSpec[] = [
      { e: 'ent-a', site: 's1', nt: '5g', dev: '88.1/d1', flow: "f'1", windows: [] },
      { e: 'ent-a', site: 's1', nt: 'tsn', dev: '88.1/d2', flow: 'f2', windows: [] },
      { e: 'ent-b', site: 's1', nt: 'tsn', dev: '88.1/d1', flow: "f'1", windows: [] },
    ];
    const rows = flows.flatMap((f, k) => [D0 - HOUR + 5n * S, D0 + 3n * HOUR, D0 + 26n * HOUR].map((t, i) => windowRow(f, t + BigInt(k) * S, packets(300, (j) => (j % (17 + i + k) === 0 ? null : j % 31 === 0 ? 150_000_000 : undefined)))));
    await ch.insert('flow_windows', rows);
    await rebuildRollups(ch, D0 - HOUR, D0 + 27n * HOUR);
    // One part per table, as the single INSERT per table gives chdb, so c_exact compares too.
    await ch.command('OPTIMIZE TABLE flow_rollups_1h FINAL');
    await ch.command('OPTIMIZE TABLE flow_rollups_1d FINAL');
  }, 120_000);
  afterAll(() => drop());

  it('answers each audit query identically on both engines', async () => {
    const slices = auditSlices(D0 - 2n * HOUR, D0 + 27n * HOUR);
    const profile = loadProfiles().find('itu-y1541-class-1')!.profile;
    const fw = failedWindowsSql('ent-a', D0 - 2n * HOUR, D0 + 27n * HOUR, [
      { siteId: 's1', deviceId: '88.1/d1', flowId: "f'1", profile, failed: ['delay', 'pdv', 'lossRatio'] },
      { siteId: 's1', deviceId: '88.1/d2', flowId: 'f2', profile, failed: ['lossRatio', 'errorRatio'] },
    ], 10)!;
    const queries: [string, string][] = [
      ['flowAggregates all', flowAggregatesSql(slices, {})],
      ['flowAggregates one enterprise', flowAggregatesSql(slices, { enterpriseId: 'ent-a' })],
      ['flowAggregates listed, 5g', flowAggregatesSql(slices, { enterpriseIds: ['ent-a', 'ent-b'], networkType: '5g' })],
      ['flowAggregates unmerged, range', flowAggregatesUnmergedSql(slices, { enterpriseFrom: 'ent-a', enterpriseTo: 'ent-b' })],
      ['flowAggregates unmerged, all', flowAggregatesUnmergedSql(slices, {})],
      ['enterpriseFingerprints', `${enterpriseFingerprintsSql(slices, {})} ORDER BY enterprise_id`],
      // Without the database name, which differs between the two.
      ['registryContentVersions', `SELECT e, a FROM (${registryContentVersionsSql(18_446_744_073_709_551_615n)})`],
      ['enterpriseAsOf', enterpriseAsOfSql('ent-a', 18_446_744_073_709_551_615n)],
      ['failedWindows count', fw.count],
      ['failedWindows list', fw.list],
    ];
    const inserts: string[] = [];
    for (const t of TABLES) {
      const rows = await ch.query(`SELECT * FROM ${t}`);
      if (rows.length > 0) inserts.push(`INSERT INTO ${t} FORMAT JSONEachRow ${rows.map((r) => JSON.stringify(r)).join(' ')}`);
    }
    const results = runOnChdb([...migrations.flatMap((m) => m.statements), ...inserts, ...queries.map(([, q]) => q)]);
    expect(results.slice(0, results.length - queries.length).filter((r) => !r.ok)).toEqual([]);
    const answers = results.slice(results.length - queries.length);
    for (let i = 0; i < queries.length; i++) {
      const [name, sql] = queries[i];
      const server = await ch.query(sql);
      expect(server.length, name).toBeGreaterThan(0);
      expect({ name, error: answers[i].error }).toEqual({ name, error: undefined });
      expect({ name, rows: normalise(answers[i].result) }).toEqual({ name, rows: normalise(server) });
    }
  });
});
