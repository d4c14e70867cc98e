// API process: reads config once, loads the profile catalog, connects the registry and the
// authenticator, listens; SIGTERM/SIGINT drain (/readyz 503, in-flight requests finish) and exit.
import { createClickHouse } from '../adapters/clickhouse/client.ts';
import { loadProfiles } from '../adapters/profiles/load.ts';
import { createAuthenticator } from '../adapters/tenancy/authenticator.ts';
import { createRegistry } from '../adapters/tenancy/registry.ts';
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, API_SETTINGS } from '../config/settings.ts';
import { buildApi } from './app.ts';

const config = loadConfig('api', API_SETTINGS, ALL_ENV_VARS);
const ch = createClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase, user: config.clickhouseUser, password: config.clickhousePassword });
const catalog = loadProfiles();
const registry = createRegistry(ch);
let refreshFailures = 0;
const authenticator = createAuthenticator(registry, {
  refreshIntervalMs: config.authRefreshIntervalMs,
  minRefreshGapMs: config.authMinRefreshGapMs,
  // Logged once per 20 so an outage does not flood the log; the previous table stays in use.
  onRefreshError: (e) => {
    if (refreshFailures++ % 20 === 0) console.error(`[api] credential reload failed (${refreshFailures} so far): ${(e as Error).message}`);
  },
});
const api = buildApi({ ch, registry, authenticator, catalog, maxRangeDays: config.maxRangeDays, windowMs: config.windowMs });
await api.app.listen({ host: config.host, port: config.port });
console.log(`[api] listening on http://${config.host}:${config.port} (GET /openapi.json describes every route; docs/api.md), ClickHouse ${config.clickhouseUrl} database ${config.clickhouseDatabase}, ${catalog.profiles.length} profiles`);

let stopping = false;
async function shutdown(sig: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[api] ${sig}: draining`);
  api.startDraining();
  await api.app.close();
  authenticator.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
