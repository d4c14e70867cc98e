// Upgrade validation and the HTML reports through the API, against the real ClickHouse: the
// JSON is validateUpgrade's own answer, the enterprise is always the key's, and the reports are
// self-contained pages served with their CSP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateUpgrade } from '../adapters/clickhouse/upgrade-queries.ts';
import { ERRORS } from '../core/errors.ts';
import { parseTimestampNs } from './time.ts';
import { REPORT_CSP } from './routes/reports.ts';
import { markersOf, PERIOD, seedTenants, TENANT_A, TENANT_B, UPGRADE_PERIODS } from './tenants.fixture.ts';
import { apiFixture, bearer, type ApiFixture } from './testkit.ts';

const PROFILE = { id: 'tsn-rfc8578-critical-control-50ms', version: 1 };
let f: ApiFixture;
const keys: Record<string, string> = {};
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
const ns = (s: string) => parseTimestampNs(s, 't');
const periods = { baseline: { fromNs: ns(UPGRADE_PERIODS.baselineFrom), toNs: ns(UPGRADE_PERIODS.baselineTo) }, after: { fromNs: ns(UPGRADE_PERIODS.afterFrom), toNs: ns(UPGRADE_PERIODS.afterTo) } };

beforeAll(async () => {
  f = await apiFixture('api_reports');
  await seedTenants(f, PROFILE.id, PROFILE.version);
  keys.viewerA = (await f.key('viewer', TENANT_A.enterpriseId)).apiKey;
  keys.viewerB = (await f.key('viewer', TENANT_B.enterpriseId)).apiKey;
}, 120_000);
afterAll(async () => f?.close());

const get = (url: string, key: string) => f.api.app.inject({ method: 'GET', url, headers: bearer(key) });

describe('GET /v1/upgrade-validation', () => {
  it("answers validateUpgrade's result for the key's enterprise", async () => {
    const r = await get(`/v1/upgrade-validation?${q({ ...UPGRADE_PERIODS, profile: PROFILE.id, seed: '7' })}`, keys.viewerA);
    expect(r.statusCode).toBe(200);
    const expected = await validateUpgrade(f.ch, { enterpriseId: TENANT_A.enterpriseId, ...periods, seed: 7, profile: f.api.deps.catalog.find(PROFILE.id)!.profile, downtimeOrigin: 'survival_expiry' });
    expect(r.json()).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(r.json().scope).toEqual({ enterpriseId: TENANT_A.enterpriseId, siteId: null });
    expect(r.json().worstFlows.map((w: { flowId: string }) => w.flowId)).toEqual([TENANT_A.flowId]);
    expect(r.json().baseline.windows).toBe(4);
    expect(r.json().after.windows).toBe(4);
  });

  it("narrows to a site of the key's enterprise; another tenant's site gives an empty answer", async () => {
    const own = await get(`/v1/upgrade-validation?${q({ ...UPGRADE_PERIODS, site: TENANT_A.siteId })}`, keys.viewerA);
    expect(own.json().scope).toEqual({ enterpriseId: TENANT_A.enterpriseId, siteId: TENANT_A.siteId });
    expect(own.json().after.windows).toBe(4);
    const foreign = await get(`/v1/upgrade-validation?${q({ ...UPGRADE_PERIODS, site: TENANT_B.siteId })}`, keys.viewerA);
    expect(foreign.statusCode).toBe(200);
    expect(foreign.json().scope.enterpriseId).toBe(TENANT_A.enterpriseId);
    expect([foreign.json().baseline.windows, foreign.json().after.windows, foreign.json().worstFlows]).toEqual([0, 0, []]);
    for (const m of markersOf(TENANT_B).filter((x) => x !== TENANT_B.siteId)) expect(foreign.body).not.toContain(m);
  });

  it('rejects bad requests with stable 400 codes', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...UPGRADE_PERIODS, afterFrom: UPGRADE_PERIODS.baselineFrom, afterTo: UPGRADE_PERIODS.baselineTo }, ERRORS.UPGRADE_REQUEST_INVALID.code],
      [{ ...UPGRADE_PERIODS, seed: '99999999999' }, ERRORS.API_BAD_REQUEST.code],
      [{ ...UPGRADE_PERIODS, worstFlows: '500' }, ERRORS.UPGRADE_REQUEST_INVALID.code],
      [{ ...UPGRADE_PERIODS, profile: 'nope' }, ERRORS.AUDIT_PROFILE_UNKNOWN.code],
      [{ baselineFrom: UPGRADE_PERIODS.baselineFrom }, ERRORS.API_BAD_REQUEST.code],
    ];
    for (const [query, code] of cases) {
      const r = await get(`/v1/upgrade-validation?${q(query)}`, keys.viewerA);
      expect([query, r.json().error?.code]).toEqual([query, code]);
    }
  });
});

describe('HTML reports', () => {
  it("serve the compliance report of the key's enterprise with its failed windows", async () => {
    const r = await get(`/v1/reports/compliance.html?${q(PERIOD)}`, keys.viewerB);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(REPORT_CSP);
    expect(r.body).toMatch(/^<!DOCTYPE html>/i);
    expect(r.body).toContain(TENANT_B.name);
    expect(r.body).toContain(TENANT_B.flowId);
    for (const m of markersOf(TENANT_A)) expect(r.body).not.toContain(m);
    // The generation time is the API's clock.
    expect(r.body).toContain('2025-11-22T12:00:00.000Z');
  });

  it("serve the upgrade report of the key's enterprise", async () => {
    const r = await get(`/v1/reports/upgrade.html?${q({ ...UPGRADE_PERIODS, profile: PROFILE.id })}`, keys.viewerA);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-security-policy']).toBe(REPORT_CSP);
    expect(r.body).toContain(TENANT_A.name);
    expect(r.body).toContain(PROFILE.id);
    for (const m of markersOf(TENANT_B)) expect(r.body).not.toContain(m);
    const bad = await get(`/v1/reports/upgrade.html?${q({ ...UPGRADE_PERIODS, afterTo: UPGRADE_PERIODS.afterFrom })}`, keys.viewerA);
    expect([bad.statusCode, bad.headers['content-type']]).toEqual([400, expect.stringMatching(/^application\/json/)]);
  });
});
