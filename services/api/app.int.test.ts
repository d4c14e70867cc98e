// The API against the real registry in ClickHouse: the OpenAPI document, authentication and
// the role matrix over every documented route, the admin routes end to end, and validation
// answers that never echo their input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../core/errors.ts';
import { ROLES } from '../core/tenancy/types.ts';
import { openApiPath } from './openapi.ts';
import { apiFixture, bearer, documentedOperations, fillPath, type ApiFixture } from './testkit.ts';

let f: ApiFixture;
const keys: Record<string, string> = {};

beforeAll(async () => {
  f = await apiFixture('api_app');
  await f.registry.putEnterprises([{ enterpriseId: 'ent-a', name: 'A', region: 'north', industry: 'steel', identifierPrefix: '88.100.1' }]);
  keys.ingest = (await f.key('ingest', 'ent-a')).apiKey;
  keys.viewer = (await f.key('viewer', 'ent-a')).apiKey;
  keys.auditor = (await f.key('auditor')).apiKey;
  keys.admin = (await f.key('admin')).apiKey;
}, 60_000);
afterAll(async () => f?.close());

const ops = () => documentedOperations(f.api.openapi);
const inject = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  f.api.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('OpenAPI document', () => {
  it('is served at /openapi.json without a key and equals the built document', async () => {
    const r = await inject('GET', '/openapi.json');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(JSON.parse(JSON.stringify(f.api.openapi)));
  });

  it('is structurally an OpenAPI 3.1 document', () => {
    const doc = f.api.openapi as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Record<string, unknown>>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title.length).toBeGreaterThan(0);
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    const operationIds = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths)) {
      expect(p.startsWith('/'), p).toBe(true);
      expect(p).not.toMatch(/:/); // fastify syntax must have become {param}
      const templated = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'post', 'put', 'delete', 'patch']).toContain(method);
        const params = (op.parameters as { name: string; in: string; required: boolean; schema: unknown }[]) ?? [];
        expect(params.filter((x) => x.in === 'path').map((x) => x.name).sort(), `${method} ${p}`).toEqual(templated);
        for (const x of params) {
          expect(['path', 'query']).toContain(x.in);
          if (x.in === 'path') expect(x.required).toBe(true);
          expect(typeof x.schema).toBe('object');
        }
        const responses = op.responses as Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
        expect(Object.keys(responses).some((s) => /^2\d\d$/.test(s)), `${method} ${p} has a success answer`).toBe(true);
        for (const [status, res] of Object.entries(responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(res.description.length).toBeGreaterThan(0);
        }
        expect(typeof op.operationId).toBe('string');
        expect(operationIds.has(op.operationId as string), `duplicate operationId ${String(op.operationId)}`).toBe(false);
        operationIds.add(op.operationId as string);
        for (const s of op.security as Record<string, unknown>[]) for (const name of Object.keys(s)) expect(doc.components.securitySchemes).toHaveProperty(name);
        const roles = op['x-isochron-roles'] as string[];
        for (const role of roles) expect(ROLES).toContain(role);
        expect(roles).not.toContain('ingest'); // ingest keys have nothing to do in the API
        expect((op.security as unknown[]).length > 0).toBe(roles.length > 0);
      }
    }
  });

  it('lists every route fastify registered, and nothing else', () => {
    const registered = f.api.registered.map((r) => `${r.method} ${openApiPath(r.url)}`).sort();
    const documented = ops().map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual(registered);
    expect(registered.length).toBeGreaterThanOrEqual(10);
  });

  it('closes every object schema (additionalProperties: false or a typed map) except free-form profile thresholds and error details', () => {
    const open: string[] = [];
    const walk = (s: unknown, at: string) => {
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}[${i}]`));
      if (typeof s !== 'object' || s === null) return;
      const o = s as Record<string, unknown>;
      // Closed, or a typed map (additionalProperties: {schema}); free-form only where documented.
      if (o.type === 'object' && o.additionalProperties !== false && typeof o.additionalProperties !== 'object') open.push(at);
      for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
    };
    for (const r of f.api.routes) walk(r.schema, `${r.method} ${r.url}`);
    expect(open.every((p) => /\/(thresholds|details)$/.test(p)), open.join('\n')).toBe(true);
  });
});

describe('authentication and roles on every documented route', () => {
  it('answers 401 ISO_AUTH_MISSING without a key and ISO_AUTH_INVALID with a bad one', async () => {
    for (const o of ops().filter((x) => x.roles.length > 0)) {
      const url = fillPath(o.path, () => 'x');
      const none = await inject(o.method, url);
      expect([o.path, none.statusCode, none.json().error.code]).toEqual([o.path, 401, ERRORS.AUTH_MISSING.code]);
      for (const h of ['Bearer nonsense', `Bearer ${keys.viewer.slice(0, -2)}AA`, `Basic ${Buffer.from('a:b').toString('base64')}`, keys.viewer]) {
        const bad = await inject(o.method, url, { authorization: h });
        expect([o.path, h, bad.statusCode, bad.json().error.code]).toEqual([o.path, h, 401, ERRORS.AUTH_INVALID.code]);
      }
    }
  });

  it('answers 403 ISO_AUTH_FORBIDDEN to every role a route does not list, ingest everywhere', async () => {
    let forbidden = 0;
    for (const o of ops().filter((x) => x.roles.length > 0)) {
      for (const role of ROLES) {
        if (o.roles.includes(role)) continue;
        const r = await inject(o.method, fillPath(o.path, () => 'x'), bearer(keys[role]));
        expect([o.method, o.path, role, r.statusCode, r.json().error.code]).toEqual([o.method, o.path, role, 403, ERRORS.AUTH_FORBIDDEN.code]);
        forbidden++;
      }
    }
    expect(forbidden).toBeGreaterThan(10);
  });

  it('serves health, readiness, metrics and the document without a key', async () => {
    for (const u of ['/healthz', '/readyz', '/metrics', '/openapi.json']) expect((await inject('GET', u)).statusCode, u).toBe(200);
    const m = await inject('GET', '/metrics');
    expect(m.body).toMatch(/isochron_api_requests_total\{route="\/v1\/profiles",method="GET",status="401"\}/);
  });

  it('answers 404 ISO_API_NOT_FOUND for unknown routes', async () => {
    const r = await inject('GET', '/v1/nothing', bearer(keys.admin));
    expect([r.statusCode, r.json().error.code]).toEqual([404, ERRORS.API_NOT_FOUND.code]);
  });
});

describe('validation', () => {
  it('rejects unknown and repeated query keys with ISO_API_BAD_REQUEST, never echoing them', async () => {
    for (const url of ['/v1/profiles?enterpriseId=SECRET_B', '/v1/profiles/x?version=1&version=2', '/v1/profiles/%3Cscript%3E', '/v1/admin/enterprises?asOf=SECRET_B']) {
      const r = await inject('GET', url, bearer(url.includes('admin') ? keys.admin : keys.viewer));
      expect([url, r.statusCode, r.json().error.code]).toEqual([url, 400, ERRORS.API_BAD_REQUEST.code]);
      expect(r.body).not.toMatch(/SECRET_B|script/);
    }
  });
});

describe('admin routes', () => {
  it('creates enterprises, keys (shown once), assignments, and revokes keys', async () => {
    const put = await inject('POST', '/v1/admin/enterprises', bearer(keys.admin), { enterprises: [{ enterpriseId: 'ent-b', name: 'B', region: 'south', industry: 'auto', identifierPrefix: '88.100.2' }] });
    expect(put.statusCode).toBe(200);
    const v1 = BigInt(put.json().registryVersion);
    const list = await inject('GET', '/v1/admin/enterprises', bearer(keys.admin));
    expect(list.json().enterprises.map((e: { enterpriseId: string }) => e.enterpriseId)).toEqual(['ent-a', 'ent-b']);
    const before = await inject('GET', `/v1/admin/enterprises?asOf=${v1 - 1n}`, bearer(keys.admin));
    expect(before.json().enterprises.map((e: { enterpriseId: string }) => e.enterpriseId)).toEqual(['ent-a']);

    const created = await inject('POST', '/v1/admin/credentials', bearer(keys.admin), { role: 'viewer', enterpriseId: 'ent-b', label: 'B dashboard' });
    expect(created.statusCode).toBe(201);
    const { apiKey, credential } = created.json();
    expect(apiKey).toMatch(/^iso_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(credential).toMatchObject({ role: 'viewer', enterpriseId: 'ent-b', label: 'B dashboard', keyId: apiKey.slice(4, 20) });
    const creds = await inject('GET', '/v1/admin/credentials', bearer(keys.admin));
    expect(creds.body).not.toContain(apiKey.slice(21));
    expect(creds.body).not.toMatch(/sha256|secret/i);
    await f.authenticator.refresh(); // the fixture's authenticator reloads only on demand
    expect((await inject('GET', '/v1/profiles', bearer(apiKey))).statusCode).toBe(200);

    expect((await inject('POST', '/v1/admin/credentials', bearer(keys.admin), { role: 'viewer', label: 'no enterprise' })).json().error.code).toBe(ERRORS.REGISTRY_INVALID.code);
    expect((await inject('POST', '/v1/admin/credentials', bearer(keys.admin), { role: 'viewer', enterpriseId: 'ent-zzz' })).json().error.code).toBe(ERRORS.REGISTRY_INVALID.code);

    const revoked = await inject('DELETE', `/v1/admin/credentials/${credential.keyId}`, bearer(keys.admin));
    expect(revoked.statusCode).toBe(200);
    await f.authenticator.refresh();
    const after = await inject('GET', '/v1/profiles', bearer(apiKey));
    expect([after.statusCode, after.json().error.code]).toEqual([401, ERRORS.AUTH_INVALID.code]);
    expect((await inject('DELETE', `/v1/admin/credentials/${credential.keyId}`, bearer(keys.admin))).statusCode).toBe(404);

    const profile = f.api.routes.length > 0 ? (await inject('GET', '/v1/profiles', bearer(keys.admin))).json().profiles[0] : null;
    const assignment = { enterpriseId: 'ent-b', scope: 'site', siteId: 'site-b', deviceId: '', flowId: '', profileId: profile.id, profileVersion: profile.version };
    const unknownProfile = await inject('POST', '/v1/admin/assignments', bearer(keys.admin), { assignments: [{ ...assignment, profileVersion: 999 }] });
    expect([unknownProfile.statusCode, unknownProfile.json().error.code]).toEqual([400, ERRORS.REGISTRY_INVALID.code]);
    const assigned = await inject('POST', '/v1/admin/assignments', bearer(keys.admin), { assignments: [assignment] });
    expect(assigned.statusCode).toBe(200);
    const withdrawn = await inject('POST', '/v1/admin/assignments/withdrawals', bearer(keys.admin), { assignments: [{ enterpriseId: 'ent-b', scope: 'site', siteId: 'site-b', deviceId: '', flowId: '' }] });
    expect(withdrawn.statusCode).toBe(200);
    const history = (await inject('GET', '/v1/admin/assignments?enterpriseId=ent-b', bearer(keys.admin))).json();
    expect(history.assignments.map((a: { deleted: boolean; registryVersion: string }) => [a.deleted, a.registryVersion])).toEqual([
      [false, assigned.json().registryVersion],
      [true, withdrawn.json().registryVersion],
    ]);
    const asOfAssigned = (await inject('GET', `/v1/admin/assignments?asOf=${assigned.json().registryVersion}`, bearer(keys.admin))).json();
    expect(asOfAssigned.assignments).toHaveLength(1);

    expect((await inject('DELETE', '/v1/admin/enterprises/ent-b', bearer(keys.admin))).statusCode).toBe(200);
    expect((await inject('DELETE', '/v1/admin/enterprises/ent-b', bearer(keys.admin))).statusCode).toBe(404);
  });

  it('answers 400 for malformed JSON and wrong body types, without echoing them', async () => {
    const r = await f.api.app.inject({ method: 'POST', url: '/v1/admin/enterprises', headers: { ...bearer(keys.admin), 'content-type': 'application/json' }, payload: '{"enterprises": [SECRET' });
    expect([r.statusCode, r.json().error.code]).toEqual([400, ERRORS.API_BAD_REQUEST.code]);
    expect(r.body).not.toContain('SECRET');
    const proto = await f.api.app.inject({ method: 'POST', url: '/v1/admin/credentials', headers: { ...bearer(keys.admin), 'content-type': 'application/json' }, payload: '{"role":"admin","__proto__":{"x":1}}' });
    expect([proto.statusCode, proto.json().error.code]).toEqual([400, ERRORS.API_BAD_REQUEST.code]);
  });
});

describe('profiles', () => {
  it('lists the catalog and serves one profile by id and version', async () => {
    const list = (await inject('GET', '/v1/profiles', bearer(keys.viewer))).json().profiles as { id: string; version: number }[];
    expect(list.length).toBe(f.api.routes.length > 0 ? (await import('../adapters/profiles/load.ts')).loadProfiles().profiles.length : 0);
    const one = await inject('GET', `/v1/profiles/${list[0].id}?version=${list[0].version}`, bearer(keys.auditor));
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: list[0].id, version: list[0].version });
    expect(Object.keys(one.json().thresholds).length).toBeGreaterThan(0);
    expect((await inject('GET', `/v1/profiles/${list[0].id}?version=99999`, bearer(keys.viewer))).statusCode).toBe(404);
  });
});
