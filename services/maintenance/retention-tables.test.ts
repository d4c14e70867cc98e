// Every table the migrations create has a stated retention, in the code (the catalogue in
// services/core/retention/tables.ts) and in the README's tables table, and the two agree with
// the settings and with the PARTITION BY of sql/.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RETENTION_SETTINGS } from '../config/settings.ts';
import { EXPIRING_TABLES, KEPT_TABLES } from '../core/retention/tables.ts';

const sql = fs.readdirSync('sql').map((f) => fs.readFileSync(`sql/${f}`, 'utf8')).join('\n');
const created = [...sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((m) => m[1]);
const readme = fs.readFileSync('README.md', 'utf8');

function retentionCell(table: string): string | undefined {
  const line = readme.split('\n').find((l) => l.startsWith(`| \`${table}\` |`));
  return line?.split(' | ').at(-1)?.replace(/ \|$/, '');
}

describe('retention of every table', () => {
  it('names every table of sql/ (and schema_migrations) exactly once: expiring or kept with a reason', () => {
    const expiring = EXPIRING_TABLES.map((t) => t.table);
    const kept = Object.keys(KEPT_TABLES);
    expect(expiring.filter((t) => kept.includes(t))).toEqual([]);
    expect([...expiring, ...kept].sort()).toEqual([...created, 'schema_migrations'].sort());
  });

  it('expects each expiring table to be partitioned as sql/ partitions it', () => {
    for (const t of EXPIRING_TABLES) {
      const m = new RegExp(`CREATE TABLE IF NOT EXISTS ${t.table}\\b[\\s\\S]*?PARTITION BY ([^\\n]+)\\n`).exec(sql);
      expect({ table: t.table, key: m?.[1].trim() }).toEqual({ table: t.table, key: t.partitionKey });
    }
  });

  it('states each retention in the README tables table: the setting and its default, or why the table is kept', () => {
    for (const t of EXPIRING_TABLES) {
      const s = RETENTION_SETTINGS[t.retention];
      const shown = s.default === 0 ? '(0: forever)' : `(${s.default} days)`;
      expect({ table: t.table, cell: retentionCell(t.table) }).toEqual({ table: t.table, cell: expect.stringContaining(`\`${s.env}\` ${shown}, by `) });
    }
    for (const table of Object.keys(KEPT_TABLES)) {
      expect({ table, cell: retentionCell(table) }).toEqual({ table, cell: expect.stringMatching(/^(kept|bounded by construction)\b/) });
    }
  });
});
