// Telemetry of a simulated fleet over an interval of event time, with the fault schedule applied
// and a ledger of exactly what was injected. Pure: the same (fleet, schedule, origin, batch
// interval, interval) gives byte-identical batches, however a longer run is split into calls,
// because every packet's values are drawn from (flow seed, packet number) (prng.ts PacketDraws).
//
// Time: packet n of a flow is sent at originNs + phaseNs + n * periodNs (sequence number
// n mod 2^32). Steps of batchIntervalNs start at originNs; the batch of step k carries, per
// flow, the packets sent in the step that were not lost, in the order they arrive at the
// receiver, and is delivered at the step's end (or holdNs later under late_delivery).
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, type Identity } from '../core/wire/batch.ts';
import { encodeBatch, type RawFlow } from '../core/wire/encode-batch.ts';
import { DELAY_DRAWS, drawDelayNs } from './delay.ts';
import {
  NO_FAULTS, occurrences, resolveSchedule, targetMatchesDevice, targetMatchesFlow,
  type FaultSchedule, type FaultWindow, type ResolvedFault, type ResolvedSchedule,
} from './faults.ts';
import type { DeviceModel, Fleet } from './fleet.ts';
import { hashString, PacketDraws } from './prng.ts';

export interface SimulationOptions {
  readonly fleet: Fleet;
  /** Default: no faults. */
  readonly schedule?: FaultSchedule | ResolvedSchedule;
  /** Start of step 0 and of every flow's packet numbering, ns since the Unix epoch. */
  readonly originNs: bigint;
  readonly batchIntervalNs: number;
}

interface DevicePlan {
  readonly device: DeviceModel;
  /** Kafka key, as the gateway writes it. */
  readonly key: string;
  readonly seed: number;
  readonly flowKeys: readonly string[];
  /** late_delivery and malformed entries that target this device. */
  readonly batchFaults: readonly ResolvedFault[];
  /** Per flow: the per-packet entries that target it. */
  readonly packetFaults: readonly (readonly ResolvedFault[])[];
}

export interface Simulation {
  readonly fleet: Fleet;
  readonly schedule: ResolvedSchedule;
  readonly originNs: bigint;
  readonly batchIntervalNs: number;
  readonly plans: readonly DevicePlan[];
}

export type DropCause = 'background' | 'loss_burst' | 'degrading_cell';

/**
 * Consecutive packets of one flow dropped for one cause (packet numbers firstN .. firstN + count - 1).
 * A run ends at each batch step, so a burst across steps is several adjacent runs: merge runs
 * where one starts at the previous one's firstN + count to get burst lengths.
 */
export interface DropRun {
  readonly flowKey: string;
  readonly firstN: number;
  count: number;
  readonly cause: DropCause;
}

/** What happened to one flow's packets in the interval. */
export interface LedgerFlow {
  readonly flowKey: string;
  readonly enterpriseId: string;
  readonly siteId: string;
  readonly segmentId: string;
  readonly deviceId: string;
  readonly flowId: string;
  /** Packets sent (send time in the interval). */
  sent: number;
  /** Samples written into batches, duplicates included (also those of late and malformed batches). */
  reported: number;
  dropped: Record<DropCause, number>;
  /** Extra copies reported (duplicates). */
  duplicates: number;
  /** Packets held back by out_of_order. */
  displaced: number;
  /** Packets given extra delay by jitter_spike. */
  jittered: number;
  /** First copies reported without CLOCK_SYNCED (clock_desync with unsynced). */
  unsynced: number;
  /** First copies reported as synchronised with a negative delay (clock_desync). */
  negativeDelay: number;
  /** Samples in batches delivered late (late_delivery). */
  lateSamples: number;
  /** Samples in corrupted batches (malformed). */
  malformedSamples: number;
}

export interface MalformedRecord {
  readonly enterpriseId: string;
  readonly deviceId: string;
  readonly stepStartNs: bigint;
  readonly corruption: 'truncate' | 'bad_version';
  /** The code the decoder (and the gateway) answers with. */
  readonly expectedCode: 'ISO_WIRE_TRUNCATED' | 'ISO_WIRE_BAD_VERSION';
}

export interface Ledger {
  readonly flows: LedgerFlow[];
  readonly dropRuns: DropRun[];
  readonly malformed: MalformedRecord[];
  batches: number;
  lateBatches: number;
  samples: number;
}

export interface SimBatch {
  readonly identity: Identity;
  /** `${enterpriseId}/${deviceId}`, the gateway's Kafka key. */
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly samples: number;
  readonly stepStartNs: bigint;
  /** When the batch is delivered: the step's end, or later under late_delivery. */
  readonly deliverNs: bigint;
  readonly late: boolean;
  /** Set when the bytes were corrupted on purpose. */
  readonly malformed: MalformedRecord | null;
}

export interface IntervalOutput {
  /** In delivery order (deliverNs, then fleet order). */
  readonly batches: SimBatch[];
  readonly ledger: Ledger;
}

const DUPLICATE_LAG_NS = 10_000;
// Draw slots of a packet after the delay's (delay.ts uses 0 .. DELAY_DRAWS - 1).
const J_LOSS = DELAY_DRAWS;
const J_BURST = DELAY_DRAWS + 1;
const J_JITTER = DELAY_DRAWS + 2;
const J_DUP = DELAY_DRAWS + 3;
const J_ORDER = DELAY_DRAWS + 4;
const J_DEGRADE_LOSS = DELAY_DRAWS + 5;

export function createSimulation(o: SimulationOptions): Simulation {
  if (!Number.isSafeInteger(o.batchIntervalNs) || o.batchIntervalNs < 1_000_000) throw new RangeError(`batchIntervalNs: got ${o.batchIntervalNs}, expected an integer >= 1000000 (1 ms)`);
  const raw = o.schedule ?? NO_FAULTS;
  const schedule = isResolved(raw) ? raw : resolveSchedule(raw);
  const plans = o.fleet.devices.map((device): DevicePlan => {
    const key = `${device.identity.enterpriseId}/${device.identity.deviceId}`;
    return {
      device,
      key,
      seed: hashString(key, o.fleet.spec.seed),
      flowKeys: device.flows.map((f) => `${key}/${f.flowId}`),
      batchFaults: schedule.faults.filter((f) => (f.kind === 'late_delivery' || f.kind === 'malformed') && targetMatchesDevice(f.target, device)),
      packetFaults: device.flows.map((flow) => schedule.faults.filter((f) => f.kind !== 'late_delivery' && f.kind !== 'malformed' && targetMatchesFlow(f.target, device, flow))),
    };
  });
  return { fleet: o.fleet, schedule, originNs: o.originNs, batchIntervalNs: o.batchIntervalNs, plans };
}

function isResolved(s: FaultSchedule | ResolvedSchedule): s is ResolvedSchedule {
  return s.faults.every((f) => 'index' in f);
}

/** Reusable columns for one device's batch (no per-sample allocation). */
class Scratch {
  seq = new Uint32Array(0);
  offsetNs = new Float64Array(0);
  delayNs = new Float64Array(0);
  arrivalNs = new Float64Array(0);
  flags = new Uint8Array(0);
  idx = new Int32Array(0);
  oSeq = new Uint32Array(0);
  oOffsetNs = new Float64Array(0);
  oDelayNs = new Float64Array(0);
  oFlags = new Uint8Array(0);
  sizes = new Uint32Array(0);

  ensure(n: number): void {
    if (this.seq.length >= n) return;
    const m = Math.max(n, this.seq.length * 2, 1024);
    this.seq = new Uint32Array(m);
    this.offsetNs = new Float64Array(m);
    this.delayNs = new Float64Array(m);
    this.arrivalNs = new Float64Array(m);
    this.flags = new Uint8Array(m);
    this.idx = new Int32Array(m);
    this.oSeq = new Uint32Array(m);
    this.oOffsetNs = new Float64Array(m);
    this.oDelayNs = new Float64Array(m);
    this.oFlags = new Uint8Array(m);
    this.sizes = new Uint32Array(m);
  }
}

const scratch = new Scratch();
const draws = new PacketDraws();

function newLedgerFlow(d: DeviceModel, flowKey: string, flowId: string): LedgerFlow {
  const id = d.identity;
  return {
    flowKey, enterpriseId: id.enterpriseId, siteId: id.siteId, segmentId: id.segmentId, deviceId: id.deviceId, flowId,
    sent: 0, reported: 0, dropped: { background: 0, loss_burst: 0, degrading_cell: 0 },
    duplicates: 0, displaced: 0, jittered: 0, unsynced: 0, negativeDelay: 0, lateSamples: 0, malformedSamples: 0,
  };
}

/**
 * Generates one flow's samples sent in relative time [relFrom, relTo) into scratch columns from
 * `at`, in arrival order; returns the number of samples written.
 */
function generateFlow(plan: DevicePlan, fi: number, occ: readonly FaultWindow[], relFrom: number, relTo: number, at: number, lf: LedgerFlow, runs: DropRun[]): number {
  const flow = plan.device.flows[fi];
  const P = flow.periodNs;
  const nFrom = Math.max(0, Math.ceil((relFrom - flow.phaseNs) / P));
  const nTo = Math.max(0, Math.ceil((relTo - flow.phaseNs) / P));
  const s = scratch;
  let w = at;
  let run: DropRun | null = null;
  const hasFaults = occ.length > 0;
  for (let n = nFrom; n < nTo; n++) {
    const t = flow.phaseNs + n * P;
    draws.at(flow.seed, n);
    // Fault factors of this packet (neutral without faults).
    let burstP = 0;
    let jitterNs = 0;
    let scale = 1;
    let extraHarq = 0;
    let degradeLoss = 0;
    let clockNs = 0;
    let unsynced = false;
    let orderP = 0;
    let displacement = 0;
    let dupP = 0;
    if (hasFaults) {
      for (let k = 0; k < occ.length; k++) {
        const o = occ[k];
        if (t < o.startNs || t >= o.endNs) continue;
        const p = o.fault.params;
        switch (o.fault.kind) {
          case 'loss_burst': burstP = Math.max(burstP, p.probability); break;
          case 'jitter_spike': jitterNs += p.extraDelayNs; break;
          case 'degrading_cell': {
            const r = (t - o.startNs) / (o.endNs - o.startNs);
            scale *= 1 + r * (p.delayFactor - 1);
            extraHarq += r * p.extraHarqProbability;
            degradeLoss += r * p.extraLossProbability;
            break;
          }
          case 'clock_desync':
            clockNs += p.offsetNs + p.driftPpm * 1e-6 * (t - o.startNs);
            if (p.unsynced !== 0) unsynced = true;
            break;
          case 'out_of_order': orderP = p.probability; displacement = p.displacementPackets; break;
          case 'duplicates': dupP = Math.max(dupP, p.probability); break;
          default: break;
        }
      }
    }
    lf.sent++;
    let cause: DropCause | null = null;
    if (burstP > 0 && draws.draw(J_BURST) < burstP) cause = 'loss_burst';
    else if (draws.draw(J_LOSS) < flow.lossProbability) cause = 'background';
    else if (degradeLoss > 0 && draws.draw(J_DEGRADE_LOSS) < degradeLoss) cause = 'degrading_cell';
    if (cause !== null) {
      lf.dropped[cause]++;
      if (run !== null && run.cause === cause && run.firstN + run.count === n) run.count++;
      else runs.push((run = { flowKey: lf.flowKey, firstN: n, count: 1, cause }));
      continue;
    }
    let delay = drawDelayNs(flow.delay, draws, 0, scale, extraHarq);
    if (jitterNs > 0) {
      delay += draws.draw(J_JITTER) * jitterNs;
      lf.jittered++;
    }
    if (orderP > 0 && draws.draw(J_ORDER) < orderP) {
      delay += displacement * P + P / 2;
      lf.displaced++;
    }
    const reported = Math.round(delay) - Math.round(clockNs);
    const flags = unsynced ? FLAG_RECEIVED : FLAG_RECEIVED | FLAG_CLOCK_SYNCED;
    if (unsynced) lf.unsynced++;
    else if (reported < 0) lf.negativeDelay++;
    s.seq[w] = n % 4294967296;
    s.offsetNs[w] = t - relFrom;
    s.delayNs[w] = reported;
    s.arrivalNs[w] = t + delay;
    s.flags[w] = flags;
    w++;
    if (dupP > 0 && draws.draw(J_DUP) < dupP) {
      s.seq[w] = s.seq[w - 1];
      s.offsetNs[w] = t - relFrom;
      s.delayNs[w] = reported + DUPLICATE_LAG_NS;
      s.arrivalNs[w] = t + delay + DUPLICATE_LAG_NS;
      s.flags[w] = flags;
      w++;
      lf.duplicates++;
    }
  }
  // Arrival order: insertion sort of indices (nearly sorted input: cost ~ n + inversions), stable.
  const idx = s.idx;
  const arr = s.arrivalNs;
  for (let i = at; i < w; i++) {
    const key = arr[i];
    let j = i - 1;
    while (j >= at && arr[idx[j]] > key) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = i;
  }
  for (let i = at; i < w; i++) {
    const k = idx[i];
    s.oSeq[i] = s.seq[k];
    s.oOffsetNs[i] = s.offsetNs[k];
    s.oDelayNs[i] = s.delayNs[k];
    s.oFlags[i] = s.flags[k];
    s.sizes[i] = flow.sizeBytes;
  }
  const count = w - at;
  lf.reported += count;
  return count;
}

function corrupt(bytes: Uint8Array, corruption: number): { bytes: Uint8Array; kind: MalformedRecord['corruption']; code: MalformedRecord['expectedCode'] } {
  if (corruption === 1) {
    // Field 1 (schema_version) is first in the canonical encoding: tag 0x08, value 0x01.
    const b = bytes.slice();
    b[1] = 99;
    return { bytes: b, kind: 'bad_version', code: 'ISO_WIRE_BAD_VERSION' };
  }
  // The last field is created_ns (fixed64): one byte short leaves it incomplete.
  return { bytes: bytes.slice(0, bytes.length - 1), kind: 'truncate', code: 'ISO_WIRE_TRUNCATED' };
}

function activeAt(sim: Simulation, faults: readonly ResolvedFault[], kind: string, relNs: number): ResolvedFault | null {
  for (const o of occurrences(sim.schedule, faults, relNs, relNs + 1)) if (o.fault.kind === kind) return o.fault;
  return null;
}

/**
 * The batches of every step in [fromNs, toNs) (both on the step grid: originNs + k *
 * batchIntervalNs) and the ledger of that interval. Batches held by late_delivery are included
 * (delivered after toNs); the caller delivers each batch at its deliverNs.
 */
export function generateInterval(sim: Simulation, fromNs: bigint, toNs: bigint): IntervalOutput {
  const I = BigInt(sim.batchIntervalNs);
  const relFrom = fromNs - sim.originNs;
  const relTo = toNs - sim.originNs;
  if (relFrom < 0n || relTo < relFrom || relFrom % I !== 0n || relTo % I !== 0n) {
    throw new RangeError(`generateInterval: [${fromNs}, ${toNs}) must start at or after originNs ${sim.originNs} and lie on the ${sim.batchIntervalNs} ns step grid`);
  }
  if (relTo > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('generateInterval: more than 2^53 ns (104 days) after originNs; start a new origin');
  const ledger: Ledger = { flows: [], dropRuns: [], malformed: [], batches: 0, lateBatches: 0, samples: 0 };
  const ledgerFlows = sim.plans.map((p) => p.device.flows.map((f, i) => newLedgerFlow(p.device, p.flowKeys[i], f.flowId)));
  for (const lfs of ledgerFlows) ledger.flows.push(...lfs);
  const batches: SimBatch[] = [];
  const stepNs = sim.batchIntervalNs;
  const kFrom = Number(relFrom / I);
  const kTo = Number(relTo / I);
  for (let k = kFrom; k < kTo; k++) {
    const a = k * stepNs;
    const b = a + stepNs;
    const stepStartNs = sim.originNs + BigInt(a);
    for (let pi = 0; pi < sim.plans.length; pi++) {
      const plan = sim.plans[pi];
      const flows = plan.device.flows;
      let capacity = 0;
      for (const f of flows) capacity += 2 * (Math.ceil(stepNs / f.periodNs) + 1);
      scratch.ensure(capacity);
      const ranges: { fi: number; at: number; count: number }[] = [];
      let at = 0;
      for (let fi = 0; fi < flows.length; fi++) {
        const faults = plan.packetFaults[fi];
        const occ = faults.length === 0 ? NONE : occurrences(sim.schedule, faults, a, b);
        const count = generateFlow(plan, fi, occ, a, b, at, ledgerFlows[pi][fi], ledger.dropRuns);
        if (count > 0) ranges.push({ fi, at, count });
        at += count;
      }
      const rawFlows: RawFlow[] = ranges.map(({ fi, at: o, count }) => {
        const f = flows[fi];
        return {
          flowId: f.flowId,
          seq: scratch.oSeq.subarray(o, o + count),
          baseSeq: scratch.oSeq[o],
          baseSendNs: stepStartNs,
          sendOffsetNs: scratch.oOffsetNs.subarray(o, o + count),
          delayNs: scratch.oDelayNs.subarray(o, o + count),
          sizeBytes: scratch.sizes.subarray(o, o + count),
          flags: scratch.oFlags.subarray(o, o + count),
          transferIntervalNs: f.transferIntervalNs,
          maxLatencyNs: f.maxLatencyNs,
          survivalTimeNs: f.survivalTimeNs,
        };
      });
      const endNs = sim.originNs + BigInt(b);
      let bytes = encodeBatch({ identity: plan.device.identity, createdNs: endNs, flows: rawFlows });
      const samples = at;
      let malformed: MalformedRecord | null = null;
      let deliverNs = endNs;
      let late = false;
      if (plan.batchFaults.length > 0) {
        const bad = activeAt(sim, plan.batchFaults, 'malformed', a);
        if (bad !== null && draws.at(plan.seed, k).draw(0) < bad.params.probability) {
          const c = corrupt(bytes, bad.params.corruption);
          bytes = c.bytes;
          malformed = { enterpriseId: plan.device.identity.enterpriseId, deviceId: plan.device.identity.deviceId, stepStartNs, corruption: c.kind, expectedCode: c.code };
          ledger.malformed.push(malformed);
          for (const r of ranges) ledgerFlows[pi][r.fi].malformedSamples += r.count;
        }
        const hold = activeAt(sim, plan.batchFaults, 'late_delivery', a);
        if (hold !== null) {
          late = true;
          deliverNs = endNs + BigInt(Math.round(hold.params.holdNs));
          ledger.lateBatches++;
          for (const r of ranges) ledgerFlows[pi][r.fi].lateSamples += r.count;
        }
      }
      ledger.batches++;
      ledger.samples += samples;
      batches.push({ identity: plan.device.identity, key: plan.key, bytes, samples, stepStartNs, deliverNs, late, malformed });
    }
  }
  // Stable: equal delivery times keep step and fleet order.
  batches.sort((x, y) => (x.deliverNs < y.deliverNs ? -1 : x.deliverNs > y.deliverNs ? 1 : 0));
  return { batches, ledger };
}

const NONE: readonly FaultWindow[] = [];
