// Test helpers for the audit's integration tests: raw packets per flow and the flow_windows
// record of one window, counted packet by packet (aggregateOfPackets) with exact nearest-rank
// quantiles. Only tests import this file.
import { aggregateOfPackets, type Packet } from '../core/compliance/testkit.ts';

const S = 1_000_000_000n;

// ---- raw packets per flow (delay in ns, null = lost) ----
export const good = (i: number) => 800_000 + ((i * 37) % 400) * 1000; // 0.8 .. 1.2 ms
export function packets(n: number, bad: (i: number) => Packet | undefined = () => undefined): Packet[] {
  return Array.from({ length: n }, (_, i) => { const b = bad(i); return b === undefined ? good(i) : b; });
}

export interface FlowSpec { e: string; site: string; nt: string; dev: string; flow: string; windows: Packet[][] }

/** A flow_windows record from one window's packets, counted one by one (exact nearest-rank quantiles). */
export function windowRow(f: FlowSpec, startNs: bigint, pk: Packet[]): Record<string, unknown> {
  const a = aggregateOfPackets(pk, 2_000_000);
  const d = pk.filter((x): x is number => x !== null).sort((x, y) => x - y);
  const q = (p: number) => (d.length === 0 ? null : d[Math.max(1, Math.ceil(p * d.length - 1e-9)) - 1]);
  return {
    enterprise_id: f.e, site_id: f.site, network_type: f.nt, segment_id: 'seg-1', device_id: f.dev, flow_id: f.flow,
    window_start: Number(startNs / S), window_start_ns: startNs.toString(), window_ns: 1_000_000_000,
    sent_packets: a.sentPackets, received_packets: a.owdCount, lost_packets: a.lostPackets, owd_count: a.owdCount,
    owd_min_ns: a.owdMinNs, owd_max_ns: a.owdMaxNs, owd_sum_ns: a.owdSumNs,
    owd_p50_ns: q(0.5), owd_p90_ns: q(0.9), owd_p99_ns: q(0.99), owd_p999_ns: q(0.999), owd_p9999_ns: q(0.9999),
    owd_hist_keys: a.owdHistKeys, owd_hist_counts: a.owdHistCounts, loss_burst_max_packets: a.lossBurstMaxPackets,
    max_latency_ns: 2_000_000, deadline_met_packets: a.deadlineMetPackets, deadline_miss_packets: a.deadlineMissPackets,
  };
}

