// The simulated plant network: enterprises with 5G and TSN devices and their flows, and the
// per-packet behaviour of each flow. Pure and deterministic: time enters as data (the
// caller passes the interval to generate), randomness comes from the seeded Prng.
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, type Identity } from '../core/wire/batch.ts';
import { encodeBatch } from '../core/wire/encode-batch.ts';
import { Prng } from './prng.ts';

export interface FlowModel {
  readonly flowId: string;
  readonly periodNs: number;
  readonly sizeBytes: number;
  /** Draws one one-way delay in ns. */
  readonly delayNs: (rng: Prng) => number;
  readonly lossProbability: number;
  readonly transferIntervalNs: number;
  readonly maxLatencyNs: number;
  readonly survivalTimeNs: number;
}

export interface DeviceModel {
  readonly identity: Identity;
  readonly flows: readonly FlowModel[];
}

/** The raw samples of one flow over one interval, in arrival order. */
export interface RawFlowSamples {
  readonly flow: FlowModel;
  readonly seq: number[];
  readonly sendNs: bigint[];
  readonly delayNs: number[];
  readonly sizeBytes: number[];
  readonly flags: number[];
}

const US = 1_000;
const MS = 1_000_000;

function tsnFlow(rng: Prng, id: string): FlowModel {
  const periodNs = rng.pick([1 * MS, 2 * MS, 10 * MS]);
  const baseNs = 20 * US + rng.int(0, 30) * US; // a few store-and-forward hops
  return {
    flowId: id,
    periodNs,
    sizeBytes: rng.pick([64, 128, 256]),
    // Scheduled traffic: tight, bounded variation of a few hundred ns.
    delayNs: (r) => baseNs + Math.round(Math.max(-600, Math.min(600, 200 * r.normal()))),
    lossProbability: 1e-5,
    transferIntervalNs: periodNs,
    maxLatencyNs: periodNs,
    survivalTimeNs: periodNs,
  };
}

function fiveGFlow(rng: Prng, id: string, urllc: boolean): FlowModel {
  const periodNs = urllc ? rng.pick([2 * MS, 5 * MS, 10 * MS]) : 20 * MS;
  const medianNs = urllc ? 1.2 * MS + rng.int(0, 800) * US : 8 * MS;
  return {
    flowId: id,
    periodNs,
    sizeBytes: urllc ? 32 : 1200,
    // Radio access: log-normal body with a long tail from retransmissions (HARQ).
    delayNs: (r) => Math.round(r.logNormal(medianNs, urllc ? 0.25 : 0.4) + (r.next() < 0.01 ? r.int(1, 4) * 1 * MS : 0)),
    lossProbability: urllc ? 1e-4 : 1e-3,
    transferIntervalNs: periodNs,
    maxLatencyNs: urllc ? 5 * MS : 50 * MS,
    survivalTimeNs: urllc ? periodNs : 2 * periodNs,
  };
}

export function buildTopology(seed: number, enterprises: number, flowsPerDevice: number): DeviceModel[] {
  const rng = new Prng(seed);
  const devices: DeviceModel[] = [];
  for (let e = 0; e < enterprises; e++) {
    const enterpriseId = `ent-${String(e + 1).padStart(5, '0')}`;
    const prefix = `88.${100 + e}.1`;
    const siteId = `site-${e + 1}-a`;
    for (const networkType of ['5g', 'tsn'] as const) {
      const deviceId = `${prefix}/${networkType === '5g' ? 'UE' : 'BRIDGE'}-${String(e + 1).padStart(4, '0')}`;
      const segmentId = networkType === '5g' ? `cell-${e + 1}` : `tsn-domain-${e + 1}`;
      const flows: FlowModel[] = [];
      for (let f = 0; f < flowsPerDevice; f++) {
        const flowId = networkType === '5g' ? `qfi-${f + 1}` : `stream-${f + 1}`;
        flows.push(networkType === '5g' ? fiveGFlow(rng, flowId, f % 2 === 0) : tsnFlow(rng, flowId));
      }
      devices.push({ identity: { enterpriseId, siteId, networkType, segmentId, deviceId }, flows });
    }
  }
  return devices;
}

/** Per-flow generator state carried from one interval to the next (sequence and phase). */
export class FlowGenerator {
  private nextSeq = 0;
  private nextSendNs: bigint | undefined;
  private readonly rng: Prng;

  constructor(readonly flow: FlowModel, rng: Prng) {
    this.rng = rng;
  }

  /** Skips sending until `ns` (a pause of the sender; sequence numbers continue). */
  pauseUntil(ns: bigint): void {
    if (this.nextSendNs === undefined || this.nextSendNs < ns) this.nextSendNs = ns;
  }

  /** The packets sent in [fromNs, toNs), in the order they arrive at the receiver. */
  generate(fromNs: bigint, toNs: bigint): RawFlowSamples {
    if (this.nextSendNs === undefined) this.nextSendNs = fromNs;
    const rows: { seq: number; sendNs: bigint; delayNs: number; arrivalNs: bigint; received: boolean }[] = [];
    const period = BigInt(this.flow.periodNs);
    while (this.nextSendNs < toNs) {
      const delayNs = this.flow.delayNs(this.rng);
      const received = this.rng.next() >= this.flow.lossProbability;
      rows.push({ seq: this.nextSeq, sendNs: this.nextSendNs, delayNs, arrivalNs: this.nextSendNs + BigInt(delayNs), received });
      this.nextSeq = (this.nextSeq + 1) >>> 0;
      this.nextSendNs += period;
    }
    // Only received packets are reported, in arrival order (the receiver's view).
    const arrived = rows.filter((r) => r.received).sort((a, b) => (a.arrivalNs < b.arrivalNs ? -1 : a.arrivalNs > b.arrivalNs ? 1 : a.seq - b.seq));
    return {
      flow: this.flow,
      seq: arrived.map((r) => r.seq),
      sendNs: arrived.map((r) => r.sendNs),
      delayNs: arrived.map((r) => r.delayNs),
      sizeBytes: arrived.map(() => this.flow.sizeBytes),
      flags: arrived.map(() => FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
    };
  }
}

/**
 * One TelemetryBatch of a device: what each of its flows sent in [fromNs, toNs), encoded.
 * createdNs is the end of the interval (the moment the device would send the batch).
 */
export function deviceBatch(device: DeviceModel, generators: readonly FlowGenerator[], fromNs: bigint, toNs: bigint): { body: Uint8Array; samples: number } {
  let samples = 0;
  const flows = generators.map((g) => {
    const raw = g.generate(fromNs, toNs);
    samples += raw.seq.length;
    return {
      flowId: raw.flow.flowId,
      seq: raw.seq,
      sendNs: raw.sendNs,
      delayNs: raw.delayNs,
      sizeBytes: raw.sizeBytes,
      flags: raw.flags,
      transferIntervalNs: raw.flow.transferIntervalNs,
      maxLatencyNs: raw.flow.maxLatencyNs,
      survivalTimeNs: raw.flow.survivalTimeNs,
    };
  });
  return { body: encodeBatch({ identity: device.identity, createdNs: toNs, flows }), samples };
}
