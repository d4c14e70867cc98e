// What the API integration tests share: a fresh database with the migrations, the real registry
// and authenticator on it, the app, and keys of every role. Test support only (not imported by
// the service).
import path from 'node:path';
import { freshDatabase } from '../../test/support/stack.ts';
import { loadMigrations, migrate } from '../adapters/clickhouse/migrate.ts';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { loadProfiles } from '../adapters/profiles/load.ts';
import { createAuthenticator, type Authenticator } from '../adapters/tenancy/authenticator.ts';
import { createRegistry, type Registry } from '../adapters/tenancy/registry.ts';
import type { Role } from '../core/tenancy/types.ts';
import { buildApi, type ApiApp } from './app.ts';

/** Every statement sent through a ClickHouse client (forwarded unchanged to the real server). */
export interface SentStatement {
  readonly kind: 'query' | 'command' | 'insert';
  readonly sql: string;
  /** insert: the rows (data, not SQL text). */
  readonly rows?: readonly object[];
}

/** A ClickHouse client that records what it sends, then sends it to the real server. */
export function recordingClickHouse(ch: ClickHouse, log: SentStatement[]): ClickHouse {
  return {
    query: (sql) => (log.push({ kind: 'query', sql }), ch.query(sql)),
    command: (sql) => (log.push({ kind: 'command', sql }), ch.command(sql)),
    insert: (table, rows) => (log.push({ kind: 'insert', sql: `INSERT INTO ${table} FORMAT JSONEachRow`, rows }), ch.insert(table, rows)),
    withDatabase: (database) => recordingClickHouse(ch.withDatabase(database), log),
  };
}

export interface ApiFixture {
  /** Statements the API (and the registry it uses) sent to ClickHouse. */
  readonly sent: SentStatement[];
  readonly ch: ClickHouse;
  readonly database: string;
  readonly registry: Registry;
  readonly authenticator: Authenticator;
  readonly api: ApiApp;
  key(role: Role, enterpriseId?: string, label?: string): Promise<{ apiKey: string; keyId: string }>;
  close(): Promise<void>;
}

export async function apiFixture(prefix = 'api'): Promise<ApiFixture> {
  const db = await freshDatabase(prefix);
  await migrate(db.ch, db.database, loadMigrations(path.resolve('sql')));
  const sent: SentStatement[] = [];
  const ch = recordingClickHouse(db.ch, sent);
  const registry = createRegistry(ch);
  // Unknown keys do not reload the table (tests hammer it with them); key() refreshes it instead.
  const authenticator = createAuthenticator(registry, { refreshIntervalMs: 60_000, minRefreshGapMs: 3_600_000 });
  const api = buildApi({ ch, registry, authenticator, catalog: loadProfiles(), maxRangeDays: 400, windowMs: 1000, clock: () => Date.UTC(2025, 10, 22, 12) });
  await api.app.ready();
  return {
    sent,
    ch: db.ch,
    database: db.database,
    registry,
    authenticator,
    api,
    async key(role, enterpriseId = '', label = `${role} test key`) {
      const { apiKey, record } = await registry.createCredential({ role, enterpriseId, label });
      await authenticator.refresh();
      return { apiKey, keyId: record.keyId };
    },
    async close() {
      authenticator.close();
      await api.app.close();
      await db.drop();
    },
  };
}

export const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

export interface DocumentedOperation {
  readonly method: string;
  /** OpenAPI path, e.g. /v1/profiles/{profileId} */
  readonly path: string;
  readonly roles: readonly string[];
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly requiredQuery: readonly string[];
  readonly hasBody: boolean;
}

/** Every operation of the served OpenAPI document (so a new route is covered by the suites automatically). */
export function documentedOperations(openapi: Record<string, unknown>): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const [p, ops] of Object.entries(openapi.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as { name: string; in: string; required: boolean }[];
      out.push({
        method: method.toUpperCase(),
        path: p,
        roles: (op['x-isochron-roles'] ?? []) as string[],
        pathParams: params.filter((x) => x.in === 'path').map((x) => x.name),
        queryParams: params.filter((x) => x.in === 'query').map((x) => x.name),
        requiredQuery: params.filter((x) => x.in === 'query' && x.required).map((x) => x.name),
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return out;
}

/** The path with every {param} replaced by fill(param) (URL-encoded). */
export function fillPath(p: string, fill: (name: string) => string): string {
  return p.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => encodeURIComponent(fill(name)));
}
