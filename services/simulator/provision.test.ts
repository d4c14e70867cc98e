import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../adapters/profiles/load.ts';
import { indexAssignments } from '../core/tenancy/assignments.ts';
import type { AssignmentRecord } from '../core/tenancy/types.ts';
import { buildFleet } from './fleet.ts';
import { simulatedAssignments } from './provision.ts';

const spec = { seed: 7, enterprises: 4, sitesPerEnterprise: 2, devicesPerSite: 9, flowsPerDevice: 2 };

describe('simulated fleet assignments', () => {
  const records: AssignmentRecord[] = simulatedAssignments(spec).map((a, i) => ({ ...a, registryVersion: BigInt(i + 1), deleted: false }));
  const index = indexAssignments(records, BigInt(records.length));
  const fleet = buildFleet(spec);

  it('names only profiles that ship in profiles/', () => {
    const catalog = loadProfiles();
    for (const r of records) expect(catalog.get(r.profileId, r.profileVersion), `${r.profileId}@${r.profileVersion}`).toBeDefined();
  });

  it('gives every flow a profile: TSN and URLLC devices their own, eMBB devices the enterprise one', () => {
    const seen = new Set<string>();
    for (const d of fleet.devices) {
      for (const f of d.flows) {
        const a = index.resolve({ enterpriseId: d.identity.enterpriseId, siteId: d.identity.siteId, deviceId: d.identity.deviceId, flowId: f.flowId });
        expect(a).not.toBeNull();
        const expected = d.kind === 'tsn' ? 'tsn-rfc8578-critical-control-50ms' : d.kind === 'urllc' ? '3gpp-ts22261-process-monitoring' : 'itu-y1541-class-1';
        expect(a!.profileId).toBe(expected);
        expect(a!.enterpriseId).toBe(d.identity.enterpriseId);
        seen.add(d.kind);
      }
    }
    expect([...seen].sort()).toEqual(['embb', 'tsn', 'urllc']);
  });
});
