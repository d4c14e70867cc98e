// docs/api.md documents every route of the OpenAPI document and every API setting.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClickHouse } from '../adapters/clickhouse/client.ts';
import { loadProfiles } from '../adapters/profiles/load.ts';
import { createRegistry } from '../adapters/tenancy/registry.ts';
import { API_SETTINGS } from '../config/settings.ts';
import { buildApi } from './app.ts';
import { documentedOperations } from './testkit.ts';

const doc = fs.readFileSync(path.resolve('docs/api.md'), 'utf8');

describe('docs/api.md', () => {
  // Building the app sends nothing to ClickHouse; the address is never contacted.
  const ch = createClickHouse({ url: 'http://127.0.0.1:9', database: 'unused' });
  const api = buildApi({ ch, registry: createRegistry(ch), catalog: loadProfiles(), maxRangeDays: 400, windowMs: 1000, authenticator: { authenticate: () => ({ ok: false, error: 'AUTH_MISSING' }) } });

  it('names every route as `METHOD /path`', () => {
    const missing = documentedOperations(api.openapi).map((o) => `\`${o.method} ${o.path}\``).filter((r) => !doc.includes(r));
    expect(missing).toEqual([]);
  });

  it('names every API setting', () => {
    for (const s of Object.values(API_SETTINGS)) {
      if (s.env.startsWith('ISOCHRON_CLICKHOUSE_')) continue;
      expect(doc, s.env).toContain(s.env);
    }
  });
});
