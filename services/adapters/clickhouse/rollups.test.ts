// Statement planning of the rollup refresh (pure; the SQL itself runs in rollups.int.test.ts and
// in the portability test).
import { describe, expect, it } from 'vitest';
import { rebuildStatements, refreshStatements, type TouchedWindow } from './rollups.ts';

const T0 = 1_763_740_823_000_000_000n; // 2025-11-21 16:00:23 UTC
const S = 1_000_000_000n;

function touched(n: number, windowsPerFlow: number): TouchedWindow[] {
  const out: TouchedWindow[] = [];
  for (let f = 0; f < n; f++) {
    for (let w = 0; w < windowsPerFlow; w++) {
      out.push({ enterpriseId: `ent-${f % 7}`, siteId: `site-${f % 3}`, deviceId: `88.123.4567/device-${f}`, flowId: `qfi-${f % 5}`, windowStartNs: T0 + BigInt(w) * S });
    }
  }
  return out;
}

const tupleCount = (sql: string) => (sql.match(/\('ent-\d', '88\.123\.4567\/device-\d+', 'qfi-\d', \d+\)/g) ?? []).length;

describe('refreshStatements', () => {
  it('sends nothing for no windows', () => {
    expect(refreshStatements([])).toEqual([]);
  });

  it('recomputes each touched (flow, period) once per level, finest level first', () => {
    // 3 windows per flow in one minute: one (flow, period) per level and flow.
    const sql = refreshStatements(touched(10, 3));
    expect(sql).toHaveLength(3);
    expect(sql.map((s) => /INSERT INTO `(\w+)`/.exec(s)?.[1])).toEqual(['flow_rollups_1m', 'flow_rollups_1h', 'flow_rollups_1d']);
    expect(sql.map(tupleCount)).toEqual([10, 10, 10]);
    expect(sql[0]).toContain('FROM `flow_windows` FINAL');
    expect(sql[1]).toContain('FROM `flow_rollups_1m` FINAL');
    expect(sql[2]).toContain('FROM `flow_rollups_1h` FINAL');
  });

  it('splits many flows into statements under the byte bound, covering every flow exactly once', () => {
    const maxStatementBytes = 20_000;
    const sql = refreshStatements(touched(1000, 2), { maxStatementBytes });
    const byTable = new Map<string, number>();
    for (const s of sql) {
      expect(Buffer.byteLength(s)).toBeLessThanOrEqual(maxStatementBytes);
      const t = /INSERT INTO `(\w+)`/.exec(s)![1];
      byTable.set(t, (byTable.get(t) ?? 0) + tupleCount(s));
    }
    expect(sql.length).toBeGreaterThan(3 * 4);
    expect(Object.fromEntries(byTable)).toEqual({ flow_rollups_1m: 1000, flow_rollups_1h: 1000, flow_rollups_1d: 1000 });
  });

  it('groups windows of one flow by period: a flow spanning two minutes is two 1 min tuples and one hour tuple', () => {
    const w: TouchedWindow[] = [
      { enterpriseId: 'e', siteId: 's', deviceId: 'd', flowId: 'f', windowStartNs: 1_763_740_859_000_000_000n },
      { enterpriseId: 'e', siteId: 's', deviceId: 'd', flowId: 'f', windowStartNs: 1_763_740_860_000_000_000n },
    ];
    const [m, h, d] = refreshStatements(w);
    expect(m).toContain("('e', 'd', 'f', 1763740800000000000), ('e', 'd', 'f', 1763740860000000000)");
    expect(h).toContain("IN (('e', 'd', 'f', 1763740800000000000))");
    expect(d).toContain("IN (('e', 'd', 'f', 1763683200000000000))");
  });

  it('accepts JSONEachRow records and leaves out the site filter when a site is unknown', () => {
    const sql = refreshStatements([{ enterprise_id: 'e', site_id: 's', device_id: 'd', flow_id: 'f', window_start_ns: 1_763_740_859_000_000_000n }]);
    expect(sql[0]).toContain("site_id IN ('s')");
    const noSite = refreshStatements([{ enterpriseId: 'e', deviceId: 'd', flowId: 'f', windowStartNs: 1_763_740_859_000_000_000n }]);
    expect(noSite[0]).not.toContain('site_id IN');
  });

  it('rejects values that cannot be literals, and a bound too small to hold a statement', () => {
    expect(() => refreshStatements([{ enterprise_id: 'e', site_id: 's', device_id: 'd', flow_id: 'f', window_start_ns: '12x' }])).toThrow(/nanoseconds/);
    expect(() => refreshStatements([{ enterpriseId: 'e', deviceId: 7, flowId: 'f', windowStartNs: 1n } as never])).toThrow(/string/);
    expect(() => refreshStatements(touched(1, 1), { maxStatementBytes: 10 })).toThrow(/maxStatementBytes/);
  });
});

describe('rebuildStatements', () => {
  it('widens the range to whole UTC days: 24 hourly 1 min statements, one 1 h and one 1 day statement per day', () => {
    const day = 86_400n * S;
    const sql = rebuildStatements(T0, T0 + 10n * 3_600n * S); // 16:00 to 02:00 next day
    expect(sql).toHaveLength(2 * 26);
    expect(sql[0]).toContain(`window_start_ns >= ${(T0 / day) * day} AND window_start_ns < ${(T0 / day) * day + 3_600n * S}`);
    expect(sql[25]).toContain('INSERT INTO `flow_rollups_1d`');
    expect(rebuildStatements(T0, T0)).toEqual([]);
  });
});
