// A deterministic, seeded telemetry stream for integration tests and benchmarks: the
// simulator's device and flow models driven by synthetic event time (not the wall clock), so
// two runs produce the same records byte for byte.
import { buildTopology, deviceBatch, FlowGenerator } from '../../services/simulator/model.ts';
import { Prng } from '../../services/simulator/prng.ts';

export interface StreamRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly samples: number;
}

export interface StreamOptions {
  readonly seed: number;
  readonly enterprises: number;
  readonly flowsPerDevice: number;
  readonly startNs: bigint;
  readonly durationMs: number;
  readonly batchMs: number;
  /**
   * Ends the stream with one more batch per device an hour of event time later: it moves
   * every flow's event time past its last window, so all windows close on event time
   * (rule (a)) rather than on processing-time idleness, identically in every run.
   */
  readonly closeAtEnd?: boolean;
}

/** All records of the stream in production order (time step by time step, device by device). */
export function deterministicStream(o: StreamOptions): StreamRecord[] {
  const devices = buildTopology(o.seed, o.enterprises, o.flowsPerDevice);
  const root = new Prng(o.seed);
  const gens = devices.map((d) => d.flows.map((f) => new FlowGenerator(f, root.fork(`${d.identity.deviceId}/${f.flowId}`))));
  const out: StreamRecord[] = [];
  const step = BigInt(o.batchMs) * 1_000_000n;
  const steps = Math.ceil(o.durationMs / o.batchMs);
  const closing = o.startNs + BigInt(steps) * step + 3_600_000_000_000n;
  for (let s = 0; s < steps + (o.closeAtEnd ? 1 : 0); s++) {
    let from = o.startNs + BigInt(s) * step;
    if (s === steps) {
      for (const g of gens.flat()) g.pauseUntil(closing);
      from = closing;
    }
    devices.forEach((device, i) => {
      const { body, samples } = deviceBatch(device, gens[i], from, from + step);
      out.push({ key: `${device.identity.enterpriseId}/${device.identity.deviceId}`, value: Buffer.from(body), samples });
    });
  }
  return out;
}
