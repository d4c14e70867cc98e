// Tenant isolation: with A's keys (viewer, ingest), no key, a malformed key and a revoked key,
// every route of the served OpenAPI document (a new route is covered automatically) is tried
// with every parameter set to B's identifiers, unknown enterprise parameters, header tricks and
// path traversal. No answer may contain B's data, and the status codes are the expected ones.
// Positive controls: A's viewer sees A, B's viewer sees B only, an auditor sees both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../core/errors.ts';
import { markersOf, PERIOD, seedTenants, TENANT_A, TENANT_B, UPGRADE_PERIODS } from './tenants.fixture.ts';
import { apiFixture, bearer, documentedOperations, fillPath, type ApiFixture, type DocumentedOperation } from './testkit.ts';

const PROFILE = { id: 'tsn-rfc8578-critical-control-50ms', version: 1 };
let f: ApiFixture;
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  f = await apiFixture('api_iso');
  await seedTenants(f, PROFILE.id, PROFILE.version);
  keys.viewerA = (await f.key('viewer', TENANT_A.enterpriseId)).apiKey;
  keys.ingestA = (await f.key('ingest', TENANT_A.enterpriseId)).apiKey;
  keys.viewerB = (await f.key('viewer', TENANT_B.enterpriseId)).apiKey;
  keys.auditor = (await f.key('auditor')).apiKey;
  const revoked = await f.key('viewer', TENANT_A.enterpriseId, 'revoked');
  keys.revokedA = revoked.apiKey;
  const keyB = await f.key('ingest', TENANT_B.enterpriseId, 'B ingest');
  ids.keyIdB = keyB.keyId;
  await f.registry.revokeCredential(revoked.keyId);
  await f.authenticator.refresh();
  for (const [name, body] of [
    ['runIdB', { kind: 'enterprise_compliance', enterpriseId: TENANT_B.enterpriseId, ...PERIOD }],
    ['runIdA', { kind: 'enterprise_compliance', enterpriseId: TENANT_A.enterpriseId, ...PERIOD }],
  ] as const) {
    const r = await f.api.app.inject({ method: 'POST', url: '/v1/programme/audits', headers: bearer(keys.auditor), payload: body });
    ids[name] = r.json().run.runId;
  }
  ids.version = String(await f.registry.currentVersion());
}, 120_000);
afterAll(async () => f?.close());

/** A valid value for every parameter name the API uses; a new name must be added here (the test fails otherwise). */
function validValue(name: string): string {
  const table: Record<string, string> = {
    from: PERIOD.from,
    to: PERIOD.to,
    profile: PROFILE.id,
    profileId: PROFILE.id,
    version: String(PROFILE.version),
    asOf: ids.version,
    failedWindowsLimit: '10',
    region: TENANT_A.region,
    industry: TENANT_A.industry,
    networkType: '5g',
    enterpriseId: TENANT_A.enterpriseId,
    runId: ids.runIdA,
    keyId: '0123456789abcdef',
    baselineFrom: UPGRADE_PERIODS.baselineFrom,
    baselineTo: UPGRADE_PERIODS.baselineTo,
    afterFrom: UPGRADE_PERIODS.afterFrom,
    afterTo: UPGRADE_PERIODS.afterTo,
    site: TENANT_A.siteId,
    seed: '3',
    worstFlows: '5',
  };
  const v = table[name];
  if (v === undefined) throw new Error(`isolation test: no valid value for parameter "${name}"; add one to validValue()`);
  return v;
}

/** What a caller might send to reach B: B's identifiers, its run and key ids, traversal and encoding tricks. */
const hostileValues = () => [
  ...markersOf(TENANT_B),
  ids.runIdB,
  ids.keyIdB,
  `../${TENANT_B.enterpriseId}`,
  `${TENANT_A.enterpriseId}/../${TENANT_B.enterpriseId}`,
  `../../v1/programme/enterprises/${TENANT_B.enterpriseId}/compliance`,
  `${TENANT_B.enterpriseId}\u0000`,
  `${TENANT_A.enterpriseId},${TENANT_B.enterpriseId}`,
  `${TENANT_A.enterpriseId}' OR enterprise_id = '${TENANT_B.enterpriseId}`,
  '*',
  '%',
];
const UNKNOWN_KEYS = ['enterpriseId', 'enterprise_id', 'enterprise', 'tenant', 'tenantId', 'siteId', 'site', 'deviceId', 'flowId', 'keyId', 'runId'];
const HEADER_TRICKS: Record<string, string>[] = [
  { 'x-enterprise-id': TENANT_B.enterpriseId },
  { 'x-tenant-id': TENANT_B.enterpriseId },
  { 'x-original-url': `/v1/programme/enterprises/${TENANT_B.enterpriseId}/compliance` },
  { 'x-rewrite-url': `/v1/programme/audit` },
  { 'x-forwarded-prefix': `/v1/programme/enterprises/${TENANT_B.enterpriseId}` },
  { 'x-api-key': '' }, // filled with B's key in requestsFor
];

interface Probe {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: unknown;
  /** Valid apart from the caller: the answer must be 200 for an allowed caller. */
  readonly valid: boolean;
  /** A path trick: the URL may resolve to another route (or none). */
  readonly trick?: boolean;
}

function urlOf(o: DocumentedOperation, path: Record<string, string>, query: Record<string, string>): string {
  const qs = new URLSearchParams(query).toString();
  return fillPath(o.path, (n) => path[n]) + (qs ? `?${qs}` : '');
}

function probesFor(o: DocumentedOperation): Probe[] {
  const path = Object.fromEntries(o.pathParams.map((n) => [n, validValue(n)]));
  const requiredQuery = Object.fromEntries(o.queryParams.filter((n) => o.requiredQuery.includes(n)).map((n) => [n, validValue(n)]));
  const base = { method: o.method, headers: {} };
  const payload = o.hasBody ? { kind: 'enterprise_compliance', enterpriseId: TENANT_B.enterpriseId, ...PERIOD } : undefined;
  const out: Probe[] = [{ ...base, url: urlOf(o, path, requiredQuery), payload, valid: !o.hasBody }];
  for (const name of [...o.pathParams, ...o.queryParams]) {
    for (const v of hostileValues()) {
      const p = o.pathParams.includes(name) ? { ...path, [name]: v } : path;
      const q = o.queryParams.includes(name) ? { ...requiredQuery, [name]: v } : requiredQuery;
      out.push({ ...base, url: urlOf(o, p, q), payload, valid: false });
    }
  }
  for (const k of UNKNOWN_KEYS.filter((k) => !o.queryParams.includes(k))) {
    out.push({ ...base, url: urlOf(o, path, { ...requiredQuery, [k]: TENANT_B.enterpriseId }), payload, valid: false });
  }
  for (const h of HEADER_TRICKS) {
    const headers = 'x-api-key' in h ? { 'x-api-key': keys.viewerB } : h;
    out.push({ ...base, url: urlOf(o, path, requiredQuery), headers, payload, valid: !o.hasBody });
  }
  const plain = urlOf(o, path, requiredQuery);
  const [p0, q0] = plain.split('?');
  for (const trick of [`${p0}/../programme/enterprises/${TENANT_B.enterpriseId}/compliance`, `${p0};enterpriseId=${TENANT_B.enterpriseId}`, `${p0}%2F..%2F..%2Fprogramme%2Faudit`, `${p0}/${TENANT_B.enterpriseId}`]) {
    out.push({ ...base, url: q0 ? `${trick}?${q0}` : trick, payload, valid: false, trick: true });
  }
  if (q0) out.push({ ...base, url: `${plain}&from=${encodeURIComponent(PERIOD.from)}`, payload, valid: false }); // repeated key
  return out;
}

/** B's markers, less those the request itself carried (an echo of the caller's own input is not a leak). */
function forbiddenFor(p: Probe): string[] {
  const sent = decodeURIComponent(p.url.replace(/\+/g, ' ')) + JSON.stringify(p.headers) + JSON.stringify(p.payload ?? null);
  return markersOf(TENANT_B).filter((m) => !sent.toLowerCase().includes(m.toLowerCase()));
}

async function send(p: Probe, authorization: string | undefined) {
  const headers = { ...p.headers, ...(authorization === undefined ? {} : { authorization }) };
  return f.api.app.inject({ method: p.method as 'GET', url: p.url, headers, ...(p.payload !== undefined ? { payload: p.payload as object } : {}) });
}

describe('tenant isolation over every documented route', () => {
  const callers: { name: string; auth: () => string | undefined; expect: (o: DocumentedOperation) => number[]; code?: string }[] = [
    { name: 'viewer A', auth: () => `Bearer ${keys.viewerA}`, expect: (o) => (o.roles.includes('viewer') ? [200, 400, 404] : [403, 400, 404]) },
    { name: 'ingest A', auth: () => `Bearer ${keys.ingestA}`, expect: () => [403, 404], code: ERRORS.AUTH_FORBIDDEN.code },
    { name: 'no key', auth: () => undefined, expect: () => [401, 404], code: ERRORS.AUTH_MISSING.code },
    { name: 'malformed key', auth: () => `Bearer iso_${'g'.repeat(16)}_${TENANT_B.enterpriseId}`, expect: () => [401, 404], code: ERRORS.AUTH_INVALID.code },
    { name: 'revoked key of A', auth: () => `Bearer ${keys.revokedA}`, expect: () => [401, 404], code: ERRORS.AUTH_INVALID.code },
    { name: "B's key in another scheme", auth: () => `Basic ${keys.viewerB}`, expect: () => [401, 404], code: ERRORS.AUTH_INVALID.code },
  ];

  for (const caller of callers) {
    it(`${caller.name}: never sees B's data, with the expected status`, async () => {
      let probes = 0;
      let ok = 0;
      const statuses = new Map<number, number>();
      for (const o of documentedOperations(f.api.openapi)) {
        const isPublic = o.roles.length === 0;
        for (const p of probesFor(o)) {
          const r = await send(p, caller.auth());
          probes++;
          statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
          const where = `${caller.name} ${p.method} ${p.url} ${JSON.stringify(p.headers)}`;
          expect(r.statusCode, `${where}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
          for (const m of forbiddenFor(p)) expect(r.body.toLowerCase().includes(m.toLowerCase()), `${where} leaks ${m}: ${r.body.slice(0, 300)}`).toBe(false);
          if (isPublic) continue; // health, metrics, document: the same for everyone
          // A path trick may land on another route: for A's viewer that is at most a 403 there.
          const allowed = p.trick && caller.name === 'viewer A' ? [200, 400, 403, 404] : caller.expect(o);
          expect(allowed, `${where} -> ${r.statusCode} ${r.body.slice(0, 200)}`).toContain(r.statusCode);
          // 404 only for URLs that match no route at all (path tricks); a matched route authenticates first.
          if (r.statusCode === 404 && caller.code !== undefined) expect(r.json().error.code, where).toBe(ERRORS.API_NOT_FOUND.code);
          if (caller.code !== undefined && r.statusCode !== 404) expect(r.json().error.code, where).toBe(caller.code);
          if (caller.name === 'viewer A' && o.roles.includes('viewer') && p.valid) {
            expect(r.statusCode, `${where}: ${r.body.slice(0, 300)}`).toBe(200);
            ok++;
          }
        }
      }
      expect(probes).toBeGreaterThan(500);
      if (caller.name === 'viewer A') expect(ok).toBeGreaterThan(5);
    }, 300_000);
  }

  it("viewer A sees A's data; viewer B sees B's and nothing of A; an auditor sees both", async () => {
    const get = (url: string, key: string) => f.api.app.inject({ method: 'GET', url, headers: bearer(key) });
    const q = new URLSearchParams(PERIOD).toString();
    const a = await get(`/v1/compliance?${q}`, keys.viewerA);
    for (const m of [TENANT_A.enterpriseId, TENANT_A.flowId, TENANT_A.deviceId, String(TENANT_A.delayNs)]) expect(a.body).toContain(m);
    const b = await get(`/v1/compliance?${q}`, keys.viewerB);
    for (const m of [TENANT_B.enterpriseId, TENANT_B.flowId, TENANT_B.deviceId, String(TENANT_B.delayNs)]) expect(b.body).toContain(m);
    for (const m of markersOf(TENANT_A)) expect(b.body).not.toContain(m);
    for (const m of markersOf(TENANT_B)) expect(a.body).not.toContain(m);
    const audit = await get(`/v1/programme/audit?${q}`, keys.auditor);
    for (const m of [TENANT_A.enterpriseId, TENANT_B.enterpriseId, TENANT_A.region, TENANT_B.region]) expect(audit.body).toContain(m);
    const drill = await get(`/v1/programme/enterprises/${TENANT_B.enterpriseId}/compliance?${q}`, keys.auditor);
    expect(drill.body).toContain(TENANT_B.flowId);
    expect(drill.body).not.toContain(TENANT_A.flowId);
  });
});
