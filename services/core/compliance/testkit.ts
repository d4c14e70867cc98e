// Test helpers: aggregates built by brute force from raw per-packet records, and small profiles.
// Only tests import this file.
import { histogramKey } from '../metrics/histogram.ts';
import { validateProfileFile } from './validate.ts';
import type { ComplianceAggregate, Profile, Thresholds } from './types.ts';

export const EMPTY_AGGREGATE: ComplianceAggregate = Object.freeze({
  windows: 0,
  sentPackets: 0,
  lostPackets: 0,
  corruptPackets: 0,
  owdCount: 0,
  owdSumNs: 0,
  owdMinNs: null,
  owdMaxNs: null,
  owdHistKeys: [],
  owdHistCounts: [],
  lossBurstMaxPackets: 0,
  deadlineSentPackets: 0,
  deadlineMetPackets: 0,
  deadlineMissPackets: 0,
  availExpectedNs: 0,
  downtimeNs: 0,
  upDownTransitions: 0,
  maxLatencyNs: null,
  transferIntervalNs: null,
  survivalTimeNs: null,
  downtimeOrigin: null,
});

export function aggregate(over: Partial<ComplianceAggregate>): ComplianceAggregate {
  return { ...EMPTY_AGGREGATE, ...over };
}

/** One packet: its one-way delay in ns, or null when it was lost. */
export type Packet = number | null;

/**
 * The aggregate of a packet stream, counted one packet at a time (no engine code): every packet
 * sent, received ones trusted, deadline counters when lmaxNs is given.
 */
export function aggregateOfPackets(packets: readonly Packet[], lmaxNs?: number): ComplianceAggregate {
  const buckets = new Map<number, number>();
  let owdCount = 0;
  let sum = 0;
  let min: number | null = null;
  let max: number | null = null;
  let lost = 0;
  let run = 0;
  let burst = 0;
  let met = 0;
  for (const d of packets) {
    if (d === null) {
      lost++;
      run++;
      if (run > burst) burst = run;
      continue;
    }
    run = 0;
    owdCount++;
    sum += d;
    if (min === null || d < min) min = d;
    if (max === null || d > max) max = d;
    const k = histogramKey(d);
    buckets.set(k, (buckets.get(k) ?? 0) + 1);
    if (lmaxNs !== undefined && d <= lmaxNs) met++;
  }
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  return aggregate({
    windows: 1,
    sentPackets: packets.length,
    lostPackets: lost,
    owdCount,
    owdSumNs: sum,
    owdMinNs: min,
    owdMaxNs: max,
    owdHistKeys: keys,
    owdHistCounts: keys.map((k) => buckets.get(k) as number),
    lossBurstMaxPackets: burst,
    deadlineSentPackets: lmaxNs === undefined ? 0 : packets.length,
    deadlineMetPackets: lmaxNs === undefined ? 0 : met,
    deadlineMissPackets: lmaxNs === undefined ? 0 : owdCount - met,
    maxLatencyNs: lmaxNs === undefined ? null : { minNs: lmaxNs, maxNs: lmaxNs },
  });
}

/** A validated profile with the given thresholds (statuses default to D). */
export function profileWith(thresholds: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}): Profile {
  const withStatus: Record<string, unknown> = {};
  for (const [kind, t] of Object.entries(thresholds)) {
    const status: Record<string, string> = {};
    for (const k of Object.keys(t)) if (k !== 'status') status[k] = 'D';
    withStatus[kind] = { ...t, status: { ...status, ...(t.status as object | undefined) } };
  }
  const file = validateProfileFile({
    format: 'isochron-profiles/1',
    family: 'test',
    title: 'test',
    profiles: [{ id: 'test', version: 1, title: 'test', useCase: 'test', source: { standard: 'test', section: 'test', status: 'D' }, ...extra, thresholds: withStatus as Thresholds }],
  });
  return file.profiles[0];
}
