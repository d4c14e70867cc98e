// Real data nobody here wrote: OpenAirInterface 5G SA uplink (UE -> UPF, 20 ms interval) measured
// with nlmt 0.10.3, the irtt fork (shared/datasets/5g-oai-uplink-irtt, from samiemostafavi/edaf,
// Apache-2.0). The engine's whole-capture figures are compared with the tool's own `stats` where
// the two definitions coincide. How nlmt computes them (read in its source,
// DETERMINISTIC6G/nlmt onewayresult.go and onewayrecorder.go, DurationStats in timer.go):
//
//   delay.min/max/n    over received packets, delay = server.receive.wall - client.send.wall
//                      -> same definition: compared exactly.
//   delay.mean         running (Welford) float mean, truncated to integer ns
//                      -> engine mean = exact sum / count; tool = trunc(mean) up to float error:
//                         0 <= engine - tool < 1 ns.
//   delay.median       mean of the two central values when n is even, truncated to integer ns
//                      -> same rule as RFC 7679 §5.2 (the engine's owdMedianNs) before truncation:
//                         trunc(engine) == tool. Needs the exact median, so one window spans the
//                         capture (windowNs = 1 day; the captures do not cross midnight UTC).
//   packet_loss_percent 100 * (lastSeqno + 1 - n) / (lastSeqno + 1), lastSeqno = number of the
//                      last packet received: the sequence range of received packets, counting
//                      from seqno 0 -> the engine's sent = highest - lowest received number + 1
//                      (RFC 3550 A.3) and lost = sent - received: equal when seqno 0 arrived
//                      (true in all three files). Trailing losses are invisible to both.
//   expected_packets_received  ceil(duration_ms / interval_ms) with duration = the server's run
//                      time including the wait after the last packet: NOT a loss denominator
//                      (702 expected, 500 received, 0 % loss in file 1); not compared.
//   ipdv_send          |IPDV| over consecutive seqnos both received, but from the MONOTONIC
//                      clocks (receive.mono - send.mono), while the engine gets wall-clock delays
//                      (the wire carries one delay per sample). Count compared exactly; mean and
//                      max of |IPDV| within a tolerance measured from the file itself: the largest
//                      per-pair difference between the wall-clock IPDV and the tool's per-trip
//                      ipdv.send, plus 1 ns for the tool's truncation. The engine's wall-clock
//                      IPDV is also checked exactly against a brute force.
//   duplicates         not in oneway_trips (nlmt only counts them): 0 in all three files.
//   stddev, ipdv min/median: not produced by the engine; not compared.
import { describe, expect, it } from 'vitest';
import { datasetText, importAndRun, ONE_DAY_NS } from './datasets.testkit.ts';

const FILES = ['data_1_upf_se_.json.gz', 'data_2_upf_se_2024_07_26.json.gz', 'data_3_upf_se_2024_07_26.json.gz'].map((f) => `5g-oai-uplink-irtt/${f}`);

interface NlmtStats {
  delay: { n: number; min: number; max: number; mean: number; median: number };
  ipdv_send: { n: number; max: number; mean: number };
  packets_received: number;
  expected_packets_received: number;
  packet_loss_percent: number;
  duplicates: number;
  duration: number;
  interval: number;
}

interface RawTrip {
  seqno: number;
  delay: { send?: number };
  ipdv: { send?: number };
}

/** Independent reading: plain JSON.parse (delay.send and ipdv.send are small, exact integers). */
function raw(file: string) {
  const doc = JSON.parse(datasetText(file)) as { stats: NlmtStats; oneway_trips: RawTrip[] };
  const delayBySeq = new Map<number, number>();
  for (const t of doc.oneway_trips) if (t.delay.send !== undefined) delayBySeq.set(t.seqno, t.delay.send);
  let wallAbsSum = 0;
  let wallCount = 0;
  let maxPairDiff = 0;
  let lastSeqno = -1;
  for (const t of doc.oneway_trips) {
    if (t.delay.send !== undefined) lastSeqno = t.seqno;
    const prev = delayBySeq.get(t.seqno - 1);
    if (t.delay.send === undefined || prev === undefined) continue;
    const wall = t.delay.send - prev;
    wallAbsSum += Math.abs(wall);
    wallCount++;
    if (t.ipdv.send !== undefined) maxPairDiff = Math.max(maxPairDiff, Math.abs(wall - t.ipdv.send));
  }
  return { stats: doc.stats, wallAbsSum, wallCount, maxPairDiff, lastSeqno };
}

describe('5G uplink nlmt one-way captures against the tool\'s own statistics', () => {
  for (const file of FILES) {
    it(`${file.split('/')[1]}: delay, loss and IPDV as nlmt computes them`, () => {
      const r = raw(file);
      const tool = r.stats;
      const { summary: s, run, parsed } = importAndRun('irtt', [file], { windowNs: ONE_DAY_NS });
      expect(s.windows).toBe(1);
      expect(run.discards).toEqual([]);
      expect(parsed.notes.delayFieldMismatches).toBe(0);

      // One-way delay.
      expect(s.owdCount).toBe(tool.delay.n);
      expect(s.owdMinNs).toBe(tool.delay.min);
      expect(s.owdMaxNs).toBe(tool.delay.max);
      const meanGap = (s.owdMeanNs as number) - tool.delay.mean;
      expect(meanGap).toBeGreaterThanOrEqual(0);
      expect(meanGap).toBeLessThan(1);
      expect(Math.trunc(s.owdMedianNs as number)).toBe(tool.delay.median);

      // Loss: received vs the received sequence range.
      expect(tool.duplicates).toBe(0);
      expect(s.receivedPackets).toBe(tool.packets_received);
      expect(s.sentPackets).toBe(r.lastSeqno + 1);
      expect((s.lossRatio as number) * 100).toBeCloseTo(tool.packet_loss_percent, 12);
      expect(tool.expected_packets_received).toBe(Math.ceil(Math.floor(tool.duration / 1e6) / (tool.interval / 1e6)));
      expect(tool.expected_packets_received).not.toBe(s.sentPackets);

      // IPDV: same pairs; wall-clock values exact against the brute force, and within the
      // measured wall-vs-monotonic difference of the tool's figures.
      expect(s.ipdvCount).toBe(tool.ipdv_send.n);
      expect(s.ipdvCount).toBe(r.wallCount);
      expect(s.ipdvMeanAbsNs).toBe(r.wallAbsSum / r.wallCount);
      expect(r.maxPairDiff).toBeLessThan(1000); // clocks slewed by at most ~150 ns in these files
      expect(Math.abs((s.ipdvMeanAbsNs as number) - tool.ipdv_send.mean)).toBeLessThanOrEqual(r.maxPairDiff + 1);
      const maxAbs = Math.max(Math.abs(s.ipdvMinNs as number), Math.abs(s.ipdvMaxNs as number));
      expect(Math.abs(maxAbs - tool.ipdv_send.max)).toBeLessThanOrEqual(r.maxPairDiff);
    });
  }

  it('merging 1 s windows gives the same exact delay and loss figures as one spanning window', () => {
    for (const file of FILES) {
      const one = importAndRun('irtt', [file], { windowNs: ONE_DAY_NS }).summary;
      const merged = importAndRun('irtt', [file], { windowNs: 1_000_000_000 }, 50).summary;
      expect(merged.windows).toBeGreaterThan(5);
      const pick = (x: typeof one) => [x.sentPackets, x.receivedPackets, x.lostPackets, x.owdCount, x.owdMinNs, x.owdMaxNs, x.owdMeanNs, x.ipdvCount, x.ipdvMeanAbsNs, x.jitterRfc3550Ns];
      expect(pick(merged)).toEqual(pick(one));
    }
  });
});
