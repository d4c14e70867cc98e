// The base windows behind a failing flow: the windows (flow_windows FINAL) of the period that,
// taken alone, are on the wrong side of a threshold the flow failed. A window is judged by its own
// measured value against the bound, without the minimum-data rule (one second of data can never
// carry a verdict, but it can show where the failures are). docs/audit.md "Failed windows" lists
// the test per threshold. The list is bounded (limit, oldest first); the total is counted.
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { sqlFloat, sqlInt, sqlString } from '../adapters/clickhouse/literal.ts';
import type { Profile, ThresholdKind } from '../core/compliance/types.ts';

export interface FailingFlow {
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
  readonly profile: Profile;
  /** Thresholds the flow failed over the period. */
  readonly failed: readonly ThresholdKind[];
}

export interface FailedWindow {
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
  readonly networkType: string;
  readonly segmentId: string;
  /** Decimal text (UInt64). */
  readonly windowStartNs: string;
  /** Thresholds this window breaches on its own. */
  readonly breaches: readonly ThresholdKind[];
  readonly sentPackets: number;
  readonly lostPackets: number;
  readonly corruptPackets: number;
  readonly owdCount: number;
  readonly owdMaxNs: number | null;
  readonly deadlineMissPackets: number | null;
  readonly downtimeNs: number | null;
  readonly lossBurstMaxPackets: number;
}

export interface FailedWindows {
  readonly limit: number;
  /** Every breaching window of the failing flows in the period (not only the listed ones). */
  readonly total: number;
  readonly windows: readonly FailedWindow[];
}

/** Base-window quantile columns (sql/001_flow_windows.sql) by level. */
const OWD_QUANTILE_COLUMNS: Readonly<Record<string, string>> = { '0.5': 'owd_p50_ns', '0.9': 'owd_p90_ns', '0.99': 'owd_p99_ns', '0.999': 'owd_p999_ns', '0.9999': 'owd_p9999_ns' };
const PDV_QUANTILE_COLUMNS: Readonly<Record<string, string>> = { '0.99': 'pdv_p99_ns', '0.999': 'pdv_p999_ns' };

/** The allowed fraction 1 - target as a float (listing only; verdicts use exact rationals). */
const complement = (target: number) => Number((1 - target).toPrecision(12));

/** SQL condition: this window alone is on the wrong side of the profile's threshold. */
export function windowBreachSql(profile: Profile, kind: ThresholdKind): string {
  const t = profile.thresholds;
  switch (kind) {
    case 'delay': {
      const d = t.delay!;
      const b = sqlFloat(d.maxLatencyNs);
      if (d.statistic === 'mean') return `(owd_count > 0 AND owd_sum_ns > ${b} * owd_count)`;
      const col = d.statistic === 'quantile' ? OWD_QUANTILE_COLUMNS[String(d.quantile)] : undefined;
      return `(ifNull(${col ?? 'owd_max_ns'}, 0) > ${b})`;
    }
    case 'pdv': {
      const p = t.pdv!;
      const col = p.statistic === 'quantile' ? PDV_QUANTILE_COLUMNS[String(p.quantile)] : undefined;
      return col !== undefined ? `(ifNull(${col}, 0) > ${sqlFloat(p.maxPdvNs)})` : `(ifNull(owd_max_ns - owd_min_ns, 0) > ${sqlFloat(p.maxPdvNs)})`;
    }
    case 'reliability':
      // The engine's deadline counters (the flow's own Lmax); a window without them counts nothing as met.
      return `(sent_packets > 0 AND (sent_packets - ifNull(deadline_met_packets, 0)) > ${sqlFloat(complement(t.reliability!.target))} * sent_packets)`;
    case 'availability':
      return `(ifNull(avail_expected_ns, 0) > 0 AND ifNull(downtime_ns, 0) > ${sqlFloat(complement(t.availability!.target))} * avail_expected_ns)`;
    case 'mtbf':
      return '(ifNull(up_down_transitions, 0) > 0)';
    case 'lossBurst':
      return `(loss_burst_max_packets > ${sqlInt(t.lossBurst!.maxConsecutiveLosses, 'UInt64')})`;
    case 'lossRatio':
      return `(sent_packets > 0 AND lost_packets > ${sqlFloat(t.lossRatio!.maxLossRatio)} * sent_packets)`;
    case 'errorRatio':
      return `(sent_packets > 0 AND corrupt_packets > ${sqlFloat(t.errorRatio!.maxErrorRatio)} * sent_packets)`;
  }
}

interface Group {
  readonly kind: ThresholdKind;
  readonly condition: string;
  readonly flows: string[];
}

/** One flag column per (threshold, test): flows sharing a test are listed together. */
function groups(failing: readonly FailingFlow[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const f of failing) {
    for (const kind of f.failed) {
      const condition = windowBreachSql(f.profile, kind);
      const key = `${kind}\u0000${condition}`;
      let g = byKey.get(key);
      if (g === undefined) byKey.set(key, (g = { kind, condition, flows: [] }));
      g.flows.push(`(${sqlString(f.siteId)}, ${sqlString(f.deviceId)}, ${sqlString(f.flowId)})`);
    }
  }
  return [...byKey.values()];
}

/** The count and list statements of failedWindows (null when no flow failed). */
export function failedWindowsSql(enterpriseId: string, fromNs: bigint, toNs: bigint, failing: readonly FailingFlow[], limit: number): { count: string; list: string; kinds: ThresholdKind[] } | null {
  const gs = groups(failing);
  if (gs.length === 0) return null;
  const flags = gs.map((g, i) => `((site_id, device_id, flow_id) IN (${g.flows.join(', ')}) AND ${g.condition}) AS b_${i}`);
  const from = `FROM flow_windows FINAL
WHERE enterprise_id = ${sqlString(enterpriseId)} AND window_start_ns >= ${sqlInt(fromNs, 'UInt64')} AND window_start_ns < ${sqlInt(toNs, 'UInt64')}`;
  return {
    count: `SELECT count() AS n FROM (SELECT ${flags.join(', ')} ${from}) WHERE ${gs.map((_, i) => `b_${i}`).join(' OR ')}`,
    list: `SELECT site_id, toString(network_type) AS nt, segment_id, device_id, flow_id, toString(window_start_ns) AS ws,
  sent_packets, lost_packets, corrupt_packets, owd_count, owd_max_ns, deadline_miss_packets, downtime_ns, loss_burst_max_packets, ${flags.join(', ')}
${from}
  AND (${gs.map((g) => `((site_id, device_id, flow_id) IN (${g.flows.join(', ')}) AND ${g.condition})`).join(' OR ')})
ORDER BY window_start_ns, site_id, device_id, flow_id, network_type, segment_id
LIMIT ${sqlInt(limit, 'UInt32')}`,
    kinds: gs.map((g) => g.kind),
  };
}

export async function failedWindows(ch: ClickHouse, enterpriseId: string, fromNs: bigint, toNs: bigint, failing: readonly FailingFlow[], limit: number): Promise<FailedWindows> {
  const sql = failedWindowsSql(enterpriseId, fromNs, toNs, failing, limit);
  if (sql === null) return { limit, total: 0, windows: [] };
  const [[countRow], rows] = await Promise.all([
    ch.query<{ n: string }>(sql.count),
    limit === 0 ? Promise.resolve([]) : ch.query<Record<string, unknown>>(sql.list),
  ]);
  const n = (v: unknown) => Number(v);
  const nn = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    limit,
    total: Number(countRow.n),
    windows: rows.map((r) => ({
      siteId: String(r.site_id),
      deviceId: String(r.device_id),
      flowId: String(r.flow_id),
      networkType: String(r.nt),
      segmentId: String(r.segment_id),
      windowStartNs: String(r.ws),
      breaches: [...new Set(sql.kinds.filter((_, i) => Number(r[`b_${i}`]) === 1))],
      sentPackets: n(r.sent_packets),
      lostPackets: n(r.lost_packets),
      corruptPackets: n(r.corrupt_packets),
      owdCount: n(r.owd_count),
      owdMaxNs: nn(r.owd_max_ns),
      deadlineMissPackets: nn(r.deadline_miss_packets),
      downtimeNs: nn(r.downtime_ns),
      lossBurstMaxPackets: n(r.loss_burst_max_packets),
    })),
  };
}
