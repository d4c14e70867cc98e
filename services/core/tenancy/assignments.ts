// Which requirement profile applies to a flow, as of a registry version. Assignments are
// versioned rows (sql/004_tenancy.sql): per key (enterprise, scope, site, device, flow) the row
// with the highest registry_version <= asOf is in force, unless it is a deletion. A flow is
// judged by the most specific assignment in force: flow > device > site > enterprise.
//
// indexAssignments() builds four hash maps once (O(records)); resolve() is then at most four
// map lookups, or a scan of the enterprise's list when it is short (cheaper than the keys), so
// auditing 50,000 enterprises' flows costs no long scans.
import type { AssignmentRecord, AssignmentScope } from './types.ts';

export interface FlowKey {
  enterpriseId: string;
  siteId: string;
  deviceId: string;
  flowId: string;
}

export interface AssignmentIndex {
  /** The most specific assignment in force for the flow, or null when none applies. */
  resolve(flow: FlowKey): AssignmentRecord | null;
  /** Every assignment in force for the enterprise (any scope), ordered by scope then ids. */
  forEnterprise(enterpriseId: string): readonly AssignmentRecord[];
  /** The version the index was built as of. */
  readonly asOf: bigint;
  /** Highest registryVersion among the rows taken into account (<= asOf; 0n when none). */
  readonly maxVersionUsed: bigint;
}

/** Enterprises with at most this many assignments in force are resolved by scanning their list. */
const SCAN_LIMIT = 16;

const SCOPE_ORDER: Readonly<Record<AssignmentScope, number>> = { enterprise: 0, site: 1, device: 2, flow: 3 };

// JSON.stringify of an array is unambiguous whatever the ids contain (no separator collisions).
function keyOf(enterpriseId: string, siteId: string, deviceId: string, flowId: string): string {
  return JSON.stringify([enterpriseId, siteId, deviceId, flowId]);
}

/** True when the narrower ids are '' exactly where the scope is wider than them. */
export function assignmentIdsMatchScope(r: Pick<AssignmentRecord, 'scope' | 'siteId' | 'deviceId' | 'flowId'>): boolean {
  const level = SCOPE_ORDER[r.scope];
  if (level === undefined) return false;
  const ids = [r.siteId, r.deviceId, r.flowId];
  for (let i = 0; i < 3; i++) {
    if ((i < level) !== (ids[i] !== '')) return false;
  }
  return true;
}

export function indexAssignments(records: readonly AssignmentRecord[], asOf: bigint): AssignmentIndex {
  // Latest row per full key (scope included) among rows at or below asOf.
  const latest = new Map<string, AssignmentRecord>();
  let maxVersionUsed = 0n;
  for (const r of records) {
    if (r.registryVersion > asOf) continue;
    if (r.registryVersion > maxVersionUsed) maxVersionUsed = r.registryVersion;
    const k = JSON.stringify([r.enterpriseId, r.scope, r.siteId, r.deviceId, r.flowId]);
    const prev = latest.get(k);
    // Equal versions cannot come from one registry (versions are strictly increasing); if they
    // do, a deletion wins so that the outcome does not depend on row order.
    if (prev === undefined || r.registryVersion > prev.registryVersion || (r.registryVersion === prev.registryVersion && r.deleted)) {
      latest.set(k, r);
    }
  }

  const byLevel: Map<string, AssignmentRecord>[] = [new Map(), new Map(), new Map(), new Map()];
  const byEnterprise = new Map<string, AssignmentRecord[]>();
  for (const r of latest.values()) {
    if (r.deleted || !assignmentIdsMatchScope(r)) continue;
    byLevel[SCOPE_ORDER[r.scope]].set(keyOf(r.enterpriseId, r.siteId, r.deviceId, r.flowId), r);
    let list = byEnterprise.get(r.enterpriseId);
    if (list === undefined) byEnterprise.set(r.enterpriseId, (list = []));
    list.push(r);
  }
  for (const list of byEnterprise.values()) {
    list.sort((a, b) => SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || cmp(a.siteId, b.siteId) || cmp(a.deviceId, b.deviceId) || cmp(a.flowId, b.flowId));
    Object.freeze(list);
  }
  const empty: readonly AssignmentRecord[] = Object.freeze([]);

  return Object.freeze({
    asOf,
    maxVersionUsed,
    resolve(flow: FlowKey): AssignmentRecord | null {
      const { enterpriseId: e, siteId: s, deviceId: d, flowId: f } = flow;
      const list = byEnterprise.get(e);
      if (list === undefined) return null;
      if (list.length <= SCAN_LIMIT) {
        // A short list is faster to scan than to build four JSON keys: at most one record per
        // scope matches a flow and the list is ordered by scope, so the last match is the most
        // specific one.
        let found: AssignmentRecord | null = null;
        for (const r of list) {
          if (r.scope === 'enterprise' || (r.siteId === s && (r.scope === 'site' || (r.deviceId === d && (r.scope === 'device' || r.flowId === f))))) found = r;
        }
        return found;
      }
      return (
        byLevel[3].get(keyOf(e, s, d, f)) ??
        byLevel[2].get(keyOf(e, s, d, '')) ??
        byLevel[1].get(keyOf(e, s, '', '')) ??
        byLevel[0].get(keyOf(e, '', '', '')) ??
        null
      );
    },
    forEnterprise(enterpriseId: string): readonly AssignmentRecord[] {
      return byEnterprise.get(enterpriseId) ?? empty;
    },
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
