// Requirement profiles (data, in profiles/*.json) and the verdicts evaluate() gives for them.
// docs/profiles.md describes the file format and the evidence rule; shared/METRICS.md §9 holds
// the numbers and their verification status.
import type { DowntimeOrigin } from '../engine/config.ts';

export type { DowntimeOrigin };

/**
 * Verification status of a value, as tagged in shared/METRICS.md: V read in the primary text,
 * S seen only in a secondary source, U unverified, D derived or a design choice (ours, or the
 * enterprise's for a custom profile).
 */
export type Status = 'V' | 'S' | 'U' | 'D';

export const PROFILE_FORMAT = 'isochron-profiles/1';

export interface SourceRef {
  /** Document and edition, e.g. "3GPP TS 22.261 V20.5.0 (2025-12)". */
  readonly standard: string;
  /** Section, annex or table, e.g. "Annex D.1". */
  readonly section: string;
  readonly url?: string;
  /** Status of the citation itself (a confirmed document but an unconfirmed table number is U). */
  readonly status: Status;
}

/** Status of every value field of a threshold, keyed by the field's name. */
export type StatusMap = Readonly<Record<string, Status>>;

/** One-way delay over trusted delays (the histogram's population, docs/metrics.md §6). */
export interface DelayThreshold {
  /** quantile: nearest-rank quantile (RFC 7679 §5.1, RFC 2330 §11.3); max: every sample; mean: Y.1541 IPTD. */
  readonly statistic: 'quantile' | 'max' | 'mean';
  /** Quantile level (0, 1), only with statistic 'quantile'. */
  readonly quantile?: number;
  readonly maxLatencyNs: number;
  readonly status: StatusMap;
  readonly note?: string;
}

/** Packet delay variation PDV = D - D_min (RFC 5481 §4.2); Y.1541 bounds its 99.9th percentile (§6.5). */
export interface PdvThreshold {
  readonly statistic: 'quantile' | 'max';
  readonly quantile?: number;
  readonly maxPdvNs: number;
  readonly status: StatusMap;
  readonly note?: string;
}

/** TS 22.261 §3.1 reliability: packets delivered within maxLatencyNs / packets sent. */
export interface ReliabilityThreshold {
  readonly target: number;
  readonly maxLatencyNs: number;
  readonly status: StatusMap;
  readonly note?: string;
}

/**
 * Communication service availability (TS 22.261 §3.1, METRICS.md §7). transferIntervalNs null:
 * the interval the flow declares (the profile fits any cycle). maxLatency and survivalTime are
 * given either in ns or as a multiple of the transfer interval; maxLatencyNs null: the deadline
 * the flow declares.
 */
export interface AvailabilityThreshold {
  readonly target: number;
  readonly transferIntervalNs: number | null;
  readonly maxLatencyNs?: number | null;
  readonly maxLatencyIntervals?: number;
  readonly survivalTimeNs?: number;
  readonly survivalTimeIntervals?: number;
  readonly downtimeOrigin: DowntimeOrigin;
  readonly status: StatusMap;
  readonly note?: string;
}

/** Mean time between failures (uptime / up->down transitions) under the availability parameters. */
export interface MtbfThreshold {
  /** Seconds: a 10-year MTBF in ns does not fit a safe integer. */
  readonly minMtbfS: number;
  readonly status: StatusMap;
  readonly note?: string;
}

/** Longest run of consecutive lost packets (RFC 3357 loss period length; RFC 8578 §7.2.1). */
export interface LossBurstThreshold {
  readonly maxConsecutiveLosses: number;
  readonly status: StatusMap;
  readonly note?: string;
}

/** lost / sent (RFC 7680 §4.1; Y.1540 IPLR). */
export interface LossRatioThreshold {
  readonly maxLossRatio: number;
  readonly status: StatusMap;
  readonly note?: string;
}

/** corrupt / sent (Y.1540 IPER: errored packets). */
export interface ErrorRatioThreshold {
  readonly maxErrorRatio: number;
  readonly status: StatusMap;
  readonly note?: string;
}

export interface Thresholds {
  readonly delay?: DelayThreshold;
  readonly pdv?: PdvThreshold;
  readonly reliability?: ReliabilityThreshold;
  readonly availability?: AvailabilityThreshold;
  readonly mtbf?: MtbfThreshold;
  readonly lossBurst?: LossBurstThreshold;
  readonly lossRatio?: LossRatioThreshold;
  readonly errorRatio?: ErrorRatioThreshold;
}

export type ThresholdKind = keyof Thresholds;

/** Evaluation order of the thresholds in a verdict. */
export const THRESHOLD_KINDS: readonly ThresholdKind[] = ['delay', 'pdv', 'reliability', 'availability', 'mtbf', 'lossBurst', 'lossRatio', 'errorRatio'];

export interface Profile {
  /** Stable identifier; (id, version) names one immutable profile. */
  readonly id: string;
  /** Raised whenever a number changes; old versions stay in the file so past audits reproduce. */
  readonly version: number;
  readonly title: string;
  readonly useCase: string;
  readonly source: SourceRef;
  /** Floor on the evidence of every threshold; required when no threshold has a ratio target. */
  readonly minimumSamples?: number;
  readonly note?: string;
  readonly thresholds: Thresholds;
}

export interface ProfileFile {
  readonly format: typeof PROFILE_FORMAT;
  /** Equals the file name without .json. */
  readonly family: string;
  readonly title: string;
  readonly profiles: readonly Profile[];
}

/** Smallest and largest value a parameter took over the aggregated windows. */
export interface ParameterRange {
  readonly minNs: number;
  readonly maxNs: number;
}

/**
 * The additive sums of a set of windows or a rollup row (docs/rollups.md; camelCase of the
 * columns), plus the parameters the engine used to compute them. Nullable rollup columns map
 * to 0 here (deadline and availability counters are 0 when no window had them).
 */
export interface ComplianceAggregate {
  readonly windows: number;
  readonly sentPackets: number;
  /** Signed (docs/metrics.md §5). */
  readonly lostPackets: number;
  readonly corruptPackets: number;
  readonly owdCount: number;
  readonly owdSumNs: number;
  readonly owdMinNs: number | null;
  readonly owdMaxNs: number | null;
  /** Merged sparse histogram (sumMap), services/core/metrics/histogram.ts. */
  readonly owdHistKeys: ArrayLike<number>;
  readonly owdHistCounts: ArrayLike<number>;
  readonly lossBurstMaxPackets: number;
  /** Sent packets of the windows that had a deadline. */
  readonly deadlineSentPackets: number;
  readonly deadlineMetPackets: number;
  readonly deadlineMissPackets: number;
  readonly availExpectedNs: number;
  readonly downtimeNs: number;
  readonly upDownTransitions: number;
  /** Lmax, T and S the engine used (over the windows that had them); null when unknown. */
  readonly maxLatencyNs: ParameterRange | null;
  readonly transferIntervalNs: ParameterRange | null;
  readonly survivalTimeNs: ParameterRange | null;
  /** The worker's downtimeOrigin setting; null when unknown. */
  readonly downtimeOrigin: DowntimeOrigin | null;
}

export type Outcome = 'pass' | 'fail' | 'insufficient_data';

export interface ThresholdResult {
  readonly threshold: ThresholdKind;
  readonly outcome: Outcome;
  /** What is compared, e.g. "owd p99.9", "availability". */
  readonly statistic: string;
  /** Exact value, else the histogram estimate, else null (unknown, or unbounded MTBF). */
  readonly measured: number | null;
  /** Guaranteed interval of the true value when known (equal ends when exact). */
  readonly measuredRange: readonly [number, number] | null;
  readonly bound: number;
  readonly direction: 'at_most' | 'at_least';
  readonly unit: 'ns' | 'ratio' | 'packets' | 's';
  /**
   * How the count behind the outcome is known: 'exact' (counters, exact min/max), 'bounds' (only
   * a sound interval: histogram buckets or counters made with other parameters), 'none'. A
   * quantile may be 'exact' here while measured is the histogram's estimate: the decision did not
   * need the estimate.
   */
  readonly method: 'exact' | 'bounds' | 'none';
  /** Evidence available / needed (docs/profiles.md "Minimum data"). */
  readonly amount: number;
  readonly minimumAmount: number;
  readonly amountUnit: 'packets' | 'samples' | 'ns';
  readonly statuses: StatusMap;
  /** Some value of this threshold is [U]. */
  readonly unverified: boolean;
  readonly reason: string;
}

export interface Verdict {
  readonly profileId: string;
  readonly profileVersion: number;
  readonly verdict: Outcome;
  readonly thresholds: readonly ThresholdResult[];
  /** "threshold.field" of every [U] value the verdict used; reports must show them. */
  readonly unverified: readonly string[];
  readonly sourceStatus: Status;
  /** How much data the verdict rests on. */
  readonly data: { readonly windows: number; readonly sentPackets: number; readonly owdCount: number };
}
