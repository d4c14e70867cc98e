// Reads one aggregate per flow for a period and judges each flow against its profile: the one
// given explicitly, or the most specific assignment in force as of the registry version
// (core/tenancy/assignments.ts). Shared by the enterprise view and the programme audit, so both
// give the same verdict for the same flow.
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { complianceAggregateOf, fingerprintOf } from '../adapters/clickhouse/compliance-aggregate.ts';
import type { LoadedCatalog, LoadedProfile } from '../adapters/profiles/load.ts';
import type { RollupSlice } from '../core/compliance/audit-period.ts';
import type { FlowStatus } from '../core/compliance/combine.ts';
import { evaluate } from '../core/compliance/evaluate.ts';
import type { DataFingerprint } from '../core/compliance/fingerprint.ts';
import type { ComplianceAggregate, DowntimeOrigin, Verdict } from '../core/compliance/types.ts';
import type { AssignmentIndex } from '../core/tenancy/assignments.ts';
import type { AssignmentScope } from '../core/tenancy/types.ts';
import { flowAggregatesSql, flowAggregatesUnmergedSql, type FlowScope } from './sql.ts';

export interface FlowAggregate {
  readonly enterpriseId: string;
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
  /** Sorted. */
  readonly networkTypes: readonly string[];
  readonly aggregate: ComplianceAggregate;
  readonly fingerprint: DataFingerprint;
}

function flowAggregateOf(r: Record<string, unknown>, downtimeOrigin: DowntimeOrigin | null): FlowAggregate {
  return {
    enterpriseId: String(r.enterprise_id),
    siteId: String(r.site_id),
    deviceId: String(r.device_id),
    flowId: String(r.flow_id),
    networkTypes: (r.network_types as string[]).map(String).sort(),
    aggregate: complianceAggregateOf(r, downtimeOrigin),
    fingerprint: fingerprintOf(r),
  };
}

export async function readFlowAggregates(ch: ClickHouse, slices: readonly RollupSlice[], scope: FlowScope, downtimeOrigin: DowntimeOrigin | null): Promise<FlowAggregate[]> {
  const rows = await ch.query<Record<string, unknown>>(flowAggregatesSql(slices, scope));
  return rows.map((r) => flowAggregateOf(r, downtimeOrigin));
}

/**
 * What readFlowAggregates answers, read without FINAL (sql.ts flowAggregatesUnmergedSql) where
 * that gives the same answer; the enterprises with a flow where it might not are read again with
 * FINAL (in lists of at most `listMax` ids) and all their flows taken from that read.
 */
export async function readFlowAggregatesUnmerged(ch: ClickHouse, slices: readonly RollupSlice[], scope: FlowScope, downtimeOrigin: DowntimeOrigin | null, listMax: number): Promise<FlowAggregate[]> {
  const rows = await ch.query<Record<string, unknown>>(flowAggregatesUnmergedSql(slices, scope));
  const again = new Set<string>();
  for (const r of rows) if (Number(r.c_exact) !== 1) again.add(String(r.enterprise_id));
  if (again.size === 0) return rows.map((r) => flowAggregateOf(r, downtimeOrigin));
  const out: FlowAggregate[] = [];
  for (const r of rows) if (!again.has(String(r.enterprise_id))) out.push(flowAggregateOf(r, downtimeOrigin));
  const ids = [...again];
  for (let i = 0; i < ids.length; i += listMax) {
    for (const a of await readFlowAggregates(ch, slices, { networkType: scope.networkType, enterpriseIds: ids.slice(i, i + listMax) }, downtimeOrigin)) out.push(a);
  }
  return out;
}

/** Where a flow's profile came from: given in the request, or the scope of the assignment. */
export type ProfileOrigin = 'explicit' | AssignmentScope;

export interface ProfileRef {
  readonly id: string;
  readonly version: number;
  readonly contentHash: string;
  readonly origin: ProfileOrigin;
}

export interface FlowResult {
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
  readonly networkTypes: readonly string[];
  readonly status: FlowStatus;
  readonly profile: ProfileRef | null;
  /** Why there is no verdict (no assignment, or an assigned profile missing from the catalog). */
  readonly problem: string | null;
  readonly verdict: Verdict | null;
}

export type ProfileChoice = { readonly entry: LoadedProfile; readonly origin: ProfileOrigin } | { readonly problem: string };

/** The profile a flow is judged by: the explicit one, else its assignment in force. */
export function chooseProfile(catalog: LoadedCatalog, index: AssignmentIndex, flow: FlowAggregate, explicit: LoadedProfile | null): ProfileChoice {
  if (explicit !== null) return { entry: explicit, origin: 'explicit' };
  const a = index.resolve({ enterpriseId: flow.enterpriseId, siteId: flow.siteId, deviceId: flow.deviceId, flowId: flow.flowId });
  if (a === null) return { problem: `no profile assignment in force as of registry version ${index.asOf}` };
  const entry = catalog.find(a.profileId, a.profileVersion);
  if (entry === undefined) return { problem: `assigned profile ${a.profileId}@${a.profileVersion} (${a.scope} scope) is not in the profile catalog` };
  return { entry, origin: a.scope };
}

export function judgeFlow(flow: FlowAggregate, choice: ProfileChoice): FlowResult {
  const base = { siteId: flow.siteId, deviceId: flow.deviceId, flowId: flow.flowId, networkTypes: flow.networkTypes };
  if ('problem' in choice) return { ...base, status: 'no_profile', profile: null, problem: choice.problem, verdict: null };
  const verdict = evaluate(choice.entry.profile, flow.aggregate);
  const profile: ProfileRef = { id: choice.entry.profile.id, version: choice.entry.profile.version, contentHash: choice.entry.contentHash, origin: choice.origin };
  return { ...base, status: verdict.verdict, profile, problem: null, verdict };
}

/** "id@version" -> content hash of every profile the results used, sorted by key. */
export function profilesUsed(flows: Iterable<{ readonly profile: ProfileRef | null }>): { id: string; version: number; contentHash: string }[] {
  const seen = new Map<string, { id: string; version: number; contentHash: string }>();
  for (const f of flows) if (f.profile !== null) seen.set(`${f.profile.id}@${f.profile.version}`, { id: f.profile.id, version: f.profile.version, contentHash: f.profile.contentHash });
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
