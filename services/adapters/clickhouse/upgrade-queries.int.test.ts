// validateUpgrade on the real server. Enterprise ent-a gets 40 min of baseline windows and 40 min
// of after windows whose every delay is the baseline's minus 500 us (same loss, no downtime); a
// second enterprise with much larger delays shares the timeline, the site id and the flow ids and
// must never show up. Expected values come from the raw samples the test generated: the merged
// histogram counted sample by sample, nearest-rank quantiles of the raw delays, and the shift.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/stack.ts';
import { profileWith } from '../../core/compliance/testkit.ts';
import type { WindowRow } from '../../core/engine/window-row.ts';
import { isIsochronError } from '../../core/errors.ts';
import { histogramKey, histogramQuantile } from '../../core/metrics/histogram.ts';
import { mulberry32 } from '../../core/random.ts';
import type { ClickHouse } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { rebuildRollups, rebuildStatements } from './rollups.ts';
import {
  periodCharts, upgradeBucketsSql, upgradeFlowsSql, upgradeProfileAggregateSql, validateUpgrade, type UpgradeValidationResult,
} from './upgrade-queries.ts';
import { windowRecord } from './window-columns.ts';

const S = 1_000_000_000n;
const MIN = 60n * S;
/** 2025-11-21 10:00:00 UTC. */
const T0 = 1_763_683_200n * S + 10n * 3_600n * S;
const BASELINE = { fromNs: T0, toNs: T0 + 40n * MIN };
const AFTER = { fromNs: T0 + 60n * MIN, toNs: T0 + 100n * MIN };
const WINDOW_NS = 10n * S; // one base window every 10 s (sparse, to keep the test light)
const SAMPLES = 50;
const SHIFT_NS = -500_000;
const LMAX_NS = 5_000_000;
const FLOWS = [['dev-1', 'f1', 0], ['dev-1', 'f2', 200_000], ['dev-2', 'f3', 400_000]] as const;

/** A base window built from raw delays (only the fields the rollups read need real values). */
function windowRow(enterpriseId: string, deviceId: string, flowId: string, startNs: bigint, delays: number[], lost: number): WindowRow {
  const counts = new Map<number, number>();
  for (const d of delays) counts.set(histogramKey(d), (counts.get(histogramKey(d)) ?? 0) + 1);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const sent = delays.length + lost;
  let ipdvAbs = 0;
  for (let i = 1; i < delays.length; i++) ipdvAbs += Math.abs(delays[i] - delays[i - 1]);
  const met = delays.filter((d) => d <= LMAX_NS).length;
  const sum = delays.reduce((a, b) => a + b, 0);
  return {
    enterpriseId, siteId: 'site-1', networkType: '5g', segmentId: 'cell-1', deviceId, flowId, windowStartNs: startNs,
    windowNs: Number(WINDOW_NS), lossWaitNs: 3e9, seqBits: 32,
    sentPackets: sent, receivedPackets: delays.length, lostPackets: lost, lossRatio: lost / sent, duplicatePackets: 0, duplicationFraction: 0,
    corruptPackets: 0, unreceivedReports: 0, unsyncedPackets: 0, negativeDelayPackets: 0, seqRestarts: 0, receivedBytes: 100 * delays.length,
    throughputPacketsPerS: delays.length / 10, throughputBitsPerS: 80 * delays.length,
    owdCount: delays.length, owdMinNs: Math.min(...delays), owdMaxNs: Math.max(...delays), owdSumNs: sum, owdMeanNs: sum / delays.length,
    owdMedianNs: null, owdP50Ns: null, owdP90Ns: null, owdP99Ns: null, owdP999Ns: null, owdP9999Ns: null,
    owdHistKeys: keys, owdHistCounts: keys.map((k) => counts.get(k) as number),
    jitterRfc3550Ns: null, ipdvCount: delays.length - 1, ipdvMinNs: null, ipdvMaxNs: null, ipdvSumNs: delays[delays.length - 1] - delays[0],
    ipdvAbsSumNs: ipdvAbs, ipdvMeanAbsNs: ipdvAbs / (delays.length - 1), ipdvAbsP99Ns: null, dvCount: 0, pdvP99Ns: null, pdvP999Ns: null, jitterP95P50Ns: null,
    reorderedPackets: 0, reorderedRatio: 0, reorderExtentMax: null, reorderExtentSum: 0, reorderExtentMean: null, reorderExtentCapped: 0,
    lossPeriods: lost > 0 ? 1 : 0, lossBurstMaxPackets: lost,
    maxLatencyNs: LMAX_NS, deadlineMetPackets: met, deadlineMissPackets: delays.length - met, reliability: met / sent,
    transferIntervalNs: 1_000_000, survivalTimeNs: 0, availExpectedNs: Number(WINDOW_NS), downtimeNs: 0, upDownTransitions: 0, availability: 1, mtbfNs: null,
  };
}

interface Generated {
  rows: WindowRow[];
  baselineDelays: number[];
  afterDelays: number[];
}

/** Baseline and after windows of one enterprise; after delays = baseline delays + SHIFT_NS (paired by position). */
function generate(enterpriseId: string, scaleNs: number, seed: number): Generated {
  const rnd = mulberry32(seed);
  const out: Generated = { rows: [], baselineDelays: [], afterDelays: [] };
  for (const [device, flow, offset] of FLOWS) {
    for (let t = BASELINE.fromNs; t < BASELINE.toNs; t += WINDOW_NS) {
      const delays = Array.from({ length: SAMPLES }, () => Math.round(2_000_000 + offset + scaleNs * -Math.log(1 - rnd())));
      const lost = rnd() < 0.3 ? 1 : 0;
      const shifted = delays.map((d) => d + SHIFT_NS);
      const lostAfter = rnd() < 0.3 ? 1 : 0;
      out.rows.push(windowRow(enterpriseId, device, flow, t, delays, lost));
      out.rows.push(windowRow(enterpriseId, device, flow, t - BASELINE.fromNs + AFTER.fromNs, shifted, lostAfter));
      out.baselineDelays.push(...delays);
      out.afterDelays.push(...shifted);
    }
  }
  return out;
}

function nearestRank(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(q * s.length - 1e-6)) - 1];
}

function rawHistogram(values: number[]): { keys: number[]; counts: number[] } {
  const m = new Map<number, number>();
  for (const v of values) m.set(histogramKey(v), (m.get(histogramKey(v)) ?? 0) + 1);
  const keys = [...m.keys()].sort((a, b) => a - b);
  return { keys, counts: keys.map((k) => m.get(k) as number) };
}

describe('validateUpgrade (ClickHouse)', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  const a = generate('ent-a', 300_000, 7);
  const other = generate('ent-b', 20_000_000, 8); // delays of tens of ms: any leak shows
  const between = (nearestRank(a.baselineDelays, 0.99) + nearestRank(a.afterDelays, 0.99)) / 2;
  const profile = profileWith({ delay: { statistic: 'quantile', quantile: 0.99, maxLatencyNs: Math.round(between) } });
  let result: UpgradeValidationResult;

  beforeAll(async () => {
    const db = await freshDatabase('upgrade');
    ch = db.ch;
    drop = db.drop;
    await migrate(ch, db.database, loadMigrations('sql'));
    await ch.insert('flow_windows', [...a.rows, ...other.rows].map(windowRecord));
    await ch.insert('flow_windows', a.rows.slice(0, 50).map(windowRecord)); // re-emitted windows: FINAL keeps one
    await rebuildRollups(ch, BASELINE.fromNs, AFTER.toNs);
    result = await validateUpgrade(ch, { enterpriseId: 'ent-a', baseline: BASELINE, after: AFTER, seed: 3, profile, downtimeOrigin: 'survival_expiry' });
  }, 120_000);
  afterAll(async () => { await drop?.(); });

  const metric = (id: string) => result.comparison.metrics.find((m) => m.metric === id)!;

  it('delays shifted down by 500 us: improved, and the interval contains the shift', () => {
    for (const id of ['owd_p50_ns', 'owd_p99_ns']) {
      const m = metric(id);
      expect(m.verdict, id).toBe('improved');
      // buckets are 1 % wide: allow 0.5 % of each period's value on top of the interval
      const slack = 0.005 * ((m.baseline as number) + (m.after as number));
      expect(m.ci!.low - slack, id).toBeLessThanOrEqual(SHIFT_NS);
      expect(m.ci!.high + slack, id).toBeGreaterThanOrEqual(SHIFT_NS);
    }
    expect(result.comparison.method).toMatchObject({ seed: 3, resamples: 1000, baselineBlockNs: 60e9, afterBlockNs: 60e9 });
    expect(result.baseline).toMatchObject({ blocks: 40, windows: 3 * 240, blockNs: String(60n * S) });
  });

  it('same loss process and no downtime: unchanged; the shape of the delay did not change either', () => {
    expect(metric('loss_ratio').verdict).toBe('unchanged');
    expect(metric('availability')).toMatchObject({ verdict: 'unchanged', baseline: 1, after: 1, change: 0 });
    expect(metric('ipdv_mean_abs_ns').verdict).toBe('unchanged');
    expect(metric('pdv_p99_ns').verdict).toBe('unchanged');
  });

  it('point estimates equal the raw samples of ent-a only (histogram counted sample by sample)', () => {
    const hb = rawHistogram(a.baselineDelays);
    expect(metric('owd_p50_ns').baseline).toBe(histogramQuantile(hb.keys, hb.counts, 0.5));
    expect(metric('owd_p99_ns').after).toBe(histogramQuantile(rawHistogram(a.afterDelays).keys, rawHistogram(a.afterDelays).counts, 0.99));
    expect(result.delayHistogram.baseline.map((b) => [b.key, b.count])).toEqual(hb.keys.map((k, i) => [k, hb.counts[i]]));
    const total = (xs: readonly { count: number }[]) => xs.reduce((s, x) => s + x.count, 0);
    expect(total(result.delayHistogram.after)).toBe(a.afterDelays.length);
    const lost = a.rows.filter((r) => r.windowStartNs < BASELINE.toNs).reduce((s, r) => s + r.lostPackets, 0);
    expect(metric('loss_ratio').baseline).toBeCloseTo(lost / (lost + a.baselineDelays.length), 12);
    for (const b of result.delayHistogram.after) {
      expect(b.lowerNs).toBeLessThan(b.valueNs);
      expect(b.valueNs).toBeLessThanOrEqual(b.upperNs);
    }
  });

  it('hourly series and worst flows hold ent-a data only', () => {
    expect(result.series.map((p) => [p.period, p.startNs, p.windows])).toEqual([
      ['baseline', String(T0), 720],
      ['after', String(T0 + 3_600n * S), 720],
    ]);
    expect(result.series[1].availability).toBe(1);
    expect(result.worstFlows.map((f) => f.flowId)).toEqual(['f3', 'f2', 'f1']); // largest offset, highest p99
    const f3 = a.afterDelays.slice(2 * 240 * SAMPLES);
    const h3 = rawHistogram(f3);
    expect(result.worstFlows[0]).toMatchObject({ deviceId: 'dev-2', siteId: 'site-1', networkType: '5g', segmentId: 'cell-1', after: { windows: 240, owdP99Ns: histogramQuantile(h3.keys, h3.counts, 0.99) } });
    expect(result.worstFlows[0].baseline?.windows).toBe(240);
    const maxOfA = Math.max(...a.baselineDelays);
    expect(Math.max(...result.delayHistogram.baseline.map((b) => b.lowerNs))).toBeLessThan(maxOfA);
    expect(JSON.stringify(result)).not.toContain('ent-b');
  });

  it('profile: the baseline fails the p99 bound, the after period meets it', () => {
    expect(result.profile?.baseline.verdict).toBe('fail');
    expect(result.profile?.after.verdict).toBe('pass');
    expect(result.profile?.after.data).toEqual({ windows: 720, sentPackets: a.rows.filter((r) => r.windowStartNs >= AFTER.fromNs).reduce((s, r) => s + r.sentPackets, 0), owdCount: a.afterDelays.length });
  });

  it('another site of ent-a has no data: insufficient_data everywhere; ent-b cannot be reached through a site filter', async () => {
    const r = await validateUpgrade(ch, { enterpriseId: 'ent-a', siteId: 'site-2', baseline: BASELINE, after: AFTER, worstFlows: 0 });
    expect(r.comparison.metrics.every((m) => m.verdict === 'insufficient_data')).toBe(true);
    expect(r.series).toEqual([]);
    const site = await validateUpgrade(ch, { enterpriseId: 'ent-a', siteId: 'site-1', baseline: BASELINE, after: AFTER, seed: 3 });
    expect(site.comparison).toEqual(result.comparison);
    expect(site.scope).toEqual({ enterpriseId: 'ent-a', siteId: 'site-1' });
    const hostile = await validateUpgrade(ch, { enterpriseId: "ent-a' OR 1 = 1 OR '", baseline: BASELINE, after: AFTER });
    expect(hostile.baseline.blocks).toBe(0);
    expect(hostile.worstFlows).toEqual([]);
  });

  it('runs every query of validateUpgrade with the same answers on a current engine (chdb)', async () => {
    const python = path.resolve('.venv/bin/python');
    expect(fs.existsSync(python), '.venv/bin/python missing: run scripts/setup.sh (creates .venv with chdb)').toBe(true);
    const scope = { enterpriseId: 'ent-a' };
    const queries = [
      upgradeBucketsSql(scope, BASELINE, BASELINE.fromNs, 60n * S),
      upgradeBucketsSql(scope, AFTER, 0n, 3_600n * S),
      upgradeFlowsSql(scope, AFTER, { limit: 2 }),
      upgradeFlowsSql({ enterpriseId: 'ent-a', siteId: 'site-1' }, BASELINE, { flows: [{ siteId: 'site-1', deviceId: 'dev-1', flowId: 'f2' }, { siteId: 'site-1', deviceId: 'dev-2', flowId: 'f3' }] }),
      upgradeProfileAggregateSql(scope, AFTER),
      upgradeBucketsSql(scope, { fromNs: T0, toNs: T0 + 2n * 3_600n * S }, 0n, 3_600n * S, '1h'),
      upgradeFlowsSql(scope, { fromNs: T0, toNs: T0 + 2n * 3_600n * S }, { limit: 2 }, '1h'),
    ];
    const rows = [...a.rows, ...other.rows.slice(0, 200)].map(windowRecord);
    const insert = `INSERT INTO flow_windows FORMAT JSONEachRow ${rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).join(' ')}`;
    const statements = [...loadMigrations('sql').flatMap((m) => m.statements), insert, ...rebuildStatements(BASELINE.fromNs, AFTER.toNs), ...queries];
    const out = JSON.parse(execFileSync(python, ['scripts/chdb/run_sql.py'], { input: JSON.stringify(statements), maxBuffer: 256 * 1024 * 1024 }).toString()) as { ok: boolean; result?: Record<string, unknown>[]; error?: string }[];
    expect(out.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    // 64-bit integers are strings in 18.16's JSON and numbers in chdb's: compare as numbers.
    const norm = (v: unknown): unknown => (Array.isArray(v) ? v.map(norm) : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
    const rowsOf = (rs: Record<string, unknown>[]) => rs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])));
    const answers = out.slice(out.length - queries.length);
    for (let i = 0; i < queries.length; i++) {
      const server = await ch.query<Record<string, unknown>>(queries[i]);
      expect(server.length, `query ${i}`).toBeGreaterThan(0);
      expect(rowsOf(answers[i].result!), `query ${i}`).toEqual(rowsOf(server));
    }
  }, 120_000);

  it('periodCharts of one period: histogram counted sample by sample, one point per hour, worst flows by raw p99', async () => {
    const c = await periodCharts(ch, { enterpriseId: 'ent-a' }, AFTER, 2);
    const h = rawHistogram(a.afterDelays);
    expect(c.delayHistogram.map((b) => [b.key, b.count])).toEqual(h.keys.map((k, i) => [k, h.counts[i]]));
    expect(c.series.map((p) => [p.startNs, p.windows])).toEqual([[String(T0 + 3_600n * S), 720]]);
    expect(c.series[0].owdP99Ns).toBe(histogramQuantile(h.keys, h.counts, 0.99));
    // the same figures validateUpgrade reports for its after period
    expect(c.series).toEqual(result.series.filter((p) => p.period === 'after').map(({ period: _p, ...rest }) => rest));
    expect(c.delayHistogram).toEqual(result.delayHistogram.after);
    const p99Of = (i: number) => { const r = rawHistogram(a.afterDelays.slice(i * 240 * SAMPLES, (i + 1) * 240 * SAMPLES)); return histogramQuantile(r.keys, r.counts, 0.99); };
    expect(c.worstFlows.map((f) => [f.flowId, f.figures.owdP99Ns])).toEqual([['f3', p99Of(2)], ['f2', p99Of(1)]]);
    expect(c.worstFlows.map((f) => f.figures)).toEqual(result.worstFlows.slice(0, 2).map((f) => f.after));
    const none = await periodCharts(ch, { enterpriseId: 'ent-a' }, AFTER, 0);
    expect(none.worstFlows).toEqual([]);
    expect(none.series).toEqual(c.series);
  });

  it('periodCharts from 1 h rollups equals the 1 min answer over whole hours; 1 h needs whole hours', async () => {
    const hours = { fromNs: T0, toNs: T0 + 2n * 3_600n * S };
    const fromMinutes = await periodCharts(ch, { enterpriseId: 'ent-a' }, hours, 3, '1m');
    const fromHours = await periodCharts(ch, { enterpriseId: 'ent-a' }, hours, 3, '1h');
    expect(fromHours).toEqual(fromMinutes);
    const all = rawHistogram([...a.baselineDelays, ...a.afterDelays]);
    expect(fromHours.delayHistogram.map((b) => [b.key, b.count])).toEqual(all.keys.map((k, i) => [k, all.counts[i]]));
    expect(fromHours.series.map((p) => [p.startNs, p.windows])).toEqual([[String(T0), 720], [String(T0 + 3_600n * S), 720]]);
    const codes: unknown[] = [];
    for (const call of [
      () => periodCharts(ch, { enterpriseId: 'ent-a' }, BASELINE, 3, '1h'),
      () => periodCharts(ch, { enterpriseId: 'ent-a' }, hours, 101),
      () => periodCharts(ch, { enterpriseId: 'ent-a' }, { fromNs: hours.toNs, toNs: hours.fromNs }, 1),
    ]) {
      try { await call(); codes.push(null); } catch (e) { codes.push(isIsochronError(e) && e.code); }
    }
    expect(codes).toEqual(['ISO_UPGRADE_REQUEST_INVALID', 'ISO_UPGRADE_REQUEST_INVALID', 'ISO_UPGRADE_REQUEST_INVALID']);
  });

  it('rejects overlapping periods', async () => {
    let err: unknown;
    try { await validateUpgrade(ch, { enterpriseId: 'ent-a', baseline: BASELINE, after: { fromNs: BASELINE.toNs - 1n, toNs: AFTER.toNs } }); } catch (e) { err = e; }
    expect(isIsochronError(err) && err.code).toBe('ISO_UPGRADE_REQUEST_INVALID');
  });
});
