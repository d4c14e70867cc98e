// Applies the numbered SQL files in sql/ in order and records each in the database's
// schema_migrations table, so running it twice is safe. A file that changed after it was
// applied is an error (write a new migration instead).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClickHouse } from './client.ts';
import { sqlIdentifier, sqlInt, sqlString } from './literal.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: string[];
  readonly checksum: string;
}

const FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** Splits a migration file into statements at semicolons ending a line; strips `--` comments. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .map((l) => (l.trimStart().startsWith('--') ? '' : l))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function loadMigrations(dir: string): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const out: Migration[] = [];
  for (const f of files) {
    const m = FILE.exec(f);
    if (!m) throw new Error(`sql/${f}: migration files are named NNN_snake_name.sql`);
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const version = Number(m[1]);
    if (out.length > 0 && out[out.length - 1].version === version) throw new Error(`sql/${f}: version ${m[1]} is used twice`);
    out.push({ version, name: m[2], statements: splitStatements(text), checksum: createHash('sha256').update(text).digest('hex').slice(0, 16) });
  }
  return out;
}

export interface MigrateResult {
  readonly applied: number[];
  readonly skipped: number[];
}

export async function migrate(ch: ClickHouse, database: string, migrations: Migration[]): Promise<MigrateResult> {
  const root = ch.withDatabase('default');
  await root.command(`CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(database)}`);
  const db = ch.withDatabase(database);
  await db.command(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, checksum String, applied_at DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY version`,
  );
  const done = new Map<number, string>();
  for (const r of await db.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')) {
    done.set(Number(r.version), r.checksum);
  }
  const applied: number[] = [];
  const skipped: number[] = [];
  for (const m of migrations) {
    const prior = done.get(m.version);
    if (prior !== undefined) {
      if (prior !== m.checksum) {
        throw new Error(`migration ${m.version}_${m.name} changed after it was applied (checksum ${prior} -> ${m.checksum}); add a new migration instead`);
      }
      skipped.push(m.version);
      continue;
    }
    for (const stmt of m.statements) await db.command(stmt);
    await db.command(
      `INSERT INTO schema_migrations (version, name, checksum) VALUES (${sqlInt(m.version, 'UInt32')}, ${sqlString(m.name)}, ${sqlString(m.checksum)})`,
    );
    applied.push(m.version);
  }
  return { applied, skipped };
}
