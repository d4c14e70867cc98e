// Two enterprises with distinctive data in the real ClickHouse, for the API's isolation,
// injection and route tests. Every identifier and one metric value of B is distinctive, so a
// test can search any answer for them. Base windows are inserted as rows (the shape the worker
// writes) and the rollups are rebuilt by the project's rollup code.
import { rebuildRollups } from '../adapters/clickhouse/rollups.ts';
import { aggregateOfPackets, type Packet } from '../core/compliance/testkit.ts';
import type { ApiFixture } from './testkit.ts';

const S = 1_000_000_000n;
const HOUR = 3600n * S;
/** 2025-11-20T00:00:00Z */
export const DAY0_NS = 1_763_596_800n * S;
export const PERIOD = { from: '2025-11-20T00:00:00Z', to: '2025-11-21T00:00:00Z' } as const;
/** 4 windows from 05:00:00 and 4 from 15:00:00 of the day (before and after an upgrade at noon). */
export const WINDOW_STARTS_NS = [5n, 15n].flatMap((h) => [0n, 1n, 2n, 3n].map((k) => DAY0_NS + h * HOUR + k * S));
/** Upgrade periods around noon of the day. */
export const UPGRADE_PERIODS = { baselineFrom: '2025-11-20T00:00:00Z', baselineTo: '2025-11-20T12:00:00Z', afterFrom: '2025-11-20T12:00:00Z', afterTo: '2025-11-21T00:00:00Z' } as const;

export interface Tenant {
  readonly enterpriseId: string;
  readonly name: string;
  readonly region: string;
  readonly industry: string;
  readonly prefix: string;
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
  /** Every packet's one-way delay (ns): the flow's owd max, distinctive per tenant. */
  readonly delayNs: number;
}

export const TENANT_A: Tenant = {
  enterpriseId: 'ent-alpha-k3',
  name: 'Alpha K3 Works',
  region: 'alpha-k3-region',
  industry: 'alpha-k3-industry',
  prefix: '88.101.3',
  siteId: 'site-alpha-k3',
  deviceId: '88.101.3/DEV-ALPHA-K3',
  flowId: 'flow-alpha-k3',
  delayNs: 1_234_567,
};

export const TENANT_B: Tenant = {
  enterpriseId: 'ent-bravo-q7',
  name: 'Bravo Q7 Works',
  region: 'bravo-q7-region',
  industry: 'bravo-q7-industry',
  prefix: '88.202.7',
  siteId: 'site-bravo-q7',
  deviceId: '88.202.7/DEV-BRAVO-Q7',
  flowId: 'flow-bravo-q7',
  delayNs: 97_531_246,
};

/** Strings that identify B's data (ids, registry text, its distinctive delay). */
export function markersOf(t: Tenant): string[] {
  return [t.enterpriseId, t.name, t.region, t.industry, t.prefix, t.siteId, t.deviceId, t.flowId, String(t.delayNs)];
}

function windowRow(t: Tenant, startNs: bigint, pk: Packet[]): Record<string, unknown> {
  const a = aggregateOfPackets(pk, 200_000_000);
  return {
    enterprise_id: t.enterpriseId, site_id: t.siteId, network_type: t === TENANT_A ? '5g' : 'tsn', segment_id: `${t.siteId}-seg`, device_id: t.deviceId, flow_id: t.flowId,
    window_start: Number(startNs / S), window_start_ns: startNs.toString(), window_ns: 1_000_000_000,
    sent_packets: a.sentPackets, received_packets: a.owdCount, lost_packets: a.lostPackets, owd_count: a.owdCount,
    owd_min_ns: a.owdMinNs, owd_max_ns: a.owdMaxNs, owd_sum_ns: a.owdSumNs,
    owd_p50_ns: t.delayNs, owd_p90_ns: t.delayNs, owd_p99_ns: t.delayNs, owd_p999_ns: t.delayNs, owd_p9999_ns: t.delayNs,
    owd_hist_keys: a.owdHistKeys, owd_hist_counts: a.owdHistCounts, loss_burst_max_packets: a.lossBurstMaxPackets,
    max_latency_ns: 200_000_000, deadline_met_packets: a.deadlineMetPackets, deadline_miss_packets: a.deadlineMissPackets,
  };
}

/**
 * Registers A and B, assigns both the same profile (a delay bound A meets and B breaks, so B has
 * failed windows to leak), inserts 8 windows of 1000 packets per tenant and rebuilds the rollups.
 */
export async function seedTenants(f: ApiFixture, profileId: string, profileVersion: number): Promise<void> {
  await f.registry.putEnterprises([TENANT_A, TENANT_B].map((t) => ({ enterpriseId: t.enterpriseId, name: t.name, region: t.region, industry: t.industry, identifierPrefix: t.prefix })));
  await f.registry.assign([TENANT_A, TENANT_B].map((t) => ({ enterpriseId: t.enterpriseId, scope: 'enterprise' as const, siteId: '', deviceId: '', flowId: '', profileId, profileVersion })));
  const rows = [TENANT_A, TENANT_B].flatMap((t) => WINDOW_STARTS_NS.map((s) => windowRow(t, s, Array.from({ length: 1000 }, () => t.delayNs))));
  await f.ch.insert('flow_windows', rows);
  await rebuildRollups(f.ch, DAY0_NS, DAY0_NS + 24n * HOUR);
}
