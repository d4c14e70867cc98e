import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import { assignmentIdsMatchScope, indexAssignments, type FlowKey } from './assignments.ts';
import type { AssignmentRecord, AssignmentScope } from './types.ts';

function rec(scope: AssignmentScope, ids: [string, string, string, string], profileId: string, version: bigint, deleted = false): AssignmentRecord {
  const [enterpriseId, siteId, deviceId, flowId] = ids;
  return { enterpriseId, scope, siteId, deviceId, flowId, profileId, profileVersion: 1, registryVersion: version, deleted };
}

// Brute force straight from the definition: latest row per key at or below asOf, deletions
// withdraw, then the in-force row of the narrowest scope that covers the flow.
function reference(records: readonly AssignmentRecord[], asOf: bigint, flow: FlowKey): AssignmentRecord | null {
  const covers = (r: AssignmentRecord): boolean =>
    r.enterpriseId === flow.enterpriseId &&
    (r.scope === 'enterprise'
      ? r.siteId === '' && r.deviceId === '' && r.flowId === ''
      : r.scope === 'site'
        ? r.siteId === flow.siteId && r.deviceId === '' && r.flowId === ''
        : r.scope === 'device'
          ? r.siteId === flow.siteId && r.deviceId === flow.deviceId && r.flowId === ''
          : r.siteId === flow.siteId && r.deviceId === flow.deviceId && r.flowId === flow.flowId);
  for (const scope of ['flow', 'device', 'site', 'enterprise'] as const) {
    let best: AssignmentRecord | null = null;
    for (const r of records) {
      if (r.scope !== scope || r.registryVersion > asOf || !covers(r)) continue;
      if (best === null || r.registryVersion > best.registryVersion) best = r;
    }
    if (best !== null && !best.deleted) return best;
  }
  return null;
}

describe('indexAssignments', () => {
  const E = 'ent-1';
  const records = [
    rec('enterprise', [E, '', '', ''], 'p-ent', 10n),
    rec('site', [E, 's1', '', ''], 'p-site', 20n),
    rec('device', [E, 's1', '88.1/d1', ''], 'p-dev', 30n),
    rec('flow', [E, 's1', '88.1/d1', 'f1'], 'p-flow', 40n),
    rec('flow', [E, 's1', '88.1/d1', 'f1'], 'p-flow', 50n, true),
    rec('site', [E, 's1', '', ''], 'p-site2', 60n),
  ];
  const flow = { enterpriseId: E, siteId: 's1', deviceId: '88.1/d1', flowId: 'f1' };

  it('takes the most specific assignment in force as of a version', () => {
    const at = (v: bigint) => indexAssignments(records, v).resolve(flow)?.profileId ?? null;
    expect(at(9n)).toBe(null);
    expect(at(10n)).toBe('p-ent');
    expect(at(25n)).toBe('p-site');
    expect(at(35n)).toBe('p-dev');
    expect(at(45n)).toBe('p-flow');
    expect(at(55n)).toBe('p-dev'); // the flow assignment was withdrawn at 50
    expect(at(60n)).toBe('p-dev'); // a newer site assignment does not override the device one
    expect(indexAssignments(records, 60n).resolve({ ...flow, deviceId: '88.1/d2' })?.profileId).toBe('p-site2');
    expect(indexAssignments(records, 60n).resolve({ ...flow, siteId: 's2' })?.profileId).toBe('p-ent');
    expect(indexAssignments(records, 60n).resolve({ ...flow, enterpriseId: 'other' })).toBe(null);
  });

  it('reports asOf, the highest version used, and the enterprise list in force', () => {
    const idx = indexAssignments(records, 55n);
    expect(idx.asOf).toBe(55n);
    expect(idx.maxVersionUsed).toBe(50n);
    expect(idx.forEnterprise(E).map((r) => r.profileId)).toEqual(['p-ent', 'p-site', 'p-dev']);
    expect(idx.forEnterprise('nobody')).toEqual([]);
    expect(indexAssignments([], 5n).maxVersionUsed).toBe(0n);
  });

  it('agrees with a brute-force reference on random histories', () => {
    const rnd = mulberry32(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    for (let round = 0; round < 30; round++) {
      const list: AssignmentRecord[] = [];
      const versions = new Set<bigint>();
      // Long histories (lists beyond the scan limit: map lookups) and short ones (scanned).
      const n = round % 2 === 0 ? 300 : 12;
      for (let i = 0; i < n; i++) {
        let v: bigint;
        do v = BigInt(1 + Math.floor(rnd() * 10_000));
        while (versions.has(v));
        versions.add(v);
        const scope = pick(['enterprise', 'site', 'device', 'flow'] as const);
        const e = pick(['e1', 'e2', 'e3']);
        const s = scope === 'enterprise' ? '' : pick(['s1', 's2']);
        const d = scope === 'enterprise' || scope === 'site' ? '' : pick(['1.1/a', '1.1/b']);
        const f = scope === 'flow' ? pick(['f1', 'f2', 'f3']) : '';
        list.push(rec(scope, [e, s, d, f], `p${i}`, v, rnd() < 0.25));
      }
      for (let q = 0; q < 40; q++) {
        const asOf = BigInt(Math.floor(rnd() * 11_000));
        const idx = indexAssignments(list, asOf);
        for (const e of ['e1', 'e2', 'e3', 'e4'])
          for (const s of ['s1', 's2'])
            for (const d of ['1.1/a', '1.1/b'])
              for (const f of ['f1', 'f2', 'f3', 'f4']) {
                const k = { enterpriseId: e, siteId: s, deviceId: d, flowId: f };
                expect(idx.resolve(k)).toBe(reference(list, asOf, k));
              }
      }
    }
  });

  it('checks that the ids match the scope', () => {
    expect(assignmentIdsMatchScope({ scope: 'enterprise', siteId: '', deviceId: '', flowId: '' })).toBe(true);
    expect(assignmentIdsMatchScope({ scope: 'enterprise', siteId: 's', deviceId: '', flowId: '' })).toBe(false);
    expect(assignmentIdsMatchScope({ scope: 'site', siteId: 's', deviceId: '', flowId: '' })).toBe(true);
    expect(assignmentIdsMatchScope({ scope: 'site', siteId: '', deviceId: '', flowId: '' })).toBe(false);
    expect(assignmentIdsMatchScope({ scope: 'device', siteId: 's', deviceId: 'd', flowId: '' })).toBe(true);
    expect(assignmentIdsMatchScope({ scope: 'device', siteId: 's', deviceId: 'd', flowId: 'f' })).toBe(false);
    expect(assignmentIdsMatchScope({ scope: 'flow', siteId: 's', deviceId: 'd', flowId: 'f' })).toBe(true);
    expect(assignmentIdsMatchScope({ scope: 'flow', siteId: '', deviceId: 'd', flowId: 'f' })).toBe(false);
  });

  it('resolves 50,000 enterprises from one index', () => {
    const list: AssignmentRecord[] = [];
    for (let i = 0; i < 50_000; i++) list.push(rec('enterprise', [`e${i}`, '', '', ''], `p${i % 7}`, BigInt(i + 1)));
    const idx = indexAssignments(list, 1_000_000n);
    for (let i = 0; i < 50_000; i += 997) expect(idx.resolve({ enterpriseId: `e${i}`, siteId: 's', deviceId: '1.1/x', flowId: 'f' })?.profileId).toBe(`p${i % 7}`);
  });
});
