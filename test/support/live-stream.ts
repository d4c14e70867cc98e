// A seeded telemetry stream in live event time, for the recovery tests: the simulator's fleet
// (enterprises x sites x devices x flows, as `npm start` runs it) generated for a span of
// wall-clock time, each device's batch due when its interval ends, as a device would send it.
// The part already due when the run starts is a backlog; a paced producer sends the rest live.
import type { Producer } from 'kafkajs';
import { buildFleet } from '../../services/simulator/fleet.ts';
import { deviceBatch, FlowGenerator } from '../../services/simulator/model.ts';
import { Prng } from '../../services/simulator/prng.ts';

export interface LiveStreamOptions {
  readonly seed: number;
  readonly enterprises: number;
  readonly sitesPerEnterprise: number;
  readonly devicesPerSite: number;
  readonly flowsPerDevice: number;
  /** Event time of the first interval (ns since the epoch); a multiple of batchMs. */
  readonly startNs: bigint;
  readonly durationMs: number;
  readonly batchMs: number;
}

export interface LiveStep {
  /** Wall-clock time (ms since the epoch) at which this step's batches are sent. */
  readonly dueAtMs: number;
  readonly records: { key: string; value: Buffer }[];
  readonly samples: number;
}

/**
 * The stream's steps in order, generated as they are taken (a step of live time is generated
 * just before it is sent, so a slow generator does not delay the schedule), and its flow count.
 */
export function liveStream(o: LiveStreamOptions): { steps: Iterable<LiveStep>; flows: number } {
  const { devices } = buildFleet({ seed: o.seed, enterprises: o.enterprises, sitesPerEnterprise: o.sitesPerEnterprise, devicesPerSite: o.devicesPerSite, flowsPerDevice: o.flowsPerDevice });
  const root = new Prng(o.seed);
  const gens = devices.map((d) => d.flows.map((f) => new FlowGenerator(f, root.fork(`${d.identity.deviceId}/${f.flowId}`))));
  const stepNs = BigInt(o.batchMs) * 1_000_000n;
  const count = Math.ceil(o.durationMs / o.batchMs);
  function* steps(): Generator<LiveStep> {
    for (let s = 0; s < count; s++) {
      const from = o.startNs + BigInt(s) * stepNs;
      let samples = 0;
      const records = devices.map((device, i) => {
        const b = deviceBatch(device, gens[i], from, from + stepNs);
        samples += b.samples;
        return { key: `${device.identity.enterpriseId}/${device.identity.deviceId}`, value: Buffer.from(b.body) };
      });
      yield { dueAtMs: Number((from + stepNs) / 1_000_000n), records, samples };
    }
  }
  return { steps: steps(), flows: devices.reduce((n, d) => n + d.flows.length, 0) };
}

export interface PaceResult {
  readonly records: number;
  readonly samples: number;
  /** How far behind its due time the producer sent a live step at most, and which step. */
  readonly maxBehindMs: number;
  readonly maxBehindAtMs: number;
}

/**
 * Sends the backlog at once in large sends: every step already due when the producer gets to
 * it, until it first reaches a step still in the future (`liveFromMs` at the earliest); from
 * there each step is sent when it falls due. Resolves when all are acknowledged, with how far
 * behind its due time the producer sent a live step at most (a producer starved for seconds
 * would itself make a partition look idle, and its samples late).
 */
export async function paceSteps(producer: Producer, topic: string, steps: Iterable<LiveStep>, liveFromMs: number): Promise<PaceResult> {
  let maxBehindMs = 0;
  let maxBehindAtMs = 0;
  let records = 0;
  let samples = 0;
  let live = false;
  let bulk: { key: string; value: Buffer }[] = [];
  const sendBulk = async () => {
    if (bulk.length > 0) await producer.send({ topic, acks: -1, messages: bulk });
    bulk = [];
  };
  for (const step of steps) {
    records += step.records.length;
    samples += step.samples;
    if (!live && (step.dueAtMs <= liveFromMs || step.dueAtMs <= Date.now())) {
      bulk.push(...step.records);
      if (bulk.length >= 2000) await sendBulk();
      continue;
    }
    if (!live) {
      await sendBulk();
      live = true;
    }
    const wait = step.dueAtMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (-wait > maxBehindMs) {
      maxBehindMs = -wait;
      maxBehindAtMs = step.dueAtMs;
    }
    await producer.send({ topic, acks: -1, messages: step.records });
  }
  await sendBulk();
  return { records, samples, maxBehindMs, maxBehindAtMs };
}
