// Test-only: record every statement a piece of the ClickHouse adapter sends to the 18.16 test
// server, then replay them on a current engine (chdb, the project's .venv) and check that each
// runs there and every query gives the same rows. Used by the adapter's portability checks.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ClickHouse } from './client.ts';
import type { Migration } from './migrate.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PYTHON = path.join(ROOT, '.venv/bin/python');

export interface Recorded {
  readonly kind: 'query' | 'command' | 'insert';
  readonly sql: string;
  readonly result?: Record<string, unknown>[];
}

/** A ClickHouse that forwards to the real one and records every statement and answer. */
export function recording(ch: ClickHouse, log: Recorded[]): ClickHouse {
  return {
    async query<T>(sql: string): Promise<T[]> {
      const result = await ch.query<T>(sql);
      log.push({ kind: 'query', sql, result: result as Record<string, unknown>[] });
      return result;
    },
    async command(sql: string): Promise<void> {
      await ch.command(sql);
      log.push({ kind: 'command', sql });
    },
    async insert(table: string, rows: readonly object[]): Promise<void> {
      await ch.insert(table, rows);
      const text = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).join(' ');
      log.push({ kind: 'insert', sql: `INSERT INTO ${table} FORMAT JSONEachRow ${text}` });
    },
    withDatabase(database: string): ClickHouse {
      return recording(ch.withDatabase(database), log);
    },
  };
}

/**
 * 64-bit integers are strings in 18.16's JSON and numbers in chdb's: compare as numbers, rows in
 * a canonical order, leaving out `ignoreKeys` (values that differ by engine, such as bytes on disk).
 */
function normalise(rows: Record<string, unknown>[], ignoreKeys: readonly string[]): string[] {
  return rows
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !ignoreKeys.includes(k)).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]))))
    .sort();
}

export function requireChdb(): void {
  if (!fs.existsSync(PYTHON)) throw new Error('.venv/bin/python missing: run "npm run setup" (creates .venv with chdb)');
}

/** Runs the migrations and then `log` on chdb: every statement succeeds, every query answers the same rows. */
export function expectSameOnChdb(migrations: readonly Migration[], log: readonly Recorded[], o: { sqlPreviewChars: number; maxBufferBytes: number; ignoreKeys?: readonly string[] }): void {
  requireChdb();
  const setup = migrations.flatMap((m) => m.statements);
  const out = execFileSync(PYTHON, [path.join(ROOT, 'scripts/chdb/run_sql.py')], { input: JSON.stringify([...setup, ...log.map((r) => r.sql)]), maxBuffer: o.maxBufferBytes });
  const answers = (JSON.parse(out.toString()) as { ok: boolean; result?: Record<string, unknown>[]; error?: string }[]).slice(setup.length);
  expect(answers.length).toBe(log.length);
  const ignore = o.ignoreKeys ?? [];
  for (let i = 0; i < log.length; i++) {
    const sql = log[i].sql.slice(0, o.sqlPreviewChars);
    expect({ sql, ok: answers[i].ok, error: answers[i].error }).toEqual({ sql, ok: true, error: undefined });
    if (log[i].kind === 'query') expect({ sql, rows: normalise(answers[i].result!, ignore) }).toEqual({ sql, rows: normalise(log[i].result!, ignore) });
  }
}
