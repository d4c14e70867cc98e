// The portable-subset rule of ARCHITECTURE.md, enforced: every migration and every query of
// queries.ts runs on the local 18.16 server and on a current ClickHouse engine (chdb, from
// the project's .venv), on the same rows, with the same answers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/stack.ts';
import type { ClickHouse } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { PORTABILITY_FIXTURE_ROWS, portabilityQueries, portabilitySetupStatements } from './portability-fixture.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PYTHON = path.join(ROOT, '.venv/bin/python');

interface ChdbResult {
  ok: boolean;
  result?: Record<string, unknown>[];
  error?: string;
}

function runOnChdb(statements: string[]): ChdbResult[] {
  if (!fs.existsSync(PYTHON)) throw new Error('.venv/bin/python missing: run "npm run setup" (creates .venv with chdb)');
  const out = execFileSync(PYTHON, [path.join(ROOT, 'scripts/chdb/run_sql.py')], { input: JSON.stringify(statements), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString()) as ChdbResult[];
}

/** 64-bit integers are strings in 18.16's JSON and numbers in chdb's: compare as numbers. */
function normaliseValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normaliseValue);
  return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}
function normalise(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normaliseValue(v)])));
}

describe('portability: 18.16 server and a current engine (chdb)', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  const migrations = loadMigrations(path.join(ROOT, 'sql'));
  beforeAll(async () => {
    ({ ch, drop } = await freshDatabase('portability'));
  });
  afterAll(() => drop());

  it('applies every migration on both, and the runner is safe to run twice', async () => {
    const { database } = { database: (await ch.query<{ d: string }>('SELECT currentDatabase() AS d'))[0].d };
    const first = await migrate(ch, database, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.version));
    const second = await migrate(ch, database, migrations);
    expect(second).toEqual({ applied: [], skipped: migrations.map((m) => m.version) });
    const chdb = runOnChdb(migrations.flatMap((m) => m.statements));
    expect(chdb.filter((r) => !r.ok)).toEqual([]);
  });

  it('answers every project query identically on both engines', async () => {
    const inserts: string[] = [];
    for (const [table, rows] of Object.entries(PORTABILITY_FIXTURE_ROWS)) {
      await ch.insert(table, rows);
      inserts.push(`INSERT INTO ${table} FORMAT JSONEachRow ${rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).join(' ')}`);
    }
    const setup = portabilitySetupStatements();
    for (const sql of setup) await ch.command(sql);
    const queries = portabilityQueries();
    const chdb = runOnChdb([...migrations.flatMap((m) => m.statements), ...inserts, ...setup, ...queries.map((q) => q.sql)]);
    expect(chdb.slice(chdb.length - queries.length - setup.length, chdb.length - queries.length).filter((r) => !r.ok)).toEqual([]);
    const answers = chdb.slice(chdb.length - queries.length);
    for (let i = 0; i < queries.length; i++) {
      const server = await ch.query(queries[i].sql);
      expect({ query: queries[i].name, ok: answers[i].ok, error: answers[i].error }).toEqual({ query: queries[i].name, ok: true, error: undefined });
      expect({ query: queries[i].name, rows: normalise(answers[i].result!) }).toEqual({ query: queries[i].name, rows: normalise(server) });
      expect(server.length).toBeGreaterThan(0);
    }
  });
});
