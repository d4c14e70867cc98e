// Synthetic, seeded industrial traffic for the worker benchmark: periodic flows (TSN / 5G
// URLLC-like cycles) with a little loss and reordering, produced step by step as packed
// TelemetryBatch records (one per device) and, from the very same samples, as tab-separated
// rows for the ClickHouse Kafka-engine baseline. Deterministic: same plan, same bytes.
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, NETWORK_TYPES, type Identity } from '../../core/wire/batch.ts';
import { encodeBatch, type RawFlow } from '../../core/wire/encode-batch.ts';
import { mulberry32 } from '../../core/random.ts';

export const WINDOW_NS = 1_000_000_000;
const OK = FLAG_RECEIVED | FLAG_CLOCK_SYNCED;
const LOSS_PROBABILITY = 0.001;
const SWAP_PROBABILITY = 0.002;
const OUTLIER_PROBABILITY = 0.01;
const SEND_JITTER_NS = 20_000;
/** Closing batches sit this far after the data in event time, so every data window closes on event time. */
const CLOSE_GAP_NS = 3_600_000_000_000n;

export interface TrafficPlan {
  readonly seed: number;
  readonly devices: number;
  readonly flowsPerDevice: number;
  readonly enterprises: number;
  /** Transfer interval of every flow (the cycle time). */
  readonly periodNs: number;
  /** Event time covered by one record of one device. */
  readonly stepNs: number;
  readonly steps: number;
  readonly startNs: bigint;
}

/** A plan with about `samples` data samples over `flows` flows (10 per device). */
export function planTraffic(samples: number, flows: number, periodNs: number, stepNs: number, startNs: bigint, seed = 1): TrafficPlan {
  const flowsPerDevice = 10;
  if (flows % flowsPerDevice !== 0) throw new Error(`--flows must be a multiple of ${flowsPerDevice}`);
  if (stepNs % periodNs !== 0) throw new Error('the step must be a whole number of periods');
  if (periodNs - SEND_JITTER_NS * 2 <= 0 || periodNs > WINDOW_NS) throw new Error('period must be in (40 us, 1 s]');
  const perStep = flows * (stepNs / periodNs);
  const steps = Math.max(1, Math.round(samples / perStep));
  return { seed, devices: flows / flowsPerDevice, flowsPerDevice, enterprises: Math.min(50, Math.max(1, Math.floor(flows / 200))), periodNs, stepNs, steps, startNs };
}

export const samplesPerRecord = (p: TrafficPlan) => p.flowsPerDevice * (p.stepNs / p.periodNs);
export const dataSamples = (p: TrafficPlan) => p.steps * p.devices * samplesPerRecord(p);
export const eventSeconds = (p: TrafficPlan) => (p.steps * p.stepNs) / 1e9;

/** Window rows the data (not the closing batches) must produce: every flow sends in every window it spans. */
export function expectedWindowRows(p: TrafficPlan): number {
  const first = p.startNs / BigInt(WINDOW_NS);
  // The last sample of a flow is at most one period (minus jitter) before the data end.
  const last = (p.startNs + BigInt(p.steps * p.stepNs - 1)) / BigInt(WINDOW_NS);
  return Number(last - first + 1n) * p.devices * p.flowsPerDevice;
}

export const rng = mulberry32;

interface FlowModel {
  readonly flowId: string;
  readonly phaseNs: number;
  readonly baseDelayNs: number;
  readonly sizeBytes: number;
  readonly firstSeq: number;
}

export interface DeviceModel {
  readonly identity: Identity;
  readonly key: string;
  readonly flows: readonly FlowModel[];
  readonly rand: () => number;
  /** Column buffers reused for every record of this device. */
  readonly cols: { seq: Uint32Array; off: Float64Array; delay: Float64Array; size: Uint32Array; flags: Uint8Array }[];
}

export function deviceModels(p: TrafficPlan): DeviceModel[] {
  const n = p.stepNs / p.periodNs;
  const out: DeviceModel[] = [];
  for (let d = 0; d < p.devices; d++) {
    const rand = rng(p.seed * 1_000_003 + d);
    const identity: Identity = {
      enterpriseId: `e${d % p.enterprises}`,
      siteId: `s${d % 3}`,
      networkType: NETWORK_TYPES[1 + (d % 4)],
      segmentId: `seg${d % 16}`,
      deviceId: `d${d}`,
    };
    const flows: FlowModel[] = [];
    for (let k = 0; k < p.flowsPerDevice; k++) {
      flows.push({
        flowId: `f${k}`,
        phaseNs: SEND_JITTER_NS + Math.floor(rand() * (p.periodNs - 2 * SEND_JITTER_NS)),
        baseDelayNs: 100_000 + Math.floor(rand() * 300_000),
        sizeBytes: 64 + Math.floor(rand() * 1400),
        firstSeq: Math.floor(rand() * 1_000_000),
      });
    }
    const cols = flows.map(() => ({ seq: new Uint32Array(n), off: new Float64Array(n), delay: new Float64Array(n), size: new Uint32Array(n), flags: new Uint8Array(n) }));
    out.push({ identity, key: `${identity.enterpriseId}/${identity.deviceId}`, flows, rand, cols });
  }
  return out;
}

/**
 * Fills the device's column buffers with the samples of step `s` (send times relative to
 * `baseSendNs`, in arrival order) and returns the raw flows. Samples are in arrival order:
 * an adjacent swap is a reordered packet; a loss is a report without FLAG_RECEIVED.
 */
export function fillStep(p: TrafficPlan, dev: DeviceModel, s: number, baseSendNs: bigint, baseOffsetNs: number): RawFlow[] {
  const n = p.stepNs / p.periodNs;
  const rand = dev.rand;
  const flows: RawFlow[] = [];
  for (let k = 0; k < dev.flows.length; k++) {
    const f = dev.flows[k];
    const c = dev.cols[k];
    for (let i = 0; i < n; i++) {
      const g = s * n + i;
      c.seq[i] = (f.firstSeq + g) >>> 0;
      c.off[i] = baseOffsetNs + i * p.periodNs + f.phaseNs + Math.floor((rand() - 0.5) * 2 * SEND_JITTER_NS);
      const lost = rand() < LOSS_PROBABILITY;
      c.delay[i] = lost ? 0 : f.baseDelayNs + Math.floor(rand() * 50_000) + (rand() < OUTLIER_PROBABILITY ? 1_000_000 + Math.floor(rand() * 2_000_000) : 0);
      c.size[i] = f.sizeBytes;
      c.flags[i] = lost ? FLAG_CLOCK_SYNCED : OK;
    }
    for (let i = 1; i < n; i++) {
      if (rand() < SWAP_PROBABILITY) {
        swap(c.seq, i);
        swap(c.off, i);
        swap(c.delay, i);
        swap(c.flags, i);
      }
    }
    flows.push({
      flowId: f.flowId, seq: c.seq, baseSendNs, sendOffsetNs: c.off, delayNs: c.delay, sizeBytes: c.size, flags: c.flags,
      transferIntervalNs: p.periodNs, maxLatencyNs: 1_000_000, survivalTimeNs: 2 * p.periodNs,
    });
  }
  return flows;
}

function swap(a: { [i: number]: number }, i: number): void {
  const t = a[i - 1];
  a[i - 1] = a[i];
  a[i] = t;
}

export interface StepRecord {
  readonly key: string;
  readonly value: Buffer;
}

/** The packed records of step `s` (one per device), and the same samples as TSV when `tsv` is given. */
export function stepRecords(p: TrafficPlan, devs: readonly DeviceModel[], s: number, tsv?: TsvSink): StepRecord[] {
  const baseSendNs = p.startNs + BigInt(s) * BigInt(p.stepNs);
  const out: StepRecord[] = [];
  for (const dev of devs) {
    const flows = fillStep(p, dev, s, baseSendNs, 0);
    out.push({ key: dev.key, value: Buffer.from(encodeBatch({ identity: dev.identity, createdNs: baseSendNs + BigInt(p.stepNs), flows })) });
    if (tsv) appendTsv(tsv, dev.identity, flows, baseSendNs);
  }
  return out;
}

/** One batch per device far later in event time: it moves every flow's event time past its last data window. */
export function closingRecords(p: TrafficPlan, devs: readonly DeviceModel[]): StepRecord[] {
  const closeNs = p.startNs + BigInt(p.steps * p.stepNs) + CLOSE_GAP_NS;
  const n = p.stepNs / p.periodNs;
  return devs.map((dev) => {
    const flows: RawFlow[] = dev.flows.map((f) => ({
      flowId: f.flowId, seq: [(f.firstSeq + p.steps * n) >>> 0], baseSendNs: closeNs, sendOffsetNs: [0], delayNs: [f.baseDelayNs], sizeBytes: [f.sizeBytes], flags: [OK],
      transferIntervalNs: p.periodNs, maxLatencyNs: 1_000_000, survivalTimeNs: 2 * p.periodNs,
    }));
    return { key: dev.key, value: Buffer.from(encodeBatch({ identity: dev.identity, createdNs: closeNs, flows })) };
  });
}

/**
 * Tab-separated rows for the baseline, one per sample:
 * enterprise_id, device_id, flow_id, seq, send_ns, delay_ns, size_bytes, flags.
 * Chunks are cut at `maxChunkBytes` so each Kafka message holds whole rows.
 */
export interface TsvSink {
  readonly maxChunkBytes: number;
  parts: string[];
  bytes: number;
  readonly chunks: Buffer[];
}

export function tsvSink(maxChunkBytes = 512 * 1024): TsvSink {
  return { maxChunkBytes, parts: [], bytes: 0, chunks: [] };
}

export function flushTsv(t: TsvSink): Buffer[] {
  if (t.parts.length > 0) t.chunks.push(Buffer.from(t.parts.join(''), 'latin1'));
  t.parts = [];
  t.bytes = 0;
  return t.chunks.splice(0, t.chunks.length);
}

const NS_PER_S = 1_000_000_000n;

function appendTsv(t: TsvSink, id: Identity, flows: readonly RawFlow[], baseSendNs: bigint): void {
  // send_ns exceeds 2^53: written as whole seconds and a 9-digit fraction, both exact doubles.
  const baseSec = Number(baseSendNs / NS_PER_S);
  const baseFrac = Number(baseSendNs % NS_PER_S);
  for (const f of flows) {
    const prefix = `${id.enterpriseId}\t${id.deviceId}\t${f.flowId}\t`;
    const off = f.sendOffsetNs as Float64Array;
    for (let i = 0; i < f.seq.length; i++) {
      let frac = baseFrac + off[i];
      let sec = baseSec;
      while (frac >= 1e9) {
        frac -= 1e9;
        sec += 1;
      }
      while (frac < 0) {
        frac += 1e9;
        sec -= 1;
      }
      const line = `${prefix}${f.seq[i]}\t${sec}${String(frac).padStart(9, '0')}\t${f.delayNs[i]}\t${f.sizeBytes[i]}\t${f.flags[i]}\n`;
      t.parts.push(line);
      t.bytes += line.length;
      if (t.bytes >= t.maxChunkBytes) {
        t.chunks.push(Buffer.from(t.parts.join(''), 'latin1'));
        t.parts = [];
        t.bytes = 0;
      }
    }
  }
}
