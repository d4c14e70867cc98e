// The simulated programme: enterprises, their sites, network segments (5G cells with a URLLC
// and an eMBB slice, TSN domains), devices and flows. Pure and deterministic: the same spec
// (seed included) gives the same fleet on every machine, and every enterprise, device and flow
// draws from its own seed, so changing one count does not reshuffle the others.
import type { Identity } from '../core/wire/batch.ts';
import type { BoundedDelay, DelayModel, RadioDelay } from './delay.ts';
import { hashString, Prng } from './prng.ts';

export interface FleetSpec {
  readonly seed: number;
  readonly enterprises: number;
  readonly sitesPerEnterprise: number;
  readonly devicesPerSite: number;
  readonly flowsPerDevice: number;
}

/** What the registry needs to provision an enterprise (services/core/tenancy/types.ts EnterpriseRecord). */
export interface EnterpriseInfo {
  readonly enterpriseId: string;
  readonly name: string;
  readonly region: string;
  readonly industry: string;
  /** Industrial internet identifier prefix "88.100.<n>"; every device id starts with it and "/". */
  readonly identifierPrefix: string;
}

export type FlowKind = 'urllc' | 'embb' | 'tsn';

export interface FlowModel {
  readonly flowId: string;
  readonly kind: FlowKind;
  /** Seed of the flow's counter-based draws (PacketDraws). */
  readonly seed: number;
  /** Packet n is sent at origin + phaseNs + n * periodNs. */
  readonly periodNs: number;
  readonly phaseNs: number;
  readonly sizeBytes: number;
  /** Independent per-packet loss without faults. */
  readonly lossProbability: number;
  readonly delay: DelayModel;
  /** Declared requirements written into every batch. */
  readonly transferIntervalNs: number;
  readonly maxLatencyNs: number;
  readonly survivalTimeNs: number;
}

export interface DeviceModel {
  readonly identity: Identity;
  readonly kind: FlowKind;
  readonly flows: readonly FlowModel[];
}

export interface SegmentModel {
  readonly enterpriseId: string;
  readonly siteId: string;
  readonly segmentId: string;
  readonly networkType: '5g' | 'tsn';
  /** The 5G slice of a cell segment; null for a TSN domain. */
  readonly slice: 'urllc' | 'embb' | null;
}

export interface Fleet {
  readonly spec: FleetSpec;
  readonly enterprises: readonly EnterpriseInfo[];
  readonly segments: readonly SegmentModel[];
  readonly devices: readonly DeviceModel[];
}

export const REGIONS = ['Beijing', 'Shanghai', 'Guangdong', 'Jiangsu', 'Zhejiang', 'Shandong', 'Sichuan', 'Hubei', 'Fujian', 'Liaoning'] as const;
export const INDUSTRIES = ['automotive', 'electronics', 'steel', 'chemicals', 'machinery', 'mining', 'ports', 'power', 'pharmaceuticals', 'textiles'] as const;
const NAME_FIRST = ['Huaxin', 'Zhongda', 'Jinhai', 'Tianlong', 'Hengtai', 'Xinyuan', 'Dongfang', 'Changjiang', 'Ruifeng', 'Baosheng'];
const NAME_SECOND = ['Precision', 'Heavy', 'Smart', 'Advanced', 'United', 'Digital', 'Green', 'Allied'];
const NAME_NOUN: Record<(typeof INDUSTRIES)[number], string> = {
  automotive: 'Auto Parts', electronics: 'Electronics', steel: 'Steel', chemicals: 'Chemical', machinery: 'Machinery',
  mining: 'Mining', ports: 'Port Logistics', power: 'Power', pharmaceuticals: 'Pharma', textiles: 'Textiles',
};

/** 5G cells per site; every cell carries both slices. */
export const CELLS_PER_SITE = 2;

const US = 1_000;
const MS = 1_000_000;

export function validateFleetSpec(spec: FleetSpec): void {
  const problems: string[] = [];
  for (const [key, min, max] of [['enterprises', 1, 99_999], ['sitesPerEnterprise', 1, 99], ['devicesPerSite', 1, 9_999], ['flowsPerDevice', 1, 1000]] as const) {
    const v = spec[key];
    if (!Number.isSafeInteger(v) || v < min || v > max) problems.push(`${key}: got ${String(v)}, expected an integer from ${min} to ${max}`);
  }
  if (!Number.isSafeInteger(spec.seed) || spec.seed < 0 || spec.seed > 0xffff_ffff) problems.push(`seed: got ${String(spec.seed)}, expected an integer from 0 to 4294967295`);
  if (problems.length > 0) throw new RangeError(`fleet spec: ${problems.join('; ')}`);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function enterpriseInfo(seed: number, e: number): EnterpriseInfo {
  const rng = new Prng(hashString(`enterprise/${e}`, seed));
  const industry = rng.pick(INDUSTRIES);
  return {
    enterpriseId: `ent-${pad(e + 1, 5)}`,
    name: `${rng.pick(NAME_FIRST)} ${rng.pick(NAME_SECOND)} ${NAME_NOUN[industry]} ${e + 1}`,
    region: rng.pick(REGIONS),
    industry,
    identifierPrefix: `88.100.${e + 1}`,
  };
}

/** The enterprises of a fleet, for provisioning the registry (cheap: no devices are built). */
export function fleetEnterprises(spec: FleetSpec): EnterpriseInfo[] {
  validateFleetSpec(spec);
  return Array.from({ length: spec.enterprises }, (_, e) => enterpriseInfo(spec.seed, e));
}

/** Kind of the d-th device of a site: a repeating URLLC, TSN, eMBB pattern. */
export function deviceKind(d: number): FlowKind {
  return (['urllc', 'tsn', 'embb'] as const)[d % 3];
}

function radioFlow(rng: Prng, flowId: string, seed: number, urllc: boolean): FlowModel {
  const periodNs = urllc ? rng.pick([2 * MS, 5 * MS, 10 * MS]) : rng.pick([10 * MS, 20 * MS]);
  const delay: RadioDelay = urllc
    ? { kind: 'radio', baseNs: 150 * US + rng.int(0, 250) * US, slotNs: 250 * US, medianNs: 800 * US + rng.int(0, 800) * US, sigma: 0.25, harqProbability: 0.01, harqRttNs: 1 * MS, maxRetransmissions: 3 }
    : { kind: 'radio', baseNs: 1 * MS + rng.int(0, 2000) * US, slotNs: 500 * US, medianNs: 5 * MS + rng.int(0, 5000) * US, sigma: 0.45, harqProbability: 0.1, harqRttNs: 4 * MS, maxRetransmissions: 4 };
  return {
    flowId,
    kind: urllc ? 'urllc' : 'embb',
    seed,
    periodNs,
    phaseNs: rng.int(0, periodNs / US) * US,
    sizeBytes: urllc ? rng.pick([32, 64, 128]) : rng.pick([1200, 1400]),
    lossProbability: urllc ? 1e-5 : 1e-3,
    delay,
    transferIntervalNs: periodNs,
    maxLatencyNs: urllc ? 5 * MS : 50 * MS,
    survivalTimeNs: urllc ? periodNs : 2 * periodNs,
  };
}

const TSN_CYCLES_NS = [250 * US, 500 * US, 1 * MS, 1 * MS, 2 * MS, 2 * MS, 4 * MS, 10 * MS, 10 * MS];

function tsnFlow(rng: Prng, flowId: string, seed: number): FlowModel {
  const periodNs = rng.pick(TSN_CYCLES_NS);
  const sizeBytes = rng.pick([64, 128, 256]);
  const hops = rng.int(2, 8);
  // Per hop: store-and-forward at 1 Gbit/s (8 ns per byte) plus 2..5 us bridge latency.
  const delay: BoundedDelay = { kind: 'bounded', baseNs: hops * (sizeBytes * 8 + rng.int(2000, 5001)), jitterBoundNs: rng.int(2, 11) * 100 };
  return {
    flowId,
    kind: 'tsn',
    seed,
    periodNs,
    phaseNs: rng.int(0, periodNs / US) * US,
    sizeBytes,
    lossProbability: 1e-6,
    delay,
    transferIntervalNs: periodNs,
    maxLatencyNs: periodNs,
    survivalTimeNs: periodNs,
  };
}

/** Builds every enterprise, segment, device and flow of the spec. */
export function buildFleet(spec: FleetSpec): Fleet {
  const enterprises = fleetEnterprises(spec);
  const segments: SegmentModel[] = [];
  const devices: DeviceModel[] = [];
  for (const ent of enterprises) {
    const entCode = ent.enterpriseId.slice(4);
    let deviceNumber = 0;
    for (let s = 0; s < spec.sitesPerEnterprise; s++) {
      const siteCode = `${entCode}-${pad(s + 1, 2)}`;
      const siteId = `site-${siteCode}`;
      const cellId = (c: number, slice: 'urllc' | 'embb') => `cell-${siteCode}-${c}/${slice}`;
      const tsnDomain = `tsn-${siteCode}`;
      for (let c = 1; c <= CELLS_PER_SITE; c++) {
        for (const slice of ['urllc', 'embb'] as const) segments.push({ enterpriseId: ent.enterpriseId, siteId, segmentId: cellId(c, slice), networkType: '5g', slice });
      }
      segments.push({ enterpriseId: ent.enterpriseId, siteId, segmentId: tsnDomain, networkType: 'tsn', slice: null });
      for (let d = 0; d < spec.devicesPerSite; d++) {
        const kind = deviceKind(d);
        deviceNumber++;
        const deviceId = `${ent.identifierPrefix}/${kind === 'tsn' ? 'ES' : 'UE'}-${pad(deviceNumber, 4)}`;
        const segmentId = kind === 'tsn' ? tsnDomain : cellId((Math.floor(d / 3) % CELLS_PER_SITE) + 1, kind);
        const rng = new Prng(hashString(deviceId, spec.seed));
        const flows: FlowModel[] = [];
        for (let f = 0; f < spec.flowsPerDevice; f++) {
          const flowId = kind === 'tsn' ? `stream-${f + 1}` : `qfi-${f + 1}`;
          const seed = hashString(`${ent.enterpriseId}/${deviceId}/${flowId}`, spec.seed);
          flows.push(kind === 'tsn' ? tsnFlow(rng, flowId, seed) : radioFlow(rng, flowId, seed, kind === 'urllc'));
        }
        devices.push({ identity: { enterpriseId: ent.enterpriseId, siteId, networkType: kind === 'tsn' ? 'tsn' : '5g', segmentId, deviceId }, kind, flows });
      }
    }
  }
  return { spec, enterprises, segments, devices };
}

/** Packets per second the whole fleet sends (for sizing a run). */
export function fleetPacketRate(fleet: Fleet): number {
  let rate = 0;
  for (const d of fleet.devices) for (const f of d.flows) rate += 1e9 / f.periodNs;
  return rate;
}
