// Upgrade validation: a baseline period against a post-upgrade period of one enterprise or site.
// docs/upgrade-validation.md states the method (two-sample percentile bootstrap over blocks of
// time), the metrics and the verdict rules.

/**
 * One resampling unit: everything the scope (an enterprise, or one of its sites) measured in one
 * block of time, all flows merged. The additive sums of the 1 min rollups whose period starts in
 * the block (docs/rollups.md), so every metric below is recomputed from sums, never averaged.
 */
export interface UpgradeBlock {
  /** Start of the block (ns since the Unix epoch). */
  readonly startNs: bigint;
  readonly sentPackets: number;
  /** Signed (docs/metrics.md §5). */
  readonly lostPackets: number;
  readonly owdCount: number;
  readonly owdMinNs: number | null;
  /** Merged sparse delay histogram (services/core/metrics/histogram.ts), keys ascending. */
  readonly owdHistKeys: ArrayLike<number>;
  readonly owdHistCounts: ArrayLike<number>;
  readonly ipdvCount: number;
  readonly ipdvAbsSumNs: number;
  /** Sent packets of the windows that had a deadline (reliability's denominator). */
  readonly deadlineSentPackets: number;
  readonly deadlineMetPackets: number;
  readonly availExpectedNs: number;
  readonly downtimeNs: number;
}

export type UpgradeMetricId =
  | 'owd_p50_ns'
  | 'owd_p99_ns'
  | 'owd_p999_ns'
  | 'pdv_p99_ns'
  | 'ipdv_mean_abs_ns'
  | 'loss_ratio'
  | 'reliability'
  | 'availability';

export type Better = 'lower' | 'higher';

export type ChangeVerdict = 'improved' | 'unchanged' | 'regressed' | 'insufficient_data';

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface MetricChange {
  readonly metric: UpgradeMetricId;
  /** Human-readable name, e.g. "one-way delay p99". */
  readonly label: string;
  readonly unit: 'ns' | 'ratio';
  readonly better: Better;
  /** Estimates over all blocks of each period (null: no data for this metric). */
  readonly baseline: number | null;
  readonly after: number | null;
  /** after - baseline. */
  readonly change: number | null;
  /** (after - baseline) / baseline; null when the baseline is 0 or unknown. */
  readonly relativeChange: number | null;
  /** Percentile bootstrap interval of after - baseline at `confidenceLevel`. */
  readonly ci: Interval | null;
  /** The same replicates as (after* - baseline*) / baseline*; null when a replicate's baseline is 0. */
  readonly relativeCi: Interval | null;
  readonly verdict: ChangeVerdict;
  /** Why the verdict, in one sentence. */
  readonly reason: string;
  /** Blocks that carry this metric's data, per period. */
  readonly baselineBlocks: number;
  readonly afterBlocks: number;
  /** How much data is behind the estimate, per period, in `amountUnit`. */
  readonly baselineAmount: number;
  readonly afterAmount: number;
  readonly amountUnit: 'samples' | 'packets' | 'ns';
  /** Least amount per period for a verdict (quantiles: ceil(10 / (1 - q)) samples). */
  readonly minimumAmount: number;
}

export interface UpgradeMethod {
  readonly name: 'two-sample percentile bootstrap over time blocks';
  readonly resamples: number;
  readonly seed: number;
  readonly confidenceLevel: number;
  /** Fewer blocks with a metric's data in either period: insufficient_data. */
  readonly minimumBlocks: number;
  /** Block length per period (ns). */
  readonly baselineBlockNs: number;
  readonly afterBlockNs: number;
}

export interface UpgradeComparison {
  readonly method: UpgradeMethod;
  readonly metrics: readonly MetricChange[];
}

export interface CompareOptions {
  /** Bootstrap resamples B (default 1000). */
  readonly resamples?: number;
  /** Seed of the resampling generator (default 1): same inputs and seed, same intervals. */
  readonly seed?: number;
  /** Default 0.95. */
  readonly confidenceLevel?: number;
  /** Block lengths, reported in the method (the blocks themselves are already built). */
  readonly baselineBlockNs?: number;
  readonly afterBlockNs?: number;
}
