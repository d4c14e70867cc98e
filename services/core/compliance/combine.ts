// How flow verdicts combine into device, site and enterprise verdicts (docs/audit.md "Combining").
// Worst of the flows: fail > insufficient_data > pass. A level passes only when every flow under
// it that has a profile passed; one failing flow fails its device, site and enterprise. Pooling
// the flows' aggregates into one would let many good flows hide a bad one, and flows under
// different profiles cannot be pooled at all, so it is not done. Flows without a profile are
// counted (no_profile) but do not enter the verdict; a level with no flows is no_data.
import type { Outcome } from './types.ts';

export type FlowStatus = Outcome | 'no_profile';
export type LevelStatus = Outcome | 'no_profile' | 'no_data';

export interface StatusCounts {
  readonly pass: number;
  readonly fail: number;
  readonly insufficient_data: number;
  readonly no_profile: number;
}

export interface LevelVerdict {
  readonly verdict: LevelStatus;
  readonly flows: StatusCounts;
}

const RANK: Record<Outcome, number> = { pass: 0, insufficient_data: 1, fail: 2 };

/** fail > insufficient_data > pass; null for no outcomes. */
export function worstOf(outcomes: Iterable<Outcome>): Outcome | null {
  let worst: Outcome | null = null;
  for (const o of outcomes) if (worst === null || RANK[o] > RANK[worst]) worst = o;
  return worst;
}

export function countStatuses(statuses: Iterable<FlowStatus>): StatusCounts {
  const c = { pass: 0, fail: 0, insufficient_data: 0, no_profile: 0 };
  for (const s of statuses) c[s]++;
  return c;
}

export function levelVerdict(statuses: readonly FlowStatus[]): LevelVerdict {
  const flows = countStatuses(statuses);
  if (statuses.length === 0) return { verdict: 'no_data', flows };
  const worst = worstOf(statuses.filter((s): s is Outcome => s !== 'no_profile'));
  return { verdict: worst ?? 'no_profile', flows };
}

export interface FlowPlace {
  readonly siteId: string;
  readonly deviceId: string;
  readonly status: FlowStatus;
}

export interface DeviceVerdict extends LevelVerdict {
  readonly siteId: string;
  readonly deviceId: string;
}

export interface SiteVerdict extends LevelVerdict {
  readonly siteId: string;
}

export interface Hierarchy {
  /** Sorted by (siteId, deviceId). A device is identified within its site. */
  readonly devices: readonly DeviceVerdict[];
  readonly sites: readonly SiteVerdict[];
  readonly enterprise: LevelVerdict;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Device, site and enterprise verdicts from the flows' statuses (worst of, as above). */
export function rollUpVerdicts(flows: readonly FlowPlace[]): Hierarchy {
  const bySite = new Map<string, Map<string, FlowStatus[]>>();
  for (const f of flows) {
    let devices = bySite.get(f.siteId);
    if (devices === undefined) bySite.set(f.siteId, (devices = new Map()));
    let list = devices.get(f.deviceId);
    if (list === undefined) devices.set(f.deviceId, (list = []));
    list.push(f.status);
  }
  const devices: DeviceVerdict[] = [];
  const sites: SiteVerdict[] = [];
  for (const siteId of [...bySite.keys()].sort(cmp)) {
    const ds = bySite.get(siteId) as Map<string, FlowStatus[]>;
    const siteStatuses: FlowStatus[] = [];
    for (const deviceId of [...ds.keys()].sort(cmp)) {
      const st = ds.get(deviceId) as FlowStatus[];
      siteStatuses.push(...st);
      devices.push({ siteId, deviceId, ...levelVerdict(st) });
    }
    sites.push({ siteId, ...levelVerdict(siteStatuses) });
  }
  return { devices, sites, enterprise: levelVerdict(flows.map((f) => f.status)) };
}
