import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../core/wire/decode-batch.ts';
import { buildTopology, deviceBatch, FlowGenerator } from './model.ts';
import { drawDelayNs } from './delay.ts';
import { PacketDraws, Prng } from './prng.ts';

function run(seed: number) {
  const devices = buildTopology(seed, 2, 2);
  const root = new Prng(seed);
  const gens = devices.map((d) => d.flows.map((f) => new FlowGenerator(f, root.fork(`${d.identity.deviceId}/${f.flowId}`))));
  const t0 = 1_763_000_000_000_000_000n;
  const out: Uint8Array[] = [];
  for (let s = 0; s < 5; s++) {
    devices.forEach((d, i) => out.push(deviceBatch(d, gens[i], t0 + BigInt(s) * 200_000_000n, t0 + BigInt(s + 1) * 200_000_000n).body));
  }
  return out;
}

describe('simulator model', () => {
  it('is deterministic from its seed', () => {
    expect(run(7).map((b) => Buffer.from(b).toString('hex'))).toEqual(run(7).map((b) => Buffer.from(b).toString('hex')));
    expect(run(7)[0]).not.toEqual(run(8)[0]);
  });

  it('reports packets in arrival order, with sequence numbers following send order and send times on the flow period', () => {
    for (const bytes of run(3)) {
      const batch = decodeBatch(bytes);
      for (const f of batch.flows) {
        const arrival = Array.from({ length: f.count }, (_, i) => f.sendOffsetNs[i] + f.delayNs[i]);
        for (let i = 1; i < f.count; i++) expect(arrival[i]).toBeGreaterThanOrEqual(arrival[i - 1]);
        const bySeq = Array.from({ length: f.count }, (_, i) => [f.seq[i], f.sendOffsetNs[i]] as const).sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < bySeq.length; i++) {
          const dSeq = bySeq[i][0] - bySeq[i - 1][0];
          const dT = bySeq[i][1] - bySeq[i - 1][1];
          expect(dSeq).toBeGreaterThan(0);
          expect(dT % f.transferIntervalNs).toBe(0);
          expect(dT / f.transferIntervalNs).toBe(dSeq);
        }
      }
    }
  });

  it('models 5G with a long delay tail and TSN with tight bounded delay', () => {
    const devices = buildTopology(11, 3, 2);
    const draws = new PacketDraws();
    for (const d of devices) {
      for (const f of d.flows) {
        const delays = Array.from({ length: 5000 }, (_, n) => drawDelayNs(f.delay, draws.at(99, n), 0, 1, 0)).sort((a, b) => a - b);
        const p50 = delays[2499];
        const p999 = delays[4994];
        if (d.identity.networkType === 'tsn') expect(p999 - delays[0]).toBeLessThanOrEqual(1200);
        else expect(p999 / p50).toBeGreaterThan(1.5);
      }
    }
  });
});
