import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../../core/wire/decode-batch.ts';
import { encodeBatch } from '../../core/wire/encode-batch.ts';
import { liveRecord, liveTemplates } from './live-records.ts';
import { deviceModels, fillStep, type TrafficPlan } from './traffic.ts';

const plan: TrafficPlan = { seed: 3, devices: 3, flowsPerDevice: 50, enterprises: 2, periodNs: 20_000_000, stepNs: 100_000_000, steps: 0, startNs: 0n };

describe('live records', () => {
  it('equal the canonical encoding of the same samples moved to step s', () => {
    const templates = liveTemplates(plan);
    // Reference: the same pattern drawn again from the same seed, shifted by hand and encoded from scratch.
    const devs = deviceModels(plan);
    for (const [d, dev] of devs.entries()) {
      const pattern = fillStep(plan, dev, 0, 0n, 0);
      for (const s of [0, 1, 7, 599]) {
        const base = 1_795_000_000_000_000_000n + BigInt(s) * 100_000_000n;
        const perFlow = plan.stepNs / plan.periodNs;
        const flows = pattern.map((f, k) => ({
          ...f,
          baseSendNs: base,
          seq: Array.from(f.seq, (x) => x + 2 ** 21 + s * perFlow),
          baseSeq: 2 ** 21 + dev.flows[k].firstSeq + s * perFlow,
        }));
        const expected = encodeBatch({ identity: dev.identity, flows });
        expect(Buffer.compare(liveRecord(templates[d], s, base), Buffer.from(expected))).toBe(0);
      }
    }
  });

  it('decode to the step-s send times and sequence numbers', () => {
    const [t] = liveTemplates(plan);
    const b = decodeBatch(liveRecord(t, 5, 1_795_000_000_500_000_000n));
    expect(b.flows).toHaveLength(50);
    for (const f of b.flows) {
      expect(f.baseSendNs).toBe(1_795_000_000_500_000_000n);
      for (let i = 0; i < f.count; i++) expect(f.sendOffsetNs[i]).toBeGreaterThanOrEqual(0);
      for (let i = 0; i < f.count; i++) expect(f.sendOffsetNs[i]).toBeLessThan(plan.stepNs);
    }
    expect(b.sampleCount).toBe(t.samplesPerStep);
  });
});
