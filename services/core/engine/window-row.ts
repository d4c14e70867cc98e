// Output of the metric engine. docs/metrics.md describes every field (unit, formula, standard).
// Units are in the names; ratios are in [0, 1]; null means "undefined for this window" (for
// example no delay sample, or a requirement parameter that is not known).
import type { NetworkType } from '../wire/batch.ts';

/** One row per (flow identity, window start). */
export interface WindowRow {
  enterpriseId: string;
  siteId: string;
  networkType: NetworkType;
  segmentId: string;
  deviceId: string;
  flowId: string;
  windowStartNs: bigint;
  windowNs: number;
  /** Loss waiting time Tmax used (= allowedLatenessNs), RFC 7679 §3.8.2 asks to report it. */
  lossWaitNs: number;
  seqBits: number;

  // Counts (every accepted sample is in exactly one of received/duplicate/corrupt/unreceived).
  sentPackets: number;
  receivedPackets: number;
  lostPackets: number;
  lossRatio: number | null;
  duplicatePackets: number;
  duplicationFraction: number | null;
  corruptPackets: number;
  unreceivedReports: number;
  unsyncedPackets: number;
  negativeDelayPackets: number;
  seqRestarts: number;
  receivedBytes: number;
  throughputPacketsPerS: number;
  throughputBitsPerS: number;

  // One-way delay over owdCount trusted samples (RFC 7679).
  owdCount: number;
  owdMinNs: number | null;
  owdMaxNs: number | null;
  owdSumNs: number;
  owdMeanNs: number | null;
  owdMedianNs: number | null;
  owdP50Ns: number | null;
  owdP90Ns: number | null;
  owdP99Ns: number | null;
  owdP999Ns: number | null;
  owdP9999Ns: number | null;
  /** Sparse log-bucket histogram of the same samples (metrics/histogram.ts). */
  owdHistKeys: number[];
  owdHistCounts: number[];

  // Delay variation.
  jitterRfc3550Ns: number | null;
  ipdvCount: number;
  ipdvMinNs: number | null;
  ipdvMaxNs: number | null;
  ipdvSumNs: number;
  ipdvAbsSumNs: number;
  ipdvMeanAbsNs: number | null;
  ipdvAbsP99Ns: number | null;
  dvCount: number;
  pdvP99Ns: number | null;
  pdvP999Ns: number | null;
  jitterP95P50Ns: number | null;

  // Reliability.
  reorderedPackets: number;
  reorderedRatio: number | null;
  reorderExtentMax: number | null;
  reorderExtentSum: number;
  reorderExtentMean: number | null;
  reorderExtentCapped: number;
  lossPeriods: number;
  lossBurstMaxPackets: number;
  maxLatencyNs: number | null;
  deadlineMetPackets: number | null;
  deadlineMissPackets: number | null;
  reliability: number | null;

  // Availability (null when the transfer interval or the max latency is unknown).
  transferIntervalNs: number | null;
  survivalTimeNs: number | null;
  availExpectedNs: number | null;
  downtimeNs: number | null;
  upDownTransitions: number | null;
  availability: number | null;
  mtbfNs: number | null;
}

export const DISCARD_REASONS = ['too_late', 'bad_sequence', 'flow_state_full', 'send_time_in_future', 'window_full'] as const;
export type DiscardReason = (typeof DISCARD_REASONS)[number];

/** Samples that are in no window, counted per (flow, window of the sample, reason). */
export interface DiscardRow {
  enterpriseId: string;
  siteId: string;
  networkType: NetworkType;
  segmentId: string;
  deviceId: string;
  flowId: string;
  windowStartNs: bigint;
  reason: DiscardReason;
  count: number;
}

export interface EngineOutput {
  windows: WindowRow[];
  discards: DiscardRow[];
}

export interface EngineStats {
  openWindows: number;
  flows: number;
  partitions: number;
  /** Samples buffered in open windows (delay/sequence columns). */
  bufferedSamples: number;
  /** Rows closed but not drained yet. */
  pendingRows: number;
  samplesIngested: number;
  samplesDiscarded: number;
  flowsEvicted: number;
}
