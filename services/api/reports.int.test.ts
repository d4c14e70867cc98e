// Upgrade validation and the HTML reports through the API, against the real ClickHouse: the
// JSON is validateUpgrade's own answer, the enterprise is always the key's, and the reports are
// self-contained pages served with their CSP. A third enterprise (C) with known raw delays in
// three hours, four flows (one made worst) on two sites gets its compliance report checked
// against figures computed here from the raw samples, and the served page is rendered in
// headless Chromium (chromium.testkit.ts): every chart drawn, none "no data".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../adapters/clickhouse/rollups.ts';
import { periodCharts, validateUpgrade } from '../adapters/clickhouse/upgrade-queries.ts';
import { windowRecord } from '../adapters/clickhouse/window-columns.ts';
import type { WindowRow } from '../core/engine/window-row.ts';
import { ERRORS } from '../core/errors.ts';
import { histogramKey, histogramQuantile } from '../core/metrics/histogram.ts';
import { mulberry32 } from '../core/random.ts';
import { checkReportInChromium, groupAlive, HOUSEKEEPING, startChromium, type ChromiumHarness } from '../reports/chromium.testkit.ts';
import { COMPLIANCE_CHARTS, COMPLIANCE_COLOR } from '../reports/compliance-report.ts';
import { parseTimestampNs } from './time.ts';
import { REPORT_CSP } from './routes/reports.ts';
import { DAY0_NS, markersOf, PERIOD, seedTenants, TENANT_A, TENANT_B, UPGRADE_PERIODS } from './tenants.fixture.ts';
import { apiFixture, bearer, type ApiFixture } from './testkit.ts';

const PROFILE = { id: 'tsn-rfc8578-critical-control-50ms', version: 1 };
let f: ApiFixture;
const keys: Record<string, string> = {};
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
const ns = (s: string) => parseTimestampNs(s, 't');
const periods = { baseline: { fromNs: ns(UPGRADE_PERIODS.baselineFrom), toNs: ns(UPGRADE_PERIODS.baselineTo) }, after: { fromNs: ns(UPGRADE_PERIODS.afterFrom), toNs: ns(UPGRADE_PERIODS.afterTo) } };

const S = 1_000_000_000n;
const HOUR = 3_600n * S;
const FAIL_COLOR = '#c5221f';

/** Enterprise C: hours 08, 09 and 11 of the fixture day (10 is empty), 6 windows of 1 s per flow and hour, 40 delays each. */
const C = { enterpriseId: 'ent-charlie-r9', name: 'Charlie R9 Works', region: 'charlie-region', industry: 'charlie-industry', prefix: '88.303.9' };
const C_HOURS = [8n, 9n, 11n];
const C_SAMPLES = 40;
/** site, device, flow, delay offset (ns): flow-c3 is made worst (every delay above the profile's 50 ms bound). */
const C_FLOWS = [
  ['site-c1', '88.303.9/dev-c1', 'flow-c1', 1_000_000],
  ['site-c1', '88.303.9/dev-c1', 'flow-c2', 2_000_000],
  ['site-c1', '88.303.9/dev-c2', 'flow-c3', 80_000_000],
  ['site-c2', '88.303.9/dev-c3', 'flow-c4', 3_000_000],
] as const;
/** flow-c4 is down a quarter of every window in hour 09. */
const C_DOWN_NS = 250_000_000;

interface CWindow { row: WindowRow; hour: bigint; flowId: string; delays: number[] }

function cWindow(siteId: string, deviceId: string, flowId: string, startNs: bigint, delays: number[], downtimeNs: number): WindowRow {
  const counts = new Map<number, number>();
  for (const d of delays) counts.set(histogramKey(d), (counts.get(histogramKey(d)) ?? 0) + 1);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  let ipdvAbs = 0;
  for (let i = 1; i < delays.length; i++) ipdvAbs += Math.abs(delays[i] - delays[i - 1]);
  const sum = delays.reduce((a, b) => a + b, 0);
  const met = delays.filter((d) => d <= 50_000_000).length;
  const n = delays.length;
  return {
    enterpriseId: C.enterpriseId, siteId, networkType: 'tsn', segmentId: `${siteId}-seg`, deviceId, flowId, windowStartNs: startNs,
    windowNs: 1e9, lossWaitNs: 3e9, seqBits: 32,
    sentPackets: n, receivedPackets: n, lostPackets: 0, lossRatio: 0, duplicatePackets: 0, duplicationFraction: 0,
    corruptPackets: 0, unreceivedReports: 0, unsyncedPackets: 0, negativeDelayPackets: 0, seqRestarts: 0, receivedBytes: 100 * n,
    throughputPacketsPerS: n, throughputBitsPerS: 800 * n,
    owdCount: n, owdMinNs: Math.min(...delays), owdMaxNs: Math.max(...delays), owdSumNs: sum, owdMeanNs: sum / n,
    owdMedianNs: null, owdP50Ns: null, owdP90Ns: null, owdP99Ns: null, owdP999Ns: null, owdP9999Ns: null,
    owdHistKeys: keys, owdHistCounts: keys.map((k) => counts.get(k) as number),
    jitterRfc3550Ns: null, ipdvCount: n - 1, ipdvMinNs: null, ipdvMaxNs: null, ipdvSumNs: delays[n - 1] - delays[0],
    ipdvAbsSumNs: ipdvAbs, ipdvMeanAbsNs: ipdvAbs / (n - 1), ipdvAbsP99Ns: null, dvCount: 0, pdvP99Ns: null, pdvP999Ns: null, jitterP95P50Ns: null,
    reorderedPackets: 0, reorderedRatio: 0, reorderExtentMax: null, reorderExtentSum: 0, reorderExtentMean: null, reorderExtentCapped: 0,
    lossPeriods: 0, lossBurstMaxPackets: 0,
    maxLatencyNs: 50_000_000, deadlineMetPackets: met, deadlineMissPackets: n - met, reliability: met / n,
    transferIntervalNs: 25_000_000, survivalTimeNs: 25_000_000, availExpectedNs: 1e9, downtimeNs, upDownTransitions: downtimeNs > 0 ? 1 : 0,
    availability: 1 - downtimeNs / 1e9, mtbfNs: null,
  };
}

function generateC(): CWindow[] {
  const rnd = mulberry32(42);
  const out: CWindow[] = [];
  for (const hour of C_HOURS) {
    for (const [siteId, deviceId, flowId, offset] of C_FLOWS) {
      for (let k = 0n; k < 6n; k++) {
        const delays = Array.from({ length: C_SAMPLES }, () => Math.round(offset + 300_000 * -Math.log(1 - rnd())));
        const down = flowId === 'flow-c4' && hour === 9n ? C_DOWN_NS : 0;
        out.push({ row: cWindow(siteId, deviceId, flowId, DAY0_NS + hour * HOUR + k * 10n * 60n * S, delays, down), hour, flowId, delays });
      }
    }
  }
  return out;
}

function rawHistogram(values: readonly number[]): { keys: number[]; counts: number[] } {
  const m = new Map<number, number>();
  for (const v of values) m.set(histogramKey(v), (m.get(histogramKey(v)) ?? 0) + 1);
  const keys = [...m.keys()].sort((a, b) => a - b);
  return { keys, counts: keys.map((k) => m.get(k) as number) };
}

const rawP99 = (values: readonly number[]) => { const h = rawHistogram(values); return histogramQuantile(h.keys, h.counts, 0.99) as number; };

const cWindows = generateC();

beforeAll(async () => {
  f = await apiFixture('api_reports');
  await seedTenants(f, PROFILE.id, PROFILE.version);
  await f.registry.putEnterprises([{ enterpriseId: C.enterpriseId, name: C.name, region: C.region, industry: C.industry, identifierPrefix: C.prefix }]);
  await f.registry.assign([{ enterpriseId: C.enterpriseId, scope: 'enterprise', siteId: '', deviceId: '', flowId: '', profileId: PROFILE.id, profileVersion: PROFILE.version }]);
  await f.ch.insert('flow_windows', cWindows.map((w) => windowRecord(w.row)));
  await rebuildRollups(f.ch, DAY0_NS, DAY0_NS + 24n * HOUR);
  keys.viewerA = (await f.key('viewer', TENANT_A.enterpriseId)).apiKey;
  keys.viewerB = (await f.key('viewer', TENANT_B.enterpriseId)).apiKey;
  keys.viewerC = (await f.key('viewer', C.enterpriseId)).apiKey;
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

/** The <svg data-chart="id"> ... </svg> element of a page. */
function chartOf(html: string, id: string): string {
  const start = html.indexOf(`<svg data-chart="${id}"`);
  expect(start, id).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</svg>', start) + 6);
}

describe('compliance report charts and level verdicts (enterprise C, known raw delays)', () => {
  let html = '';
  let h: ChromiumHarness | undefined;
  beforeAll(async () => {
    const r = await get(`/v1/reports/compliance.html?${q(PERIOD)}`, keys.viewerC);
    expect(r.statusCode).toBe(200);
    html = r.body;
  });
  afterAll(async () => { await h?.close(); });

  const flowsByP99 = () => C_FLOWS.map(([, deviceId, flowId]) => ({ label: `${deviceId}/${flowId}`, flowId, p99: rawP99(cWindows.filter((w) => w.flowId === flowId).flatMap((w) => w.delays)) }))
    .sort((a, b) => b.p99 - a.p99);

  it('periodCharts over the audit period: histogram of every raw sample, one point per hour with data, the worst flow first', async () => {
    const charts = await periodCharts(f.ch, { enterpriseId: C.enterpriseId }, { fromNs: DAY0_NS, toNs: DAY0_NS + 24n * HOUR }, 10, '1h');
    const all = rawHistogram(cWindows.flatMap((w) => w.delays));
    expect(charts.delayHistogram.map((b) => [b.key, b.count])).toEqual(all.keys.map((k, i) => [k, all.counts[i]]));
    expect(charts.delayHistogram.reduce((n, b) => n + b.count, 0)).toBe(cWindows.length * C_SAMPLES);
    expect(charts.series.map((p) => [p.startNs, p.windows])).toEqual(C_HOURS.map((hr) => [String(DAY0_NS + hr * HOUR), C_FLOWS.length * 6]));
    for (const p of charts.series) {
      const hour = (BigInt(p.startNs) - DAY0_NS) / HOUR;
      const delays = cWindows.filter((w) => w.hour === hour).flatMap((w) => w.delays);
      // PDV p99 = delay p99 - minimum delay (RFC 5481 section 4.2), of the hour's raw samples
      expect(p.pdvP99Ns).toBe(rawP99(delays) - Math.min(...delays));
      const down = cWindows.filter((w) => w.hour === hour).reduce((n, w) => n + (w.row.downtimeNs ?? 0), 0);
      expect(p.availability).toBeCloseTo(1 - down / (C_FLOWS.length * 6 * 1e9), 12);
    }
    expect(charts.series.map((p) => p.availability! < 1)).toEqual([false, true, false]);
    const expected = flowsByP99();
    expect(expected[0].flowId).toBe('flow-c3');
    expect(charts.worstFlows.map((w) => [w.flowId, w.figures.owdP99Ns])).toEqual(expected.map((e) => [e.flowId, e.p99]));
  });

  it('the served report shows those figures: samples, hours, worst flows in order (failing one red), no empty chart', () => {
    expect(html).toContain(`<span class="delay-samples">${cWindows.length * C_SAMPLES}</span>`);
    expect(html).toContain(`<span class="series-hours">${C_HOURS.length}</span>`);
    for (const id of ['pdv-over-time', 'availability-over-time']) expect(chartOf(html, id).match(/<circle /g)?.length, id).toBe(C_HOURS.length);
    const bars = chartOf(html, 'worst-flows');
    const labels = [...bars.matchAll(/<g class="bar-group"><text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(flowsByP99().map((e) => e.label));
    const fills = [...bars.matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills).toEqual(flowsByP99().map((e) => (e.flowId === 'flow-c3' ? FAIL_COLOR : expect.any(String))));
    // the worst flow's bar: its p99 in ms (the axis unit for a largest value of 80 ms)
    expect(bars).toContain(`<title>88.303.9/dev-c2/flow-c3 p99: ${Number((flowsByP99()[0].p99 / 1e6).toPrecision(4))}</title>`);
    for (const id of COMPLIANCE_CHARTS) expect(chartOf(html, id), id).not.toMatch(/class="empty"|no data|no delay samples|no flows/);
    for (const t of [TENANT_A, TENANT_B]) for (const m of markersOf(t)) expect(html).not.toContain(m);
  });

  it('the served report shows the verdict of every flow, device, site and the enterprise (worst of its flows)', async () => {
    const json = (await get(`/v1/compliance?${q(PERIOD)}`, keys.viewerC)).json() as { flows: { siteId: string; deviceId: string; flowId: string; status: string }[] };
    const status = new Map(json.flows.map((x) => [x.flowId, x.status]));
    expect(status.get('flow-c3')).toBe('fail'); // every delay above the 50 ms bound
    const RANK: Record<string, number> = { pass: 0, insufficient_data: 1, fail: 2 };
    const worst = (flowIds: string[]) => flowIds.map((id) => status.get(id)!).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    const flowsOf = (pred: (x: (typeof C_FLOWS)[number]) => boolean) => C_FLOWS.filter(pred).map((x) => x[2] as string);
    const expected = [
      ['enterprise', 'whole enterprise', worst(flowsOf(() => true)), C_FLOWS.length],
      ['site', 'site site-c1', worst(flowsOf((x) => x[0] === 'site-c1')), 3],
      ['site', 'site site-c2', worst(flowsOf((x) => x[0] === 'site-c2')), 1],
      ['device', 'device site-c1 / 88.303.9/dev-c1', worst(flowsOf((x) => x[1] === '88.303.9/dev-c1')), 2],
      ['device', 'device site-c1 / 88.303.9/dev-c2', worst(flowsOf((x) => x[1] === '88.303.9/dev-c2')), 1],
      ['device', 'device site-c2 / 88.303.9/dev-c3', worst(flowsOf((x) => x[1] === '88.303.9/dev-c3')), 1],
    ];
    expect(expected.slice(0, 2).map((e) => e[2]).concat(expected[4][2])).toEqual(['fail', 'fail', 'fail']);
    const levels = /<table class="levels">[\s\S]*?<\/table>/.exec(html)![0];
    const rows = [...levels.matchAll(/<tr data-level="([a-z]+)"><td>[^<]*<\/td><td>([^<]*)<\/td><td><span class="badge ([a-z_]+)">[^<]*<\/span><\/td>\s*((?:<td class="num">\d+<\/td>)+)<\/tr>/g)];
    const flowCount = (cells: string) => [...cells.matchAll(/>(\d+)</g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(rows.map((r) => [r[1], r[2], r[3], flowCount(r[4])])).toEqual(expected);
    expect(html).toContain(`Enterprise verdict: <span class="badge fail">`);
    const subjects = /<table class="subjects">[\s\S]*?<\/table>/.exec(html)![0];
    const flowRows = [...subjects.matchAll(/<tr data-level="flow"><td>flow<\/td><td>flow ([^<]*)<\/td>[\s\S]*?<span class="badge ([a-z_]+)">/g)].map((m) => [m[1], m[2]]);
    expect(flowRows.sort()).toEqual(C_FLOWS.map(([site, device, flow]) => [`${site} / ${device} / ${flow}`, status.get(flow)]).sort());
  });

  it('renders in headless Chromium with every chart drawn, loading nothing', async () => {
    h = await startChromium();
    const { painted } = await checkReportInChromium(h, 'api-compliance', html, COMPLIANCE_CHARTS, [COMPLIANCE_COLOR, FAIL_COLOR]);
    console.log('served compliance report', JSON.stringify(painted));
    expect(h.trapped.filter((r) => !HOUSEKEEPING.test(r))).toEqual([]);
    expect(h.groups.length).toBe(3);
    expect(h.groups.filter(groupAlive)).toEqual([]);
  }, 180_000);
});
