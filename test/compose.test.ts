// docker-compose.yml cannot run here (no Docker engine); this keeps it consistent with the
// local stack: the same topics and partitions, only known environment variables, migrations
// applied by the same runner, and every service entry point existing.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../services/adapters/kafka/topics.ts';
import { ALL_ENV_VARS } from '../services/config/settings.ts';

const compose = fs.readFileSync('docker-compose.yml', 'utf8');

describe('docker-compose.yml', () => {
  it('creates every topic with the partitions the local stack uses', () => {
    for (const t of Object.values(TOPICS)) {
      expect(compose).toMatch(new RegExp(`--topic ${t.defaultName.replace(/\./g, '\\.')} --partitions ${t.partitions}\\b`));
    }
  });
  it('sets only environment variables the services know', () => {
    const used = new Set([...compose.matchAll(/\b(ISOCHRON_[A-Z0-9_]+)\s*:/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(5);
    for (const v of used) expect(ALL_ENV_VARS.has(v), `${v} is not a known setting`).toBe(true);
  });
  it('runs entry points that exist, including the migration runner', () => {
    const entries = [...compose.matchAll(/"(services\/[\w/-]+\.ts)"/g)].map((m) => m[1]);
    expect(entries).toContain('services/adapters/clickhouse/migrate-cli.ts');
    for (const e of entries) expect(fs.existsSync(e), e).toBe(true);
  });
});
