// Compliance and programme routes against the real ClickHouse: the API's body is the compliance
// function's own answer, unchanged by serialization (the response schemas drop nothing), the CSV
// is streamed byte for byte, and audit runs replay to the same content hash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLines } from '../compliance/csv-export.ts';
import { enterpriseCompliance, programmeAudit } from '../compliance/index.ts';
import { ERRORS } from '../core/errors.ts';
import { parseTimestampNs } from './time.ts';
import { PERIOD, seedTenants, TENANT_A, TENANT_B } from './tenants.fixture.ts';
import { apiFixture, bearer, type ApiFixture } from './testkit.ts';

const PROFILE = { id: 'tsn-rfc8578-critical-control-50ms', version: 1 };
let f: ApiFixture;
const keys: Record<string, string> = {};
const json = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
const period = { fromNs: parseTimestampNs(PERIOD.from, 'from'), toNs: parseTimestampNs(PERIOD.to, 'to') };

beforeAll(async () => {
  f = await apiFixture('api_audit');
  await seedTenants(f, PROFILE.id, PROFILE.version);
  keys.viewerA = (await f.key('viewer', TENANT_A.enterpriseId)).apiKey;
  keys.viewerB = (await f.key('viewer', TENANT_B.enterpriseId)).apiKey;
  keys.auditor = (await f.key('auditor')).apiKey;
}, 120_000);
afterAll(async () => f?.close());

const get = (url: string, key: string) => f.api.app.inject({ method: 'GET', url, headers: bearer(key) });

describe('GET /v1/compliance', () => {
  it("answers the viewer's own enterprise exactly as enterpriseCompliance does", async () => {
    const r = await get(`/v1/compliance?${q(PERIOD)}`, keys.viewerA);
    expect(r.statusCode).toBe(200);
    const expected = await enterpriseCompliance(f.ch, f.api.deps.catalog, f.registry, { enterpriseId: TENANT_A.enterpriseId, ...period });
    expect(r.json()).toEqual(json(expected));
    expect(r.json().flows.map((x: { flowId: string }) => x.flowId)).toEqual([TENANT_A.flowId]);
    const b = await get(`/v1/compliance?${q(PERIOD)}`, keys.viewerB);
    expect(b.json().enterprise.enterpriseId).toBe(TENANT_B.enterpriseId);
    expect(b.json().failedWindows.total).toBe(8); // B's 97.5 ms delays break the 50 ms bound in every window
  });

  it('takes an explicit profile (id or id@version) and a registry version', async () => {
    const r = await get(`/v1/compliance?${q({ ...PERIOD, profile: 'tsn-rfc8578-critical-control-100us@1', failedWindowsLimit: '1' })}`, keys.viewerB);
    const expected = await enterpriseCompliance(f.ch, f.api.deps.catalog, f.registry, { enterpriseId: TENANT_B.enterpriseId, ...period, profile: { id: 'tsn-rfc8578-critical-control-100us', version: 1 }, failedWindowsLimit: 1 });
    expect(r.json()).toEqual(json(expected));
    expect(r.json().failedWindows).toMatchObject({ limit: 1, total: 8 });
    expect(r.json().failedWindows.windows).toHaveLength(1);
    const before = await get(`/v1/compliance?${q({ ...PERIOD, asOf: '1' })}`, keys.viewerA);
    expect([before.statusCode, before.json().error.code]).toEqual([404, ERRORS.AUDIT_ENTERPRISE_UNKNOWN.code]);
  });

  it('rejects bad periods with stable 400 codes', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ from: '2025-11-20T00:30:00Z', to: PERIOD.to }, ERRORS.AUDIT_PERIOD_INVALID.code],
      [{ from: PERIOD.to, to: PERIOD.from }, ERRORS.API_BAD_REQUEST.code],
      [{ from: '2025-02-30T00:00:00Z', to: PERIOD.to }, ERRORS.API_BAD_REQUEST.code],
      [{ from: '2020-01-01T00:00:00Z', to: PERIOD.to }, ERRORS.API_BAD_REQUEST.code], // longer than maxRangeDays
      [{ from: '1763596800', to: PERIOD.to }, ERRORS.API_BAD_REQUEST.code],
      [{ from: PERIOD.from }, ERRORS.API_BAD_REQUEST.code],
      [{ ...PERIOD, profile: 'no-such-profile' }, ERRORS.AUDIT_PROFILE_UNKNOWN.code],
    ];
    for (const [query, code] of cases) {
      const r = await get(`/v1/compliance?${q(query)}`, keys.viewerA);
      expect([query, r.json().error?.code]).toEqual([query, code]);
      expect(r.statusCode).toBeLessThan(500);
    }
  });
});

describe('programme routes', () => {
  it('GET /v1/programme/audit equals programmeAudit, with filters', async () => {
    const all = await get(`/v1/programme/audit?${q(PERIOD)}`, keys.auditor);
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual(json(await programmeAudit(f.ch, f.api.deps.catalog, f.registry, period)));
    expect(all.json().rows.map((r: { enterpriseId: string }) => r.enterpriseId)).toEqual([TENANT_A.enterpriseId, TENANT_B.enterpriseId]);
    const south = await get(`/v1/programme/audit?${q({ ...PERIOD, region: TENANT_B.region, networkType: 'tsn', profile: PROFILE.id })}`, keys.auditor);
    expect(south.json()).toEqual(json(await programmeAudit(f.ch, f.api.deps.catalog, f.registry, { ...period, filters: { region: TENANT_B.region, networkType: 'tsn', profileId: PROFILE.id } })));
    expect(south.json().rows.map((r: { enterpriseId: string }) => r.enterpriseId)).toEqual([TENANT_B.enterpriseId]);
  });

  it('GET /v1/programme/audit.csv streams the CSV with its hashes in headers', async () => {
    const r = await get(`/v1/programme/audit.csv?${q(PERIOD)}`, keys.auditor);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const audit = await programmeAudit(f.ch, f.api.deps.catalog, f.registry, period);
    expect(r.body).toBe([...csvLines(audit)].join(''));
    expect(r.headers['x-isochron-content-hash']).toBe(audit.contentHash);
    const { createHash } = await import('node:crypto');
    expect(r.headers['x-isochron-csv-sha256']).toBe(`sha256:${createHash('sha256').update(r.body).digest('hex')}`);
  });

  it('drills down into any enterprise for an auditor', async () => {
    const r = await get(`/v1/programme/enterprises/${TENANT_B.enterpriseId}/compliance?${q(PERIOD)}`, keys.auditor);
    expect(r.json()).toEqual(json(await enterpriseCompliance(f.ch, f.api.deps.catalog, f.registry, { enterpriseId: TENANT_B.enterpriseId, ...period })));
    const none = await get(`/v1/programme/enterprises/ent-nobody/compliance?${q(PERIOD)}`, keys.auditor);
    expect([none.statusCode, none.json().error.code]).toEqual([404, ERRORS.AUDIT_ENTERPRISE_UNKNOWN.code]);
  });

  it('stores audit runs and compares them with a recomputation', async () => {
    for (const body of [{ kind: 'programme_audit', ...PERIOD, region: TENANT_A.region }, { kind: 'enterprise_compliance', enterpriseId: TENANT_B.enterpriseId, ...PERIOD }]) {
      const created = await f.api.app.inject({ method: 'POST', url: '/v1/programme/audits', headers: bearer(keys.auditor), payload: body });
      expect(created.statusCode).toBe(201);
      const { run, result } = created.json();
      expect(run.contentHash).toBe(result.contentHash);
      const cmp = await get(`/v1/programme/audits/${run.runId}`, keys.auditor);
      expect(cmp.statusCode).toBe(200);
      expect(cmp.json()).toMatchObject({ runId: run.runId, same: true, reasons: [], stored: { contentHash: run.contentHash }, recomputed: { contentHash: run.contentHash } });
      expect(cmp.json().result).toEqual(result);
    }
    const missing = await get('/v1/programme/audits/00000000-0000-4000-8000-000000000000', keys.auditor);
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, ERRORS.AUDIT_RUN_NOT_FOUND.code]);
    const bad = await f.api.app.inject({ method: 'POST', url: '/v1/programme/audits', headers: bearer(keys.auditor), payload: { kind: 'programme_audit', ...PERIOD, enterpriseId: TENANT_B.enterpriseId } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, ERRORS.API_BAD_REQUEST.code]);
  });
});
