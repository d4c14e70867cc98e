// compareUpgrade(baseline, after): per metric the change after - baseline, a percentile bootstrap
// interval for it, and a verdict. Pure and deterministic: the resampling generator is seeded.
//
// Method (docs/upgrade-validation.md): two-sample nonparametric bootstrap (Efron & Tibshirani
// 1993, ch. 8 for two samples, ch. 13 for percentile intervals), with the small-sample expansion
// of the percentile interval (interval.ts). The resampling unit is a block
// of time (all flows of the scope merged over >= 1 min), so dependence inside a block is kept
// and blocks are treated as independent draws (non-overlapping blocks, as in Carlstein 1986).
// Each replicate draws n_b blocks with replacement from the baseline and n_a from the after
// period, independently, and recomputes every metric from the summed blocks.
import { IsochronError } from '../errors.ts';
import { mulberry32 } from '../random.ts';
import { expandedTail, percentileInterval } from './interval.ts';
import { blockAmount, estimateInto, keyIndex, METRIC_COUNT, preparePeriod, UPGRADE_METRICS, type MetricDef } from './metrics.ts';
import type { ChangeVerdict, CompareOptions, Interval, MetricChange, UpgradeBlock, UpgradeComparison } from './types.ts';

export const DEFAULT_RESAMPLES = 1000;
export const MAX_RESAMPLES = 100_000;
export const DEFAULT_SEED = 1;
export const DEFAULT_CONFIDENCE = 0.95;
/**
 * Fewer blocks than this with a metric's data in either period: insufficient_data. Percentile
 * intervals lose coverage as n shrinks (coverage.test.ts measures it at this minimum).
 */
export const MIN_BLOCKS = 30;
/** Replicates without data for a metric beyond this fraction: insufficient_data. */
const MAX_EMPTY_REPLICATE_FRACTION = 0.01;

function fail(message: string, details: Record<string, unknown>): never {
  throw new IsochronError('UPGRADE_REQUEST_INVALID', message, details);
}

/** improved / regressed only when the whole interval lies on one side of zero. */
export function verdictOf(better: 'lower' | 'higher', ci: Interval): Exclude<ChangeVerdict, 'insufficient_data'> {
  const sign = better === 'lower' ? -1 : 1;
  const lo = Math.min(sign * ci.low, sign * ci.high);
  const hi = Math.max(sign * ci.low, sign * ci.high);
  if (lo > 0) return 'improved';
  if (hi < 0) return 'regressed';
  return 'unchanged';
}

function num(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

function fmt(x: number, unit: 'ns' | 'ratio'): string {
  return unit === 'ns' ? `${Number(x.toPrecision(4))} ns` : `${Number(x.toPrecision(4))}`;
}

export function compareUpgrade(baseline: readonly UpgradeBlock[], after: readonly UpgradeBlock[], options: CompareOptions = {}): UpgradeComparison {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const level = options.confidenceLevel ?? DEFAULT_CONFIDENCE;
  if (!Number.isSafeInteger(resamples) || resamples < 100 || resamples > MAX_RESAMPLES) fail(`resamples must be an integer in [100, ${MAX_RESAMPLES}]`, { resamples });
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) fail('seed must be an integer in [0, 2^32)', { seed });
  if (!(level > 0.5 && level < 1)) fail('confidenceLevel must lie in (0.5, 1)', { confidenceLevel: level });

  const keys = keyIndex(baseline, after);
  const pb = preparePeriod(baseline, keys);
  const pa = preparePeriod(after, keys);
  const used = new Int32Array(Math.max(pb.n, pa.n));
  const eb = new Float64Array(METRIC_COUNT);
  const ea = new Float64Array(METRIC_COUNT);
  estimateInto(pb, null, keys, used, eb);
  estimateInto(pa, null, keys, used, ea);

  const count = (p: typeof pb, m: number) => {
    let blocks = 0;
    let amount = 0;
    for (let i = 0; i < p.n; i++) {
      const a = blockAmount(p, m, i);
      if (a > 0) { blocks++; amount += a; }
    }
    return { blocks, amount };
  };
  const evidence = UPGRADE_METRICS.map((_, m) => ({ b: count(pb, m), a: count(pa, m) }));
  const enough = UPGRADE_METRICS.map((def, m) => {
    const { b, a } = evidence[m];
    return b.blocks >= MIN_BLOCKS && a.blocks >= MIN_BLOCKS && b.amount >= def.minimumAmount && a.amount >= def.minimumAmount;
  });

  const diffs = UPGRADE_METRICS.map(() => new Float64Array(resamples));
  const rels = UPGRADE_METRICS.map(() => new Float64Array(resamples));
  const valid = new Int32Array(METRIC_COUNT);
  const relValid = new Uint8Array(METRIC_COUNT).fill(1);
  if (enough.some(Boolean)) {
    const rng = mulberry32(seed);
    const wb = new Int32Array(pb.n);
    const wa = new Int32Array(pa.n);
    const rb = new Float64Array(METRIC_COUNT);
    const ra = new Float64Array(METRIC_COUNT);
    for (let r = 0; r < resamples; r++) {
      draw(wb, rng);
      draw(wa, rng);
      estimateInto(pb, wb, keys, used, rb);
      estimateInto(pa, wa, keys, used, ra);
      for (let m = 0; m < METRIC_COUNT; m++) {
        if (Number.isNaN(rb[m]) || Number.isNaN(ra[m])) continue;
        const d = ra[m] - rb[m];
        diffs[m][valid[m]] = d;
        if (rb[m] !== 0) rels[m][valid[m]] = d / rb[m];
        else relValid[m] = 0;
        valid[m]++;
      }
    }
  }

  const metrics = UPGRADE_METRICS.map((def, m): MetricChange => {
    const before = num(eb[m]);
    const afterV = num(ea[m]);
    const change = before !== null && afterV !== null ? afterV - before : null;
    const common = {
      metric: def.id, label: def.label, unit: def.unit, better: def.better,
      baseline: before, after: afterV, change,
      relativeChange: change !== null && before !== 0 ? change / (before as number) : null,
      baselineBlocks: evidence[m].b.blocks, afterBlocks: evidence[m].a.blocks,
      baselineAmount: evidence[m].b.amount, afterAmount: evidence[m].a.amount,
      amountUnit: def.amountUnit, minimumAmount: def.minimumAmount,
    };
    if (!enough[m]) return { ...common, ci: null, relativeCi: null, verdict: 'insufficient_data', reason: shortOf(def, evidence[m]) };
    if (valid[m] < resamples * (1 - MAX_EMPTY_REPLICATE_FRACTION)) {
      return { ...common, ci: null, relativeCi: null, verdict: 'insufficient_data', reason: `${resamples - valid[m]} of ${resamples} resamples hold no ${def.label} data` };
    }
    const tail = expandedTail(level, Math.min(evidence[m].b.blocks, evidence[m].a.blocks));
    const rel = relValid[m] === 1 ? percentileInterval(rels[m], valid[m], tail) : null;
    const ci = percentileInterval(diffs[m], valid[m], tail);
    const verdict = verdictOf(def.better, ci);
    const pct = `${Number((level * 100).toPrecision(6))} %`;
    const side = verdict === 'unchanged' ? `contains no change (0)` : `lies entirely on the ${verdict === 'improved' ? 'better' : 'worse'} side`;
    return { ...common, ci, relativeCi: rel, verdict, reason: `${pct} interval of the change [${fmt(ci.low, def.unit)}, ${fmt(ci.high, def.unit)}] ${side} (${def.better} is better)` };
  });

  return {
    method: {
      name: 'two-sample percentile bootstrap over time blocks', resamples, seed, confidenceLevel: level, minimumBlocks: MIN_BLOCKS,
      baselineBlockNs: options.baselineBlockNs ?? 0, afterBlockNs: options.afterBlockNs ?? 0,
    },
    metrics,
  };
}

/** n draws with replacement from n blocks, as counts per block. */
function draw(w: Int32Array, rng: () => number): void {
  const n = w.length;
  w.fill(0);
  for (let j = 0; j < n; j++) w[Math.floor(rng() * n)]++;
}

function shortOf(def: MetricDef, e: { b: { blocks: number; amount: number }; a: { blocks: number; amount: number } }): string {
  const parts: string[] = [];
  for (const [name, p] of [['baseline', e.b], ['after', e.a]] as const) {
    if (p.blocks < MIN_BLOCKS) parts.push(`${name} has ${p.blocks} blocks with ${def.label} data, ${MIN_BLOCKS} needed`);
    else if (p.amount < def.minimumAmount) parts.push(`${name} has ${p.amount} ${def.amountUnit}, ${def.minimumAmount} needed`);
  }
  return parts.join('; ');
}
