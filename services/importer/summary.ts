// Whole-capture figures from the engine's window rows, merged the way ClickHouse rolls windows up
// (docs/metrics.md): counts and sums add, min of mins, max of maxes, mean = sum of sums / sum of
// counts. Quantiles never average: with one window they are that window's exact values; with
// several they come from the merged histogram (nearest rank, within 0.5 % relative, see
// core/metrics/histogram.ts) and owdQuantileSource says so.
import type { DiscardRow, WindowRow } from '../core/engine/window-row.ts';
import { histogramQuantile, mergeSparse } from '../core/metrics/histogram.ts';

export interface CaptureSummary {
  type: 'summary';
  flowId: string;
  windows: number;
  windowNs: number;
  lossWaitNs: number;
  firstWindowStartNs: string | null;
  lastWindowStartNs: string | null;
  sentPackets: number;
  receivedPackets: number;
  lostPackets: number;
  lossRatio: number | null;
  duplicatePackets: number;
  corruptPackets: number;
  unreceivedReports: number;
  unsyncedPackets: number;
  negativeDelayPackets: number;
  seqRestarts: number;
  reorderedPackets: number;
  lossPeriods: number;
  lossBurstMaxPackets: number;
  owdCount: number;
  owdMinNs: number | null;
  owdMaxNs: number | null;
  owdMeanNs: number | null;
  /** RFC 7679 §5.2 median: only when one window holds every sample (exact), else null. */
  owdMedianNs: number | null;
  owdP50Ns: number | null;
  owdP99Ns: number | null;
  owdP999Ns: number | null;
  owdQuantileSource: 'exact (one window)' | 'merged histogram (nearest rank, <= 0.5 % relative error)' | 'none';
  ipdvCount: number;
  ipdvMinNs: number | null;
  ipdvMaxNs: number | null;
  ipdvMeanNs: number | null;
  ipdvMeanAbsNs: number | null;
  /** RFC 3550 jitter at the end of the capture (the engine carries it across windows). */
  jitterRfc3550Ns: number | null;
  deadlineMissPackets: number | null;
  discards: Record<string, number>;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** rows: the window rows of ONE flow (any order); discards: that flow's discard rows. */
export function summarize(flowId: string, rows: readonly WindowRow[], discards: readonly DiscardRow[], windowNs: number, lossWaitNs: number): CaptureSummary {
  const sorted = [...rows].sort((a, b) => (a.windowStartNs < b.windowStartNs ? -1 : a.windowStartNs > b.windowStartNs ? 1 : 0));
  const s: CaptureSummary = {
    type: 'summary',
    flowId,
    windows: sorted.length,
    windowNs,
    lossWaitNs,
    firstWindowStartNs: sorted.length > 0 ? sorted[0].windowStartNs.toString() : null,
    lastWindowStartNs: sorted.length > 0 ? sorted[sorted.length - 1].windowStartNs.toString() : null,
    sentPackets: 0,
    receivedPackets: 0,
    lostPackets: 0,
    lossRatio: null,
    duplicatePackets: 0,
    corruptPackets: 0,
    unreceivedReports: 0,
    unsyncedPackets: 0,
    negativeDelayPackets: 0,
    seqRestarts: 0,
    reorderedPackets: 0,
    lossPeriods: 0,
    lossBurstMaxPackets: 0,
    owdCount: 0,
    owdMinNs: null,
    owdMaxNs: null,
    owdMeanNs: null,
    owdMedianNs: null,
    owdP50Ns: null,
    owdP99Ns: null,
    owdP999Ns: null,
    owdQuantileSource: 'none',
    ipdvCount: 0,
    ipdvMinNs: null,
    ipdvMaxNs: null,
    ipdvMeanNs: null,
    ipdvMeanAbsNs: null,
    jitterRfc3550Ns: null,
    deadlineMissPackets: null,
    discards: {},
  };
  let owdSum = 0;
  let ipdvSum = 0;
  let ipdvAbsSum = 0;
  const withOwd: WindowRow[] = [];
  for (const r of sorted) {
    s.sentPackets += r.sentPackets;
    s.receivedPackets += r.receivedPackets;
    s.lostPackets += r.lostPackets;
    s.duplicatePackets += r.duplicatePackets;
    s.corruptPackets += r.corruptPackets;
    s.unreceivedReports += r.unreceivedReports;
    s.unsyncedPackets += r.unsyncedPackets;
    s.negativeDelayPackets += r.negativeDelayPackets;
    s.seqRestarts += r.seqRestarts;
    s.reorderedPackets += r.reorderedPackets;
    s.lossPeriods += r.lossPeriods;
    s.lossBurstMaxPackets = Math.max(s.lossBurstMaxPackets, r.lossBurstMaxPackets);
    s.owdCount += r.owdCount;
    owdSum += r.owdSumNs;
    s.owdMinNs = minOf(s.owdMinNs, r.owdMinNs);
    s.owdMaxNs = maxOf(s.owdMaxNs, r.owdMaxNs);
    if (r.owdCount > 0) withOwd.push(r);
    s.ipdvCount += r.ipdvCount;
    ipdvSum += r.ipdvSumNs;
    ipdvAbsSum += r.ipdvAbsSumNs;
    s.ipdvMinNs = minOf(s.ipdvMinNs, r.ipdvMinNs);
    s.ipdvMaxNs = maxOf(s.ipdvMaxNs, r.ipdvMaxNs);
    if (r.jitterRfc3550Ns !== null) s.jitterRfc3550Ns = r.jitterRfc3550Ns;
    if (r.deadlineMissPackets !== null) s.deadlineMissPackets = (s.deadlineMissPackets ?? 0) + r.deadlineMissPackets;
  }
  s.lossRatio = s.sentPackets > 0 ? s.lostPackets / s.sentPackets : null;
  if (s.owdCount > 0) {
    s.owdMeanNs = owdSum / s.owdCount;
    if (withOwd.length === 1) {
      const w = withOwd[0];
      s.owdMedianNs = w.owdMedianNs;
      s.owdP50Ns = w.owdP50Ns;
      s.owdP99Ns = w.owdP99Ns;
      s.owdP999Ns = w.owdP999Ns;
      s.owdQuantileSource = 'exact (one window)';
    } else {
      const h = mergeSparse(withOwd.map((w) => ({ keys: w.owdHistKeys, counts: w.owdHistCounts })));
      s.owdP50Ns = histogramQuantile(h.keys, h.counts, 0.5);
      s.owdP99Ns = histogramQuantile(h.keys, h.counts, 0.99);
      s.owdP999Ns = histogramQuantile(h.keys, h.counts, 0.999);
      s.owdQuantileSource = 'merged histogram (nearest rank, <= 0.5 % relative error)';
    }
  }
  if (s.ipdvCount > 0) {
    s.ipdvMeanNs = ipdvSum / s.ipdvCount;
    s.ipdvMeanAbsNs = ipdvAbsSum / s.ipdvCount;
  }
  for (const d of discards) s.discards[d.reason] = (s.discards[d.reason] ?? 0) + d.count;
  return s;
}
