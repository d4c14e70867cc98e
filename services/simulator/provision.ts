// Registers the simulated fleet in the programme registry, the way a programme office would
// onboard real enterprises: each enterprise with its identifier prefix and one fresh ingest key,
// and requirement profiles assigned per enterprise and per device kind, so the compliance API,
// the audit and the dashboards have something to judge. Used by `npm start` and by
// `npm run admin -- provision-simulator` (the one-shot "provision" service of docker-compose.yml).
import type { Registry } from '../adapters/tenancy/registry.ts';
import { provisionEnterprises } from '../adapters/tenancy/provision.ts';
import type { AssignmentRecord } from '../core/tenancy/types.ts';
import { buildFleet, type FleetSpec, type FlowKind } from './fleet.ts';

/**
 * Which profile each kind of simulated device is held to (ids and versions from profiles/*.json;
 * a design choice for the demo): the whole enterprise to Y.1541 class 1 (interactive), TSN
 * end stations and URLLC devices to stricter industrial profiles. eMBB devices keep the
 * enterprise's profile.
 */
export const SIMULATED_ASSIGNMENTS: { readonly enterprise: { id: string; version: number }; readonly byKind: Partial<Record<FlowKind, { id: string; version: number }>> } = {
  enterprise: { id: 'itu-y1541-class-1', version: 1 },
  byKind: {
    urllc: { id: '3gpp-ts22261-process-monitoring', version: 1 },
    tsn: { id: 'tsn-rfc8578-critical-control-50ms', version: 1 },
  },
};

type NewAssignment = Omit<AssignmentRecord, 'registryVersion' | 'deleted'>;

/** The assignments of a fleet (pure; exported for tests). */
export function simulatedAssignments(spec: FleetSpec): NewAssignment[] {
  const fleet = buildFleet(spec);
  const out: NewAssignment[] = fleet.enterprises.map((e) => ({
    enterpriseId: e.enterpriseId, scope: 'enterprise', siteId: '', deviceId: '', flowId: '',
    profileId: SIMULATED_ASSIGNMENTS.enterprise.id, profileVersion: SIMULATED_ASSIGNMENTS.enterprise.version,
  }));
  for (const d of fleet.devices) {
    const p = SIMULATED_ASSIGNMENTS.byKind[d.kind];
    if (p === undefined) continue;
    out.push({ enterpriseId: d.identity.enterpriseId, scope: 'device', siteId: d.identity.siteId, deviceId: d.identity.deviceId, flowId: '', profileId: p.id, profileVersion: p.version });
  }
  return out;
}

/** Enterprises, one ingest key each ({ enterpriseId: apiKey }) and the profile assignments. */
export async function provisionSimulatedFleet(registry: Registry, spec: FleetSpec, label: string): Promise<{ keys: Record<string, string>; assignments: number }> {
  const keys = await provisionEnterprises(registry, buildFleet(spec).enterprises, label);
  const assignments = simulatedAssignments(spec);
  await registry.assign(assignments);
  return { keys, assignments: assignments.length };
}
