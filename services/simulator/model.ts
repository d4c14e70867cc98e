// Stateful per-flow generation for callers that drive time themselves and need sequence numbers
// to continue across pauses (test/support/stream.ts). New code uses generate.ts, which also
// applies fault schedules and keeps a ledger. Same flow models and per-packet draws as there.
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { encodeBatch } from '../core/wire/encode-batch.ts';
import { drawDelayNs } from './delay.ts';
import { buildFleet, type DeviceModel, type FlowModel } from './fleet.ts';
import { PacketDraws, type Prng } from './prng.ts';

export type { DeviceModel, FlowModel } from './fleet.ts';

/** The raw samples of one flow over one interval, in arrival order. */
export interface RawFlowSamples {
  readonly flow: FlowModel;
  readonly seq: number[];
  readonly sendNs: bigint[];
  readonly delayNs: number[];
  readonly sizeBytes: number[];
  readonly flags: number[];
}

/** One site per enterprise with one 5G URLLC device and one TSN device. */
export function buildTopology(seed: number, enterprises: number, flowsPerDevice: number): DeviceModel[] {
  return [...buildFleet({ seed, enterprises, sitesPerEnterprise: 1, devicesPerSite: 2, flowsPerDevice }).devices];
}

/** Per-flow generator state carried from one interval to the next (sequence and phase). */
export class FlowGenerator {
  private nextSeq = 0;
  private nextSendNs: bigint | undefined;
  private readonly seed: number;
  private readonly draws = new PacketDraws();

  constructor(readonly flow: FlowModel, rng: Prng) {
    this.seed = (flow.seed ^ Math.floor(rng.next() * 4294967296)) >>> 0;
  }

  /** Skips sending until `ns` (a pause of the sender; sequence numbers continue). */
  pauseUntil(ns: bigint): void {
    if (this.nextSendNs === undefined || this.nextSendNs < ns) this.nextSendNs = ns;
  }

  /** The packets sent in [fromNs, toNs), in the order they arrive at the receiver. */
  generate(fromNs: bigint, toNs: bigint): RawFlowSamples {
    if (this.nextSendNs === undefined) this.nextSendNs = fromNs;
    const rows: { seq: number; sendNs: bigint; delayNs: number; arrivalNs: bigint }[] = [];
    const period = BigInt(this.flow.periodNs);
    while (this.nextSendNs < toNs) {
      const d = this.draws.at(this.seed, this.nextSeq);
      const delayNs = Math.round(drawDelayNs(this.flow.delay, d, 0, 1, 0));
      if (d.draw(4) >= this.flow.lossProbability) rows.push({ seq: this.nextSeq, sendNs: this.nextSendNs, delayNs, arrivalNs: this.nextSendNs + BigInt(delayNs) });
      this.nextSeq = (this.nextSeq + 1) >>> 0;
      this.nextSendNs += period;
    }
    rows.sort((a, b) => (a.arrivalNs < b.arrivalNs ? -1 : a.arrivalNs > b.arrivalNs ? 1 : a.seq - b.seq));
    return {
      flow: this.flow,
      seq: rows.map((r) => r.seq),
      sendNs: rows.map((r) => r.sendNs),
      delayNs: rows.map((r) => r.delayNs),
      sizeBytes: rows.map(() => this.flow.sizeBytes),
      flags: rows.map(() => FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
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
