// The accounting identity (docs/metrics.md): every ingested sample is counted exactly once,
//   sum over rows of (receivedPackets + duplicatePackets + corruptPackets + unreceivedReports)
//   + sum over discard rows of count  ==  samples ingested,
// and receivedPackets splits into owdCount + unsyncedPackets + negativeDelayPackets.
// Checked with every closing rule active (ticks, a small grace), flows beyond maxFlows, future
// timestamps and several partitions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricEngine } from './engine.ts';
import type { DiscardRow, WindowRow } from './window-row.ts';
import { makeBatch, rng } from './testkit.ts';
import { generateFlow } from './stream-gen.ts';

describe('accounting identity', () => {
  it('holds for any stream, batching, tick pattern and capacity (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 300_000_000 }), (seed, maxFlows, graceNs) => {
        const r = rng(seed);
        const flows = Array.from({ length: 6 }, (_, i) =>
          generateFlow({
            seed: seed + i, flowId: `f${i}`, device: `d${i % 3}`, packets: 50 + Math.floor(r() * 300), periodNs: 2_000_000,
            t0Ns: 1_700_000_000_000_000_000n + BigInt(Math.floor(r() * 2e9)), seqBits: r() < 0.5 ? 16 : 32, lossProb: 0.05, burstProb: 0.02,
            reportProb: 0.5, dupProb: 0.05, corruptProb: 0.02, unsyncedProb: 0.1, negativeProb: 0.05, lateProb: 0.1, lateMaxNs: 2_000_000_000,
            restart: r() < 0.5, garbageProb: 0.02, withAvailability: r() < 0.5,
          }),
        );
        const e = new MetricEngine({ windowNs: 100_000_000, allowedLatenessNs: 200_000_000, flowIdleGraceNs: graceNs, maxFlows, seqMaxMisorder: 32, partitionIdleTimeoutNs: 1_000_000, maxClockSkewNs: 0 });
        const rows: WindowRow[] = [];
        const discards: DiscardRow[] = [];
        const pos = flows.map(() => 0);
        let ingested = 0;
        let now = 1_700_000_000_000_000_000n;
        while (pos.some((p, i) => p < flows[i].samples.length)) {
          const i = Math.floor(r() * flows.length);
          const f = flows[i];
          if (pos[i] >= f.samples.length) continue;
          const slice = f.samples.slice(pos[i], pos[i] + 1 + Math.floor(r() * 40));
          pos[i] += slice.length;
          ingested += slice.length;
          // Some batches claim to be created before their last samples were sent.
          const last = slice[slice.length - 1].sendNs;
          const created = r() < 0.1 ? last - BigInt(Math.floor(r() * 5e8)) : 0n;
          e.ingest(i % 2, makeBatch(f.identity, [{ flow: f, samples: slice }], created));
          if (r() < 0.2) {
            now += BigInt(Math.floor(r() * 3e8));
            e.tick(i % 2, now);
            e.tick(i % 2, now + 2_000_000n);
          }
          if (r() < 0.3) {
            const o = e.drain();
            rows.push(...o.windows);
            discards.push(...o.discards);
          }
        }
        for (const p of [0, 1]) {
          const o = e.flushPartition(p);
          rows.push(...o.windows);
          discards.push(...o.discards);
        }
        const o = e.drain();
        rows.push(...o.windows);
        discards.push(...o.discards);
        const inRows = rows.reduce((a, w) => a + w.receivedPackets + w.duplicatePackets + w.corruptPackets + w.unreceivedReports, 0);
        const inDiscards = discards.reduce((a, d) => a + d.count, 0);
        expect(inRows + inDiscards).toBe(ingested);
        expect(e.stats().samplesIngested).toBe(ingested);
        for (const w of rows) expect(w.owdCount + w.unsyncedPackets + w.negativeDelayPackets).toBe(w.receivedPackets);
        // One row per (flow, window).
        const keys = rows.map((w) => `${w.deviceId}/${w.flowId}/${w.windowStartNs}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 60 },
    );
  });
});
