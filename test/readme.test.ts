// The README's tables are checked against the code so they cannot drift.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../services/adapters/kafka/topics.ts';
import { ALL_ENV_VARS, API_SETTINGS, CLICKHOUSE_SETTINGS, GATEWAY_SETTINGS, KAFKA_SETTINGS, SIMULATOR_SETTINGS, WORKER_SETTINGS } from '../services/config/settings.ts';
import { configTable } from '../scripts/readme-config.ts';

const readme = fs.readFileSync('README.md', 'utf8');

function tableRow(first: string): string[] | undefined {
  const line = readme.split('\n').find((l) => l.startsWith(`| \`${first}\` |`));
  return line?.split('|').map((c) => c.trim());
}

describe('README', () => {
  it('shows the two commands first', () => {
    const firstBlock = readme.split('```')[1];
    expect(firstBlock).toMatch(/npm start/);
    expect(firstBlock).toMatch(/npm test/);
  });
  it('lists every setting with its default', () => {
    for (const spec of [KAFKA_SETTINGS, CLICKHOUSE_SETTINGS, GATEWAY_SETTINGS, WORKER_SETTINGS, SIMULATOR_SETTINGS, API_SETTINGS]) {
      for (const s of Object.values(spec)) {
        const row = tableRow(s.env);
        expect(row, `${s.env} missing from the README configuration table`).toBeDefined();
        const def = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
        expect({ env: s.env, default: row![3] }).toEqual({ env: s.env, default: `\`${def}\`` });
      }
    }
    for (const env of ALL_ENV_VARS) expect(readme, `${env} not documented`).toContain(`\`${env}\``);
  });
  it('carries the configuration table exactly as generated from the settings (npx tsx scripts/readme-config.ts --write)', () => {
    expect(readme).toContain(configTable());
  });
  it('lists every topic with its partitions', () => {
    for (const t of Object.values(TOPICS)) {
      expect(tableRow(t.defaultName)?.[2], t.defaultName).toBe(String(t.partitions));
    }
  });
  it('lists every table the migrations create', () => {
    const sql = fs.readdirSync('sql').map((f) => fs.readFileSync(`sql/${f}`, 'utf8')).join('\n');
    for (const m of sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)) expect(tableRow(m[1]), m[1]).toBeDefined();
  });
});
