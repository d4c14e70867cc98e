// Test support: random but reproducible per-flow packet streams with the hard cases on purpose —
// loss and loss bursts, loss reports, duplicates, corruption, reordering from variable delay,
// very late packets, 16/32-bit wraps, sender restarts, garbage sequence numbers, unsynchronised
// clocks and negative delays. Returns the stream in arrival order.
import { FLAG_CLOCK_SYNCED, FLAG_CORRUPT, FLAG_RECEIVED } from '../wire/batch.ts';
import { identity, rng, type RawFlow, type RawSample } from './testkit.ts';

export interface GenOptions {
  seed: number;
  flowId: string;
  device?: string;
  packets: number;
  periodNs: number;
  t0Ns: bigint;
  seqBits: 16 | 32;
  lossProb: number;
  burstProb: number;
  reportProb: number;
  dupProb: number;
  corruptProb: number;
  unsyncedProb: number;
  negativeProb: number;
  lateProb: number;
  lateMaxNs: number;
  restart: boolean;
  garbageProb: number;
  withAvailability: boolean;
}

export function generateFlow(o: GenOptions): RawFlow {
  const rand = rng(o.seed);
  const mod = 2 ** o.seqBits;
  let seq = (mod - 1 - Math.floor(rand() * 300)) % mod; // start close to the wrap
  const restartAt = o.restart ? Math.floor(o.packets * (0.3 + rand() * 0.4)) : -1;
  const items: { arrival: bigint; order: number; s: RawSample }[] = [];
  let burstLeft = 0;
  let order = 0;
  for (let k = 0; k < o.packets; k++) {
    if (k === restartAt) seq = Math.floor(rand() * mod);
    const sendNs = o.t0Ns + BigInt(k * o.periodNs + Math.floor(rand() * (o.periodNs / 2)));
    const wire = rand() < o.garbageProb ? Math.floor(rand() * mod) : seq;
    seq = (seq + 1) % mod;
    if (burstLeft === 0 && rand() < o.burstProb) burstLeft = 1 + Math.floor(rand() * 25);
    const lost = burstLeft > 0 || rand() < o.lossProb;
    if (burstLeft > 0) burstLeft--;
    if (lost) {
      if (rand() < o.reportProb) {
        items.push({ arrival: sendNs + BigInt(Math.floor(rand() * 2_000_000)), order: order++, s: { seq: wire, sendNs, delayNs: 0, sizeBytes: 64, flags: 0 } });
      }
      continue;
    }
    let delay = 100_000 + Math.floor(rand() * rand() * 3_000_000);
    if (rand() < o.lateProb) delay += Math.floor(rand() * o.lateMaxNs);
    let flags = FLAG_RECEIVED;
    if (rand() >= o.unsyncedProb) flags |= FLAG_CLOCK_SYNCED;
    if (rand() < o.negativeProb) delay = -Math.floor(rand() * 500_000);
    if (rand() < o.corruptProb) flags |= FLAG_CORRUPT;
    const size = 40 + Math.floor(rand() * 200);
    const arrival = sendNs + BigInt(delay);
    items.push({ arrival, order: order++, s: { seq: wire, sendNs, delayNs: delay, sizeBytes: size, flags } });
    if (rand() < o.dupProb) {
      items.push({ arrival: arrival + BigInt(Math.floor(rand() * 5_000_000)), order: order++, s: { seq: wire, sendNs, delayNs: delay, sizeBytes: size, flags: flags & ~FLAG_CORRUPT } });
    }
  }
  items.sort((a, b) => (a.arrival < b.arrival ? -1 : a.arrival > b.arrival ? 1 : a.order - b.order));
  const maxLatencyNs = 1_500_000;
  return {
    identity: identity(o.device ?? 'dev-1'),
    flowId: o.flowId,
    seqBits: o.seqBits,
    transferIntervalNs: o.withAvailability ? o.periodNs : 0,
    maxLatencyNs: o.withAvailability ? maxLatencyNs : 0,
    survivalTimeNs: o.withAvailability ? o.periodNs * Math.floor(rand() * 3) : 0,
    samples: items.map((i) => i.s),
  };
}
