// The programme audit reads flow aggregates without FINAL where that gives FINAL's answer
// (sql.ts flowAggregatesUnmergedSql) and reads the other enterprises again with FINAL. Checked
// against the FINAL read (readFlowAggregates) on the real ClickHouse: merged parts (every flow
// exact), a refreshed rollup row not merged yet (the same key twice: without FINAL it would be
// counted twice), and a flow whose rows lie in two parts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/stack.ts';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { sqlInt } from '../adapters/clickhouse/literal.ts';
import { loadMigrations, migrate } from '../adapters/clickhouse/migrate.ts';
import { rebuildRollups } from '../adapters/clickhouse/rollups.ts';
import { auditSlices } from '../core/compliance/audit-period.ts';
import { readFlowAggregates, readFlowAggregatesUnmerged, type FlowAggregate } from './flows.ts';
import { flowAggregatesUnmergedSql } from './sql.ts';
import { packets, windowRow, type FlowSpec } from './testkit.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const S = 1_000_000_000n;
const HOUR = 3600n * S;
const D0 = 1_763_596_800n * S; // 2025-11-20 00:00 UTC
// Two partial days (1 h slices) around a whole day (1 d slice).
const FROM = D0 - 2n * HOUR;
const TO = D0 + 27n * HOUR;

const byFlow = (xs: FlowAggregate[]) => [...xs].sort((a, b) => (`${a.enterpriseId}|${a.siteId}|${a.deviceId}|${a.flowId}` < `${b.enterpriseId}|${b.siteId}|${b.deviceId}|${b.flowId}` ? -1 : 1));

describe('flow aggregates without FINAL (real ClickHouse)', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  const slices = auditSlices(FROM, TO);

  beforeAll(async () => {
    let database: string;
    ({ ch, drop, database } = await freshDatabase('auditunmerged'));
    await migrate(ch, database, loadMigrations(path.join(ROOT, 'sql')));
    const flows: FlowSpec[] = [
      { e: 'ent-a', site: 's1', nt: '5g', dev: 'd1', flow: 'f1', windows: [] },
      { e: 'ent-a', site: 's1', nt: 'tsn', dev: 'd2', flow: 'f2', windows: [] },
      { e: 'ent-b', site: 's1', nt: 'tsn', dev: 'd1', flow: 'f1', windows: [] },
      { e: 'ent-c', site: 's2', nt: 'wifi6', dev: 'd9', flow: 'f1', windows: [] },
    ];
    const rows = flows.flatMap((f, k) => [D0 - HOUR + 5n * S, D0 + 3n * HOUR, D0 + 26n * HOUR].map((t, i) => windowRow(f, t + BigInt(k) * S, packets(200 + 10 * k, (j) => (j % (13 + i + k) === 0 ? null : undefined)))));
    await ch.insert('flow_windows', rows);
    await rebuildRollups(ch, D0 - HOUR, D0 + 27n * HOUR);
    await ch.command('OPTIMIZE TABLE flow_rollups_1h FINAL');
    await ch.command('OPTIMIZE TABLE flow_rollups_1d FINAL');
  }, 120_000);
  afterAll(() => drop());

  const exactFlags = async () => Object.fromEntries((await ch.query<{ enterprise_id: string; flow_id: string; c_exact: number }>(flowAggregatesUnmergedSql(slices, {}))).map((r) => [`${r.enterprise_id}/${r.flow_id}`, Number(r.c_exact)]));

  it('equals the FINAL read when parts are merged (no flow read again), after a refreshed row and with a flow in two parts', async () => {
    expect(slices.map((s) => s.period)).toEqual(['1h', '1d', '1h']);
    // Merged: every flow exact, the same aggregates and fingerprints.
    expect(await exactFlags()).toEqual({ 'ent-a/f1': 1, 'ent-a/f2': 1, 'ent-b/f1': 1, 'ent-c/f1': 1 });
    const before = await readFlowAggregates(ch, slices, {}, 'survival_expiry');
    expect(byFlow(await readFlowAggregatesUnmerged(ch, slices, {}, 'survival_expiry', 5000))).toEqual(byFlow(before));

    // A refreshed 1 h row of ent-a/f1 (more windows, more packets) in a new part: FINAL keeps it alone.
    const cols = (await ch.query<{ name: string }>("SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'flow_rollups_1h'")).map((c) => c.name);
    const list = cols.map((c) => (c === 'windows' ? 'windows + 1' : c === 'sent_packets' ? 'sent_packets + 7' : c)).join(', ');
    await ch.command(`INSERT INTO flow_rollups_1h (${cols.join(', ')}) SELECT ${list} FROM flow_rollups_1h
      WHERE enterprise_id = 'ent-a' AND flow_id = 'f1' AND period_start_ns = ${sqlInt(D0 + 26n * HOUR, 'UInt64')}`);
    // A new hour of ent-b/f1 (a key of its own: one hour earlier) in another new part.
    const shifted = cols.map((c) => (c === 'period_start_ns' ? 'period_start_ns - 3600000000000' : c === 'period_start' ? 'period_start - 3600' : c)).join(', ');
    await ch.command(`INSERT INTO flow_rollups_1h (${cols.join(', ')}) SELECT ${shifted} FROM flow_rollups_1h
      WHERE enterprise_id = 'ent-b' AND flow_id = 'f1' AND period_start_ns = ${sqlInt(D0 + 26n * HOUR, 'UInt64')}`);
    const flags = await exactFlags();
    expect(flags['ent-a/f1']).toBe(0); // the same key twice
    expect(flags['ent-b/f1']).toBe(0); // rows in two parts of flow_rollups_1h
    expect(flags['ent-c/f1']).toBe(1);

    const after = await readFlowAggregates(ch, slices, {}, 'survival_expiry');
    const sent = (xs: FlowAggregate[], e: string, f: string) => xs.find((x) => x.enterpriseId === e && x.flowId === f)!.aggregate.sentPackets;
    expect(sent(after, 'ent-a', 'f1')).toBe(sent(before, 'ent-a', 'f1') + 7);
    expect(sent(after, 'ent-b', 'f1')).toBeGreaterThan(sent(before, 'ent-b', 'f1'));
    expect(byFlow(await readFlowAggregatesUnmerged(ch, slices, {}, 'survival_expiry', 5000))).toEqual(byFlow(after));
    // Re-read in lists of one enterprise, with a network type filter.
    expect(byFlow(await readFlowAggregatesUnmerged(ch, slices, {}, 'survival_expiry', 1))).toEqual(byFlow(after));
    expect(byFlow(await readFlowAggregatesUnmerged(ch, slices, { networkType: 'tsn' }, 'survival_expiry', 1))).toEqual(byFlow(await readFlowAggregates(ch, slices, { networkType: 'tsn' }, 'survival_expiry')));
  }, 120_000);
});
