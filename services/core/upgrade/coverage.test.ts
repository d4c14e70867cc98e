// Does a nominal 95 % interval cover the true change about 95 % of the time? 200 synthetic
// (baseline, after) pairs whose true differences are known by construction, at the minimum
// number of blocks (MIN_BLOCKS), with dependence inside each block (a block-level level shift,
// loss probability, jitter scale and outage chance drawn per block):
//   - delay: after = baseline + DELTA_NS for every sample, so every population quantile moves by
//     exactly DELTA_NS whatever the mixture over blocks is;
//   - loss: block loss probability uniform on [0, 2p], equal sent per block: the ratio of
//     expectations is p, the true change p_after - p_baseline;
//   - mean |IPDV|: |IPDV| exponential with a block mean uniform on [0, 2m]: true value m;
//   - availability: a block has an outage with probability o, its length uniform on [0, 10 s] of
//     a 60 s block: true availability 1 - o * 5 / 60.
// The generator is our seeded mulberry32; the truth is arithmetic on the parameters above.
import { describe, expect, it } from 'vitest';
import { histogramKey } from '../metrics/histogram.ts';
import { mulberry32 } from '../random.ts';
import { compareUpgrade, MIN_BLOCKS } from './compare.ts';
import type { UpgradeBlock, UpgradeMetricId } from './types.ts';

const PAIRS = 200;
const SAMPLES_PER_BLOCK = 60;
const SENT_PER_BLOCK = 200;
const BLOCK_NS = 60e9;
const DELTA_NS = -150_000;

interface Params {
  readonly delayShiftNs: number;
  readonly lossP: number;
  readonly ipdvMeanNs: number;
  readonly outageP: number;
}
const BASE: Params = { delayShiftNs: 400_000, lossP: 0.02, ipdvMeanNs: 50_000, outageP: 0.3 };
const AFTER: Params = { delayShiftNs: 400_000 + DELTA_NS, lossP: 0.01, ipdvMeanNs: 35_000, outageP: 0.15 };

const TRUE_CHANGE: Partial<Record<UpgradeMetricId, number>> = {
  owd_p50_ns: DELTA_NS,
  loss_ratio: AFTER.lossP - BASE.lossP,
  ipdv_mean_abs_ns: AFTER.ipdvMeanNs - BASE.ipdvMeanNs,
  availability: (1 - (AFTER.outageP * 5) / 60) - (1 - (BASE.outageP * 5) / 60),
};

function period(p: Params, blocks: number, rnd: () => number): UpgradeBlock[] {
  const out: UpgradeBlock[] = [];
  for (let b = 0; b < blocks; b++) {
    const level = 300_000 * rnd(); // block-level offset: samples of one block are dependent
    const counts = new Map<number, number>();
    let min = Infinity;
    for (let i = 0; i < SAMPLES_PER_BLOCK; i++) {
      const d = p.delayShiftNs + level - 1_000_000 * Math.log(1 - rnd());
      const v = Math.round(d);
      min = Math.min(min, v);
      const k = histogramKey(v);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const keys = [...counts.keys()].sort((x, y) => x - y);
    const pLoss = 2 * p.lossP * rnd();
    let lost = 0;
    for (let i = 0; i < SENT_PER_BLOCK; i++) if (rnd() < pLoss) lost++;
    const m = 2 * p.ipdvMeanNs * rnd();
    let abs = 0;
    for (let i = 0; i < SAMPLES_PER_BLOCK; i++) abs += -m * Math.log(1 - rnd());
    const down = rnd() < p.outageP ? 10e9 * rnd() : 0;
    out.push({
      startNs: BigInt(b) * 60_000_000_000n, sentPackets: SENT_PER_BLOCK, lostPackets: lost, owdCount: SAMPLES_PER_BLOCK, owdMinNs: min,
      owdHistKeys: keys, owdHistCounts: keys.map((k) => counts.get(k) as number), ipdvCount: SAMPLES_PER_BLOCK, ipdvAbsSumNs: abs,
      deadlineSentPackets: 0, deadlineMetPackets: 0, availExpectedNs: BLOCK_NS, downtimeNs: down,
    });
  }
  return out;
}

describe('percentile bootstrap coverage (simulation)', () => {
  it(`covers the true change in 90-99 % of ${PAIRS} pairs at the minimum of ${MIN_BLOCKS} blocks`, () => {
    const rnd = mulberry32(20240521);
    const covered: Record<string, number> = {};
    const widths: Record<string, number> = {};
    for (const id of Object.keys(TRUE_CHANGE)) { covered[id] = 0; widths[id] = 0; }
    for (let pair = 0; pair < PAIRS; pair++) {
      const r = compareUpgrade(period(BASE, MIN_BLOCKS, rnd), period(AFTER, MIN_BLOCKS, rnd), { seed: pair + 1 });
      for (const [id, truth] of Object.entries(TRUE_CHANGE)) {
        const m = r.metrics.find((x) => x.metric === id);
        expect(m?.ci, id).not.toBeNull();
        if (m!.ci!.low <= truth! && truth! <= m!.ci!.high) covered[id]++;
        widths[id] += (m!.ci!.high - m!.ci!.low) / PAIRS;
      }
    }
    const rates = Object.fromEntries(Object.entries(covered).map(([id, c]) => [id, c / PAIRS]));
    console.log('coverage', JSON.stringify(rates), 'mean width', JSON.stringify(widths));
    for (const [id, rate] of Object.entries(rates)) {
      expect(rate, id).toBeGreaterThanOrEqual(0.9);
      expect(rate, id).toBeLessThanOrEqual(0.99);
    }
  }, 120_000);
});
