// SQL injection through the API into the real ClickHouse 18.16 (which has no query parameters:
// values reach SQL only as literals from literal.ts). Hostile strings go through every path,
// query and body string parameter of every documented route. Expected: no 5xx, only stable 4xx
// codes, hostile text stored by admin routes comes back byte for byte, no table changes but the
// registry writes the routes are for, and every statement the API sent is a SELECT or a
// JSONEachRow INSERT in which no hostile text stands outside a string literal.
//
// system.query_log is not enabled on the local test server (scripts/stack/clickhouse/config.xml
// has no <query_log> section), so the statements are recorded where they leave the client
// (testkit.ts recordingClickHouse), unchanged, on their way to the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../adapters/clickhouse/literal.ts';
import { ERRORS } from '../core/errors.ts';
import { PERIOD, seedTenants, TENANT_A, UPGRADE_PERIODS } from './tenants.fixture.ts';
import { apiFixture, bearer, documentedOperations, fillPath, type ApiFixture, type DocumentedOperation } from './testkit.ts';

const PROFILE = { id: 'tsn-rfc8578-critical-control-50ms', version: 1 };
const MARK = 'ZQX';
/** Each ends with a marker ZQX<n>, so its text can be found in any statement or answer. */
const HOSTILE_CORE = [
  "'",
  "\\",
  "\\'",
  "' OR 1=1 --",
  "' OR '1'='1",
  "'; DROP TABLE flow_windows; --",
  "'); DROP TABLE sentinel; --",
  "\\'; DROP TABLE sentinel; --",
  '" OR ""="',
  '`',
  "' UNION ALL SELECT name, name, name FROM system.tables --",
  "1; SELECT sleep(3)",
  "' || (SELECT count() FROM system.databases) || '",
  '{{7*7}}',
  '${7*7}',
  '$__timeFilter(window_start)',
  '%s%n%x%d',
  '\u0000',
  '\u0000\u0001\u001f\u007f\n\r\t',
  'ünïcødé 测试 🚀 \u202e',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '\\x27 OR 1=1',
  'NULL',
  '-1',
  '18446744073709551616',
  '1e999',
  '*',
  '%',
  '_',
  '2025-11-20T00:00:00Z',
  "2025-11-20T00:00:00Z' OR '1'='1",
  'x'.repeat(10_000),
];
const HOSTILE = HOSTILE_CORE.map((s, i) => `${s}${MARK}${i}`);
/** Body-only: not expressible in a URL (encodeURIComponent refuses lone surrogates). */
const HOSTILE_BODY_ONLY = [`\ud800${MARK}900`];
/** URL-only: percent-encodings that are not UTF-8. */
const HOSTILE_RAW_URL = [`%ff%fe${MARK}901`, `%C0%AF${MARK}902`, `%ED%A0%80${MARK}903`];

const STABLE_4XX = new Set(
  (['API_BAD_REQUEST', 'API_NOT_FOUND', 'UPGRADE_REQUEST_INVALID', 'REGISTRY_INVALID', 'SQL_LITERAL_INVALID', 'AUDIT_PERIOD_INVALID', 'AUDIT_PROFILE_UNKNOWN', 'AUDIT_ENTERPRISE_UNKNOWN', 'AUDIT_RUN_NOT_FOUND', 'AUDIT_REQUEST_INVALID'] as const)
    .filter((n) => n in ERRORS)
    .map((n) => ERRORS[n as keyof typeof ERRORS].code),
);

/** Valid bodies of the routes that take one; a new body route must be added (the test fails otherwise). */
function validBody(o: DocumentedOperation): Record<string, unknown> {
  const a = TENANT_A.enterpriseId;
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /v1/admin/enterprises': { enterprises: [{ enterpriseId: 'ent-inj', name: 'Injection Ltd', region: 'r', industry: 'i', identifierPrefix: '88.303.1' }] },
    'POST /v1/admin/credentials': { role: 'viewer', enterpriseId: a, label: 'l' },
    'POST /v1/admin/assignments': { assignments: [{ enterpriseId: a, scope: 'site', siteId: 's1', deviceId: '', flowId: '', profileId: PROFILE.id, profileVersion: PROFILE.version }] },
    'POST /v1/admin/assignments/withdrawals': { assignments: [{ enterpriseId: a, scope: 'site', siteId: 's1', deviceId: '', flowId: '' }] },
    'POST /v1/programme/audits': { kind: 'programme_audit', ...PERIOD, region: TENANT_A.region },
  };
  const b = bodies[`${o.method} ${o.path}`];
  if (b === undefined) throw new Error(`injection test: no valid body for ${o.method} ${o.path}; add one to validBody()`);
  return b;
}

/** Every string leaf of a JSON value, as a path and a setter on a deep copy. */
function stringLeaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, [...path, i]));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...path, k]));
  return [];
}
function withLeaf(v: unknown, path: (string | number)[], value: string): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]] = value;
  return copy;
}

const VALID_QUERY: Record<string, string> = { from: PERIOD.from, to: PERIOD.to, ...UPGRADE_PERIODS };

let f: ApiFixture;
const keys: Record<string, string> = {};
const TABLES = ['flow_windows', 'flow_discards', 'flow_rollups_1m', 'flow_rollups_1h', 'flow_rollups_1d', 'schema_migrations', 'sentinel'];
let countsBefore: Record<string, string>;
let tablesBefore: string[];

async function counts(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) out[t] = (await f.ch.query<{ n: string }>(`SELECT count() AS n FROM ${t}`))[0].n;
  return out;
}

beforeAll(async () => {
  f = await apiFixture('api_inj');
  await seedTenants(f, PROFILE.id, PROFILE.version);
  await f.ch.command('CREATE TABLE sentinel (x String) ENGINE = MergeTree ORDER BY x');
  await f.ch.insert('sentinel', [{ x: 'canary' }]);
  keys.viewer = (await f.key('viewer', TENANT_A.enterpriseId)).apiKey;
  keys.auditor = (await f.key('auditor')).apiKey;
  keys.admin = (await f.key('admin')).apiKey;
  countsBefore = await counts();
  tablesBefore = (await f.ch.query<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name')).map((r) => r.name);
  f.sent.length = 0;
}, 120_000);
afterAll(async () => f?.close());

function callerFor(o: DocumentedOperation): Record<string, string> {
  if (o.roles.length === 0) return {};
  const role = (['viewer', 'auditor', 'admin'] as const).find((r) => o.roles.includes(r));
  return bearer(keys[role!]);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };

/**
 * Splits a statement into its ClickHouse string literals ('...' with backslash escapes, decoded)
 * and the text outside them; throws on an unterminated literal (a quote that broke out).
 */
function splitLiterals(sql: string): { outside: string; literals: string[] } {
  let outside = '';
  const literals: string[] = [];
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] !== "'") {
      outside += sql[i];
      continue;
    }
    let lit = '';
    i++;
    while (i < sql.length && sql[i] !== "'") {
      if (sql[i] !== '\\') lit += sql[i++];
      else if (sql[i + 1] === 'x') (lit += String.fromCharCode(parseInt(sql.slice(i + 2, i + 4), 16))), (i += 4);
      else (lit += ESCAPES[sql[i + 1]] ?? sql[i + 1]), (i += 2);
    }
    if (i >= sql.length) throw new Error(`unterminated string literal in: ${sql.slice(0, 300)}`);
    literals.push(lit);
    outside += "''";
  }
  return { outside, literals };
}

const ALL_HOSTILE = new Map<string, string>([...HOSTILE, ...HOSTILE_BODY_ONLY].map((h) => [h.slice(h.lastIndexOf(MARK)), h]));

/**
 * Problems of one statement: hostile text outside literals, or a hostile string that is not
 * whole inside one literal (it was cut into SQL and literals, as "' OR '1'='1" would be).
 */
function injectionProblems(sql: string): string[] {
  const { outside, literals } = splitLiterals(sql);
  const problems: string[] = [];
  if (outside.includes(MARK)) problems.push('hostile text outside a string literal');
  for (const m of new Set(sql.match(new RegExp(`${MARK}\\d+`, 'g')) ?? [])) {
    const h = ALL_HOSTILE.get(m);
    if (h !== undefined && !literals.some((l) => l.includes(h))) problems.push(`hostile string ${m} is not whole inside one literal`);
  }
  return problems;
}

describe('hostile strings through every route', () => {
  it('answer no 5xx, only stable 4xx codes, and store accepted text byte for byte', async () => {
    let requests = 0;
    let accepted = 0;
    let storedExactly = 0;
    for (const o of documentedOperations(f.api.openapi)) {
      const headers = callerFor(o);
      const path = Object.fromEntries(o.pathParams.map((n) => [n, 'placeholder']));
      const query = Object.fromEntries(o.queryParams.filter((n) => n in VALID_QUERY).map((n) => [n, VALID_QUERY[n]]));
      const body = o.hasBody ? validBody(o) : undefined;
      const probes: { url: string; payload?: unknown; hostile: string; leaf?: string }[] = [];
      const encoded = (s: string) => encodeURIComponent(s);
      for (const name of [...o.pathParams, ...o.queryParams]) {
        const values = [...HOSTILE.map((h) => [h, encoded(h)]), ...HOSTILE_RAW_URL.map((h) => [h, h])];
        for (const [hostile, enc] of values) {
          const p = o.pathParams.includes(name) ? fillPath(o.path, (n) => (n === name ? '\u0001' : path[n])).replace('%01', enc) : fillPath(o.path, (n) => path[n]);
          const q = o.queryParams.includes(name) ? { ...query, [name]: '\u0001' } : query;
          const qs = new URLSearchParams(q).toString().replace('%01', enc);
          probes.push({ url: qs ? `${p}?${qs}` : p, payload: body, hostile });
        }
      }
      if (body !== undefined) {
        for (const leaf of stringLeaves(body)) {
          for (const hostile of [...HOSTILE, ...HOSTILE_BODY_ONLY]) {
            let payload = withLeaf(body, leaf, hostile);
            // Hostile enterprise ids that pass the schema get registered: each needs a prefix of its own.
            if (o.path === '/v1/admin/enterprises' && leaf.join('.') !== 'enterprises.0.identifierPrefix') payload = withLeaf(payload, ['enterprises', 0, 'identifierPrefix'], `88.303.${probes.length + 1}`);
            probes.push({ url: fillPath(o.path, (n) => path[n]) + (Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''), payload, hostile, leaf: leaf.join('.') });
          }
        }
      }
      for (const p of probes) {
        const r = await f.api.app.inject({ method: o.method as 'GET', url: p.url, headers, ...(p.payload !== undefined ? { payload: p.payload as object } : {}) });
        requests++;
        const where = `${o.method} ${p.url.slice(0, 200)} ${p.leaf ?? ''}`;
        expect(r.statusCode, `${where}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
        if (r.statusCode >= 400) {
          expect(r.headers['content-type'], where).toMatch(/^application\/json/);
          expect(STABLE_4XX.has(r.json().error.code), `${where}: ${r.body.slice(0, 300)}`).toBe(true);
        } else {
          accepted++;
          if (o.method === 'POST' && o.path === '/v1/admin/enterprises' && p.leaf === 'enterprises.0.name') {
            const list = (await f.api.app.inject({ method: 'GET', url: '/v1/admin/enterprises', headers })).json().enterprises as { enterpriseId: string; name: string }[];
            expect(list.find((e) => e.enterpriseId === 'ent-inj')?.name, where).toBe(p.hostile);
            storedExactly++;
          }
        }
      }
    }
    console.log(`[injection] ${requests} requests, ${accepted} accepted (2xx), ${storedExactly} hostile names stored and read back exactly`);
    expect(requests).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(10);
    expect(storedExactly).toBeGreaterThan(20);
  }, 600_000);

  it('changed no table but the registry and audit runs, and the sentinel is intact', async () => {
    expect(await counts()).toEqual(countsBefore);
    expect((await f.ch.query<{ x: string }>('SELECT x FROM sentinel')).map((r) => r.x)).toEqual(['canary']);
    const tablesAfter = (await f.ch.query<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name')).map((r) => r.name);
    expect(tablesAfter).toEqual(tablesBefore);
  });

  it('sent only SELECTs and JSONEachRow INSERTs, with hostile text only inside string literals', () => {
    expect(f.sent.length).toBeGreaterThan(100);
    let hostileInLiterals = 0;
    for (const s of f.sent) {
      const head = s.sql.trim().slice(0, 200);
      if (s.kind === 'insert') expect(head, head).toMatch(/^INSERT INTO [A-Za-z_]+ FORMAT JSONEachRow$/);
      else expect([s.kind, head], head).toEqual(['query', expect.stringMatching(/^(SELECT|WITH)\s/)]);
      if (s.kind === 'insert') continue;
      expect(injectionProblems(s.sql), s.sql.slice(0, 500)).toEqual([]);
      if (s.sql.includes(MARK)) hostileInLiterals++;
    }
    // Hostile ids that pass the schemas reach SQL, as literals (GET /v1/admin/assignments?enterpriseId=...).
    console.log(`[injection] ${f.sent.length} statements sent, ${hostileInLiterals} carried hostile text (inside literals only)`);
    expect(hostileInLiterals).toBeGreaterThan(0);
  });

  it('the statement check would catch a value pasted into SQL', () => {
    const pasted = (raw: string) => `SELECT * FROM enterprises WHERE enterprise_id = '${raw}' AND deleted = 0`;
    let caught = 0;
    for (const h of HOSTILE.filter((x) => x.includes("'"))) {
      let problems: string[];
      try {
        problems = injectionProblems(pasted(h));
      } catch {
        problems = ['unterminated literal'];
      }
      expect(problems.length, h).toBeGreaterThan(0);
      caught++;
      expect(injectionProblems(`SELECT * FROM enterprises WHERE enterprise_id = ${sqlString(h)} AND deleted = 0`)).toEqual([]);
    }
    expect(caught).toBeGreaterThan(8);
  });

  it('every hostile string survives literal.ts on the real server unchanged', async () => {
    for (const h of HOSTILE) {
      const [row] = await f.ch.query<{ v: string }>(`SELECT ${sqlString(h)} AS v`);
      expect(row.v).toBe(h);
    }
  });
});
