// Enterprise compliance, programme audit, CSV export and audit runs against the real ClickHouse:
// raw packets per flow are built here, turned into base windows (one aggregate per window, counted
// packet by packet), stored, rolled up by the project's rollup code, and audited. Expected
// verdicts come from the same packets by brute force (counting packets over the bound, lost
// packets, the longest loss run), never from evaluate().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/stack.ts';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../adapters/clickhouse/migrate.ts';
import { rebuildRollups, refreshRollups } from '../adapters/clickhouse/rollups.ts';
import { loadProfiles, type LoadedCatalog } from '../adapters/profiles/load.ts';
import { createRegistry, type Registry } from '../adapters/tenancy/registry.ts';
import type { Packet } from '../core/compliance/testkit.ts';
import { packets, windowRow, type FlowSpec } from './testkit.ts';
import { isIsochronError } from '../core/errors.ts';
import { csvLines } from './csv-export.ts';
import { enterpriseCompliance } from './enterprise.ts';
import { programmeAudit, programmeAuditCsv, compareWithRun, recordAuditRun, replayAudit } from './index.ts';
import { createProgrammeAuditCache } from './programme-cache.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const S = 1_000_000_000n;
const HOUR = 3600n * S;
const DAY = 24n * HOUR;
const D0 = 1_763_596_800n * S; // 2025-11-20 00:00 UTC
const FROM = D0 - 2n * HOUR;
const TO = D0 + DAY + 3n * HOUR;
/** Window starts: one in each slice (1 h before the day, inside the day, 1 h after) and one more inside the day. */
const STARTS = [D0 - HOUR + 10n * S, D0 + 5n * HOUR, D0 + 5n * HOUR + S, D0 + DAY + HOUR];
const OUTSIDE = D0 - 3n * HOUR; // before the period: must never count

// ---- test profiles (a catalog of their own) ----
const status = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).map((k) => [k, 'D']));
const th = (o: Record<string, unknown>, over: Record<string, string> = {}) => ({ ...o, status: { ...status(o), ...over } });
function profileFile(delayBoundNs: number) {
  return {
    format: 'isochron-profiles/1', family: 'audit-test', title: 'audit test profiles',
    profiles: [
      { id: 'audit-delay', version: 1, title: 'p99 delay and loss', useCase: 'test', source: { standard: 'test', section: '1', status: 'D' }, minimumSamples: 1000,
        thresholds: { delay: th({ statistic: 'quantile', quantile: 0.99, maxLatencyNs: delayBoundNs }), lossRatio: th({ maxLossRatio: 0.01 }) } },
      { id: 'audit-burst', version: 1, title: 'max delay and loss bursts', useCase: 'test', source: { standard: 'test', section: '2', status: 'D' }, minimumSamples: 500,
        thresholds: { delay: th({ statistic: 'max', maxLatencyNs: 3_000_000 }, { maxLatencyNs: 'U' }), lossBurst: th({ maxConsecutiveLosses: 2 }) } },
    ],
  };
}
function catalogDir(delayBoundNs: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-profiles-'));
  fs.writeFileSync(path.join(dir, 'audit-test.json'), JSON.stringify(profileFile(delayBoundNs)));
  return dir;
}

// Enterprise A: site s1 under audit-delay (enterprise scope), site s2 under audit-burst (site
// scope), one flow with its own assignment (flow scope).
const late60 = (i: number) => (i % 20 === 0 ? 5_000_000 : undefined); // 20 of 400 over 2 ms
const lossPairs = (i: number) => (i % 50 === 0 || i % 50 === 1 ? null : undefined); // 16 of 400 lost, runs of 2
const FLOWS: FlowSpec[] = [
  { e: 'ent-a', site: 's1', nt: '5g', dev: '88.1/d1', flow: 'f-pass', windows: [packets(400), packets(400), packets(400), packets(400)] },
  { e: 'ent-a', site: 's1', nt: '5g', dev: '88.1/d1', flow: 'f-delay', windows: [packets(400), packets(400, late60), packets(400, late60), packets(400)] },
  { e: 'ent-a', site: 's1', nt: 'tsn', dev: '88.1/d2', flow: 'f-loss', windows: [packets(400, lossPairs), packets(400, lossPairs), packets(400), packets(400)] },
  { e: 'ent-a', site: 's1', nt: 'tsn', dev: '88.1/d2', flow: 'f-short', windows: [packets(400)] },
  { e: 'ent-a', site: 's2', nt: 'tsn', dev: '88.1/d3', flow: 'f-burst', windows: [packets(400), packets(400, (i) => (i >= 100 && i < 103 ? null : undefined)), packets(400), packets(400)] },
  { e: 'ent-a', site: 's2', nt: 'tsn', dev: '88.1/d3', flow: 'f-ok2', windows: [packets(400), packets(400), packets(400), packets(400)] },
  // Enterprise B reuses A's site, device and flow ids with bad data (every delay 50 ms).
  { e: 'ent-b', site: 's1', nt: 'tsn', dev: '88.1/d1', flow: 'f-pass', windows: [0, 1, 2, 3].map(() => packets(400, () => 50_000_000)) },
  // Enterprise D has data and no assignment.
  { e: 'ent-d', site: 's1', nt: 'wifi6', dev: '88.4/d1', flow: 'f-1', windows: [packets(400), packets(400), packets(400), packets(400)] },
];

/** Brute force over the flow's packets in the period, per profile (the rules of docs/profiles.md). */
function expectedVerdict(profileId: string, pk: Packet[]): { verdict: string; failed: string[] } {
  const sent = pk.length;
  const delays = pk.filter((x): x is number => x !== null);
  const lost = sent - delays.length;
  let run = 0;
  let burst = 0;
  for (const x of pk) { run = x === null ? run + 1 : 0; burst = Math.max(burst, run); }
  const outcomes: [string, string][] = [];
  if (profileId === 'audit-delay') {
    const nMin = 1000; // max(ceil(3 / 0.01), minimumSamples)
    const over = delays.filter((x) => x > 2_000_000).length;
    outcomes.push(['delay', over > 0.01 * Math.max(delays.length, nMin) ? 'fail' : delays.length < nMin ? 'insufficient_data' : over <= 0.01 * delays.length ? 'pass' : 'insufficient_data']);
    outcomes.push(['lossRatio', lost > 0.01 * Math.max(sent, nMin) ? 'fail' : sent < nMin ? 'insufficient_data' : 'pass']);
  } else {
    const nMin = 500;
    outcomes.push(['delay', delays.some((x) => x > 3_000_000) ? 'fail' : delays.length < nMin ? 'insufficient_data' : 'pass']);
    outcomes.push(['lossBurst', burst > 2 ? 'fail' : sent < nMin ? 'insufficient_data' : 'pass']);
  }
  const verdict = outcomes.some(([, o]) => o === 'fail') ? 'fail' : outcomes.some(([, o]) => o === 'insufficient_data') ? 'insufficient_data' : 'pass';
  return { verdict, failed: outcomes.filter(([, o]) => o === 'fail').map(([k]) => k) };
}

function allRows(flows: FlowSpec[]): Record<string, unknown>[] {
  return flows.flatMap((f) => f.windows.map((w, i) => windowRow(f, STARTS[i], w)));
}

/** RFC 4180 reader written for this test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { record.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i += 2; continue; }
    field += c; i++;
  }
  if (field !== '' || record.length > 0) throw new Error('CSV does not end with CRLF');
  return records;
}

describe('compliance audit (real ClickHouse)', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  let registry: Registry;
  let catalog: LoadedCatalog;
  let asOf: bigint;

  beforeAll(async () => {
    let database: string;
    ({ ch, drop, database } = await freshDatabase('audit'));
    await migrate(ch, database, loadMigrations(path.join(ROOT, 'sql')));
    catalog = loadProfiles(catalogDir(2_000_000));
    registry = createRegistry(ch);
    await registry.putEnterprises([
      { enterpriseId: 'ent-a', name: 'Alpha Works', region: 'north', industry: 'automotive', identifierPrefix: '88.1' },
      { enterpriseId: 'ent-b', name: 'Beta, "Steel"', region: 'south', industry: 'steel', identifierPrefix: '88.2' },
      { enterpriseId: 'ent-c', name: 'Gamma', region: 'north', industry: 'steel', identifierPrefix: '88.3' },
      { enterpriseId: 'ent-d', name: 'Delta', region: 'north', industry: 'automotive', identifierPrefix: '88.4' },
      { enterpriseId: 'ent-e', name: '=HYPERLINK("http://x.example","y")', region: '+east', industry: '@chem', identifierPrefix: '88.5' },
    ]);
    await registry.assign([
      { enterpriseId: 'ent-a', scope: 'enterprise', siteId: '', deviceId: '', flowId: '', profileId: 'audit-delay', profileVersion: 1 },
      { enterpriseId: 'ent-a', scope: 'site', siteId: 's2', deviceId: '', flowId: '', profileId: 'audit-burst', profileVersion: 1 },
      { enterpriseId: 'ent-a', scope: 'flow', siteId: 's1', deviceId: '88.1/d2', flowId: 'f-short', profileId: 'audit-burst', profileVersion: 1 },
      { enterpriseId: 'ent-b', scope: 'enterprise', siteId: '', deviceId: '', flowId: '', profileId: 'audit-delay', profileVersion: 1 },
      { enterpriseId: 'ent-c', scope: 'enterprise', siteId: '', deviceId: '', flowId: '', profileId: 'audit-delay', profileVersion: 1 },
    ]);
    asOf = await registry.currentVersion();
    await ch.insert('flow_windows', [...allRows(FLOWS), windowRow(FLOWS[0], OUTSIDE, packets(400, () => null))]);
    await rebuildRollups(ch, OUTSIDE, TO);
  }, 120_000);
  afterAll(() => drop());

  const profileOf = (f: FlowSpec) => (f.flow === 'f-short' || f.site === 's2' ? 'audit-burst' : 'audit-delay');

  it('judges every flow of an enterprise like the brute force over its packets, and rolls up worst-of', async () => {
    const r = await enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM, toNs: TO, asOf });
    const mine = FLOWS.filter((f) => f.e === 'ent-a');
    expect(r.flows.map((f) => [f.siteId, f.deviceId, f.flowId])).toEqual(mine.map((f) => [f.site, f.dev, f.flow]).sort());
    for (const f of mine) {
      const got = r.flows.find((x) => x.flowId === f.flow)!;
      const exp = expectedVerdict(profileOf(f), f.windows.flat());
      expect({ flow: f.flow, profile: got.profile?.id, verdict: got.verdict?.verdict, failed: got.verdict?.thresholds.filter((t) => t.outcome === 'fail').map((t) => t.threshold) })
        .toEqual({ flow: f.flow, profile: profileOf(f), verdict: exp.verdict, failed: exp.failed });
      expect(got.verdict!.data).toEqual({ windows: f.windows.length, sentPackets: f.windows.flat().length, owdCount: f.windows.flat().filter((x) => x !== null).length });
    }
    expect(r.flows.find((x) => x.flowId === 'f-short')!.profile!.origin).toBe('flow');
    expect(r.flows.find((x) => x.flowId === 'f-burst')!.profile!.origin).toBe('site');
    // Worst of: d1 has a failing flow, d3 too (burst); s1 and the enterprise fail.
    expect(r.devices.map((d) => [d.siteId, d.deviceId, d.verdict])).toEqual([['s1', '88.1/d1', 'fail'], ['s1', '88.1/d2', 'fail'], ['s2', '88.1/d3', 'fail']]);
    expect(r.enterprise.verdict).toBe('fail');
    expect(r.enterprise.flows).toEqual({ pass: 2, fail: 3, insufficient_data: 1, no_profile: 0 });
    expect(r.unverified).toEqual(['audit-burst@1: delay.maxLatencyNs']);
    expect(r.versions.registryVersion).toBe(asOf.toString());
    expect(r.versions.profiles.map((p) => `${p.id}@${p.version}`)).toEqual(['audit-burst@1', 'audit-delay@1']);
    expect(r.versions.data.windows).toBe(String(mine.reduce((n, f) => n + f.windows.length, 0)));
    expect(r.slices.map((s) => s.period)).toEqual(['1h', '1d', '1h']);
    expect(r.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('lists the base windows that breach a failed threshold, bounded, with the total', async () => {
    const r = await enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM, toNs: TO, asOf, failedWindowsLimit: 3 });
    // Brute force: windows of failing flows whose own value is beyond a failed bound.
    const expected: { flow: string; start: string; kinds: string[]; key: string }[] = [];
    for (const f of FLOWS.filter((x) => x.e === 'ent-a')) {
      const exp = expectedVerdict(profileOf(f), f.windows.flat());
      if (exp.verdict !== 'fail') continue;
      f.windows.forEach((w, i) => {
        const d = w.filter((x): x is number => x !== null).sort((a, b) => a - b);
        const lost = w.length - d.length;
        let run = 0; let burst = 0;
        for (const x of w) { run = x === null ? run + 1 : 0; burst = Math.max(burst, run); }
        const kinds: string[] = [];
        if (exp.failed.includes('delay') && (profileOf(f) === 'audit-delay' ? d[Math.ceil(0.99 * d.length) - 1] > 2_000_000 : d[d.length - 1] > 3_000_000)) kinds.push('delay');
        if (exp.failed.includes('lossRatio') && lost > 0.01 * w.length) kinds.push('lossRatio');
        if (exp.failed.includes('lossBurst') && burst > 2) kinds.push('lossBurst');
        if (kinds.length > 0) expected.push({ flow: f.flow, start: STARTS[i].toString(), kinds, key: `${STARTS[i].toString().padStart(20, '0')} ${f.site} ${f.dev} ${f.flow}` });
      });
    }
    expected.sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(r.failedWindows.total).toBe(expected.length);
    expect(r.failedWindows.windows.map((w) => ({ flow: w.flowId, start: w.windowStartNs, kinds: [...w.breaches] }))).toEqual(expected.slice(0, 3).map(({ flow, start, kinds }) => ({ flow, start, kinds })));
  });

  it('never shows enterprise B data in A, even with colliding site, device and flow ids', async () => {
    const a = await enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM, toNs: TO, asOf });
    const fPass = a.flows.find((f) => f.flowId === 'f-pass' && f.deviceId === '88.1/d1')!;
    expect(fPass.verdict!.verdict).toBe('pass');
    expect(fPass.networkTypes).toEqual(['5g']);
    expect(fPass.verdict!.data.sentPackets).toBe(1600);
    const b = await enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-b', fromNs: FROM, toNs: TO, asOf });
    expect(b.flows.map((f) => [f.flowId, f.verdict?.verdict, f.networkTypes])).toEqual([['f-pass', 'fail', ['tsn']]]);
    expect(b.versions.data.windows).toBe('4');
  });

  it('judges by an explicit profile when asked, and refuses unaligned periods and unknown profiles', async () => {
    const r = await enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM, toNs: TO, asOf, profile: { id: 'audit-burst' } });
    for (const f of r.flows) {
      const spec = FLOWS.find((x) => x.e === 'ent-a' && x.flow === f.flowId)!;
      expect([f.flowId, f.profile!.origin, f.verdict!.verdict]).toEqual([f.flowId, 'explicit', expectedVerdict('audit-burst', spec.windows.flat()).verdict]);
    }
    expect(r.request.profile).toEqual({ id: 'audit-burst', version: 1 });
    const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (isIsochronError(e) ? e.code : String(e)));
    expect(await codeOf(enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM + 1n, toNs: TO, asOf }))).toBe('ISO_AUDIT_PERIOD_INVALID');
    expect(await codeOf(enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: TO, toNs: FROM, asOf }))).toBe('ISO_AUDIT_PERIOD_INVALID');
    expect(await codeOf(enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM, toNs: TO, asOf, profile: { id: 'nope' } }))).toBe('ISO_AUDIT_PROFILE_UNKNOWN');
    expect(await codeOf(enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-zz', fromNs: FROM, toNs: TO, asOf }))).toBe('ISO_AUDIT_ENTERPRISE_UNKNOWN');
  });

  it('audits the programme: every enterprise with its status, and the filters narrow it', async () => {
    const all = await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO, asOf });
    expect(all.rows.map((r) => [r.enterpriseId, r.status])).toEqual([['ent-a', 'fail'], ['ent-b', 'fail'], ['ent-c', 'no_data'], ['ent-d', 'no_profile'], ['ent-e', 'no_data']]);
    const a = all.rows[0];
    expect(a.flows).toEqual({ pass: 2, fail: 3, insufficient_data: 1, no_profile: 0, total: 6 });
    expect(a.failingThresholds).toEqual(['delay', 'lossBurst', 'lossRatio']);
    expect(a.networkTypes).toEqual(['5g', 'tsn']);
    expect(a.profiles).toEqual(['audit-burst@1', 'audit-delay@1']);
    const aPk = FLOWS.filter((f) => f.e === 'ent-a').flatMap((f) => f.windows.flat());
    expect(a.sentPackets).toBe(aPk.length);
    expect(a.lostPackets).toBe(aPk.filter((x) => x === null).length);
    expect(a.owdMaxNs).toBe(5_000_000);
    expect(all.summary.status).toEqual({ pass: 0, fail: 2, insufficient_data: 0, no_data: 2, no_profile: 1 });
    expect(all.rowsSha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    // A cached answer is the answer a full computation gives.
    const cache = createProgrammeAuditCache(2);
    const cold = await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO, asOf }, { programmeCache: cache });
    const warm = await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO, asOf }, { programmeCache: cache });
    const none = await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO, asOf }, { programmeCache: null });
    expect(cache.size).toBe(1);
    expect(warm.rows).toBe(cold.rows); // served from the cache
    expect([warm.contentHash, none.contentHash]).toEqual([cold.contentHash, cold.contentHash]);
    expect(none.rows).toEqual(cold.rows);
    // The same flow gets the same verdict in both views.
    const one = await enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM, toNs: TO, asOf });
    expect(one.enterprise.flows).toEqual({ pass: a.flows.pass, fail: a.flows.fail, insufficient_data: a.flows.insufficient_data, no_profile: a.flows.no_profile });

    const ids = async (filters: Parameters<typeof programmeAudit>[3]['filters']) => (await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO, asOf, filters })).rows.map((r) => `${r.enterpriseId}:${r.status}:${r.flows.total}`);
    expect(await ids({ region: 'north' })).toEqual(['ent-a:fail:6', 'ent-c:no_data:0', 'ent-d:no_profile:1']);
    expect(await ids({ industry: 'steel' })).toEqual(['ent-b:fail:1', 'ent-c:no_data:0']);
    expect(await ids({ region: 'north', industry: 'automotive' })).toEqual(['ent-a:fail:6', 'ent-d:no_profile:1']);
    // Network type: only flows of that type are judged (A's 5g flows: f-pass passes, f-delay fails).
    expect(await ids({ networkType: '5g' })).toEqual(['ent-a:fail:2']);
    expect(await ids({ networkType: 'wifi6' })).toEqual(['ent-d:no_profile:1']);
    // Profile: enterprises with an assignment of it, and only the flows judged by it.
    expect(await ids({ profileId: 'audit-burst' })).toEqual(['ent-a:fail:3']);
    expect(await ids({ profileId: 'audit-delay', region: 'north' })).toEqual(['ent-a:fail:3', 'ent-c:no_data:0']);
  });

  it('exports CSV that parses back to the JSON audit, with formula cells neutralised and hashes in headers', async () => {
    const out = await programmeAuditCsv(ch, catalog, registry, { fromNs: FROM, toNs: TO, asOf });
    let text = '';
    for await (const line of out.lines) text += line;
    const records = parseCsv(text);
    const [header, ...body] = records;
    expect(header[0]).toBe('enterprise_id');
    expect(body.length).toBe(out.audit.rows.length);
    const col = (name: string) => header.indexOf(name);
    out.audit.rows.forEach((r, i) => {
      const rec = body[i];
      expect(rec.length).toBe(header.length);
      expect(rec[col('enterprise_id')]).toBe(r.enterpriseId);
      expect(rec[col('status')]).toBe(r.status);
      expect(Number(rec[col('flows_fail')])).toBe(r.flows.fail);
      expect(Number(rec[col('sent_packets')])).toBe(r.sentPackets);
      expect(rec[col('loss_ratio')] === '' ? null : Number(rec[col('loss_ratio')])).toBe(r.lossRatio);
      expect(rec[col('network_types')].split(';').filter(Boolean)).toEqual(r.networkTypes);
      expect(rec[col('failing_thresholds')].split(';').filter(Boolean)).toEqual(r.failingThresholds);
    });
    const b = body.find((rec) => rec[0] === 'ent-b')!;
    expect(b[col('name')]).toBe('Beta, "Steel"');
    const e = body.find((rec) => rec[0] === 'ent-e')!;
    expect([e[col('name')], e[col('region')], e[col('industry')]]).toEqual(["'=HYPERLINK(\"http://x.example\",\"y\")", "'+east", "'@chem"]);
    expect(text).toContain('"\'=HYPERLINK(""http://x.example"",""y"")"');
    expect(out.headers['x-isochron-content-hash']).toBe(out.audit.contentHash);
    const { createHash } = await import('node:crypto');
    expect(out.headers['x-isochron-csv-sha256']).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
    expect([...csvLines(out.audit)].join('')).toBe(text);
  });

  it('replays a stored run: the same answer while nothing changed, and says why not after late data or a profile edit', async () => {
    const first = await enterpriseCompliance(ch, catalog, registry, { enterpriseId: 'ent-a', fromNs: FROM, toNs: TO });
    expect(first.request.asOf).toBe((await registry.currentVersion()).toString());
    const run = await recordAuditRun(ch, first);
    const programme = await programmeAudit(ch, catalog, registry, { fromNs: FROM, toNs: TO, filters: { region: 'north' } });
    const pRun = await recordAuditRun(ch, programme);

    // The registry moves on; the run is pinned to its version.
    await registry.assign([{ enterpriseId: 'ent-a', scope: 'enterprise', siteId: '', deviceId: '', flowId: '', profileId: 'audit-burst', profileVersion: 1 }]);
    const same = await compareWithRun(ch, catalog, registry, run.runId);
    expect({ same: same.same, reasons: same.reasons }).toEqual({ same: true, reasons: [] });
    expect((await replayAudit(ch, catalog, registry, run.runId)).contentHash).toBe(first.contentHash);
    expect((await compareWithRun(ch, catalog, registry, pRun.runId)).same).toBe(true);

    // Profile content edited in place (not allowed, but detected).
    const edited = loadProfiles(catalogDir(1_000_000));
    const cmpEdited = await compareWithRun(ch, edited, registry, run.runId);
    expect(cmpEdited.same).toBe(false);
    expect(cmpEdited.reasons.some((x) => x.startsWith('profile audit-delay@1 content changed'))).toBe(true);

    // A late window arrives for f-pass inside the period.
    const late = windowRow(FLOWS[0], D0 + 7n * HOUR, packets(400));
    await ch.insert('flow_windows', [late]);
    await refreshRollups(ch, [late]);
    const cmp = await compareWithRun(ch, catalog, registry, run.runId);
    expect(cmp.same).toBe(false);
    expect(cmp.reasons).toHaveLength(1);
    expect(cmp.reasons[0]).toMatch(/^data changed: 1 base windows added since/);
    expect(cmp.recomputed!.data.windows).toBe(String(BigInt(first.versions.data.windows) + 1n));
    const cmpP = await compareWithRun(ch, catalog, registry, pRun.runId);
    expect(cmpP.reasons[0]).toMatch(/^data changed: 1 base windows added since/);
    expect(await compareWithRun(ch, catalog, registry, 'no-such-run').then(() => 'ok', (e) => e.code)).toBe('ISO_AUDIT_RUN_NOT_FOUND');
  });
});
