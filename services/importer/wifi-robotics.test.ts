// Real data nobody here wrote: robot control messages over Wi-Fi in a shipyard, clocks
// PTP-synchronised over the same Wi-Fi (shared/datasets/wifi-industrial-robotics, from
// minarady1/wifi_for_industrial_robotics, MPL-2.0). The hard parts on purpose: loss bursts of
// hundreds of messages and negative one-way delays down to about -1.17 s. Negative delays must be
// flagged (negativeDelayPackets), left out of the one-way delay statistics (RFC 7679 §3.5) and
// kept for IPDV, where a constant offset cancels (RFC 3393 §2.7.1): never clamped or dropped.
// Expected values: a brute force over the raw lines written here (regular expressions, so the
// 19-digit timestamps stay exact without the importer's JSON reader).
import { describe, expect, it } from 'vitest';
import { datasetText, importAndRun } from './datasets.testkit.ts';

const FILES = [
  'log_perama_site_ax_80mhz_5ghz_run2_loc3.json', // delays down to -1.17 s
  'log_perama_site_ac_20mhz_5ghz_run1_loc3.json', // a burst of 248 lost messages
  'log_ax_high_ax_160mhz_6ghz_loc4_robot_control.json',
].map((f) => `wifi-industrial-robotics/${f}`);

function bruteForce(file: string) {
  const recs = datasetText(file)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const recv = BigInt((/"timestamp": (\d+)/.exec(l) as RegExpExecArray)[1]);
      const send = BigInt((/"src_timestamp_ns": "(\d+)"/.exec(l) as RegExpExecArray)[1]);
      return { seq: Number((/"seqnum": (\d+)/.exec(l) as RegExpExecArray)[1]), delay: Number(recv - send) };
    });
  const seqs = recs.map((r) => r.seq);
  const lo = Math.min(...seqs);
  const hi = Math.max(...seqs);
  const got = new Set(seqs);
  let burst = 0;
  let run = 0;
  for (let s = lo; s <= hi; s++) {
    run = got.has(s) ? 0 : run + 1;
    burst = Math.max(burst, run);
  }
  const trusted = recs.map((r) => r.delay).filter((d) => d >= 0);
  const bySeq = new Map(recs.map((r) => [r.seq, r.delay]));
  let ipdvCount = 0;
  let ipdvAbsSum = 0;
  for (const [s, d] of bySeq) {
    const p = bySeq.get(s - 1);
    if (p === undefined) continue;
    ipdvCount++;
    ipdvAbsSum += Math.abs(d - p);
  }
  return {
    received: got.size,
    sent: hi - lo + 1,
    burst,
    negative: recs.length - trusted.length,
    minDelay: Math.min(...recs.map((r) => r.delay)),
    trusted: { n: trusted.length, min: Math.min(...trusted), max: Math.max(...trusted), mean: trusted.reduce((a, b) => a + b, 0) / trusted.length },
    ipdvCount,
    ipdvAbsSum,
  };
}

describe('Wi-Fi robotics JSON lines: negative delays flagged, loss bursts counted', () => {
  for (const file of FILES) {
    it(file.split('/')[1], () => {
      const b = bruteForce(file);
      const { summary: s, run, parsed } = importAndRun('wifi', [file], { windowNs: 1_000_000_000 });
      expect(run.discards).toEqual([]);
      expect(parsed.notes).toMatchObject({ negativeDelays: b.negative, minDelayNs: b.minDelay });
      expect({ sent: s.sentPackets, received: s.receivedPackets, lost: s.lostPackets, burst: s.lossBurstMaxPackets }).toEqual({ sent: b.sent, received: b.received, lost: b.sent - b.received, burst: b.burst });
      expect(s.negativeDelayPackets).toBe(b.negative);
      expect(s.negativeDelayPackets).toBeGreaterThan(0);
      expect({ n: s.owdCount, min: s.owdMinNs, max: s.owdMaxNs, mean: s.owdMeanNs }).toEqual(b.trusted);
      expect(s.ipdvCount).toBe(b.ipdvCount);
      expect(s.ipdvMeanAbsNs).toBe(b.ipdvAbsSum / b.ipdvCount);
    });
  }
});
