// Documented outcomes of specific situations, and the METRICS.md §10 vectors that need the whole
// engine (loss ratio, duplication, availability/reliability).
import { describe, expect, it } from 'vitest';
import { FLAG_CLOCK_SYNCED, FLAG_CORRUPT, FLAG_RECEIVED } from '../wire/batch.ts';
import { MetricEngine } from './engine.ts';
import type { EngineConfig } from './config.ts';
import type { EngineOutput, WindowRow } from './window-row.ts';
import { identity, makeBatch, OK_FLAGS, type RawFlow, type RawSample } from './testkit.ts';
import { referenceFlow } from './reference-model.ts';

const MS = 1_000_000n;
const S = 1000n * MS;
const T0 = 1_760_000_000n * S;

function flowOf(samples: RawSample[], extra: Partial<RawFlow> = {}): RawFlow {
  return { identity: identity(), flowId: 'f', seqBits: 32, samples, ...extra };
}
function pkt(seq: number, sendNs: bigint, delayNs = 100_000, flags = OK_FLAGS): RawSample {
  return { seq, sendNs, delayNs, sizeBytes: 100, flags };
}
function runAll(f: RawFlow, cfg: Partial<EngineConfig> = {}, createdNs = 0n): EngineOutput {
  const e = new MetricEngine(cfg);
  e.ingest(0, makeBatch(f.identity, [{ flow: f, samples: f.samples }], createdNs));
  const a = e.drain();
  const b = e.flushPartition(0);
  return { windows: [...a.windows, ...b.windows], discards: [...a.discards, ...b.discards] };
}
const one = (o: EngineOutput): WindowRow => {
  expect(o.windows).toHaveLength(1);
  return o.windows[0];
};

describe('METRICS.md §10 vectors through the engine', () => {
  it('vector 2: losses {0,0,1,0,0} -> loss ratio 0.2', () => {
    const r = one(runAll(flowOf([1, 2, 4, 5].map((s) => pkt(s, T0 + BigInt(s) * MS)))));
    expect([r.sentPackets, r.receivedPackets, r.lostPackets, r.lossRatio]).toEqual([5, 4, 1, 0.2]);
  });
  it('vector 9 (RFC 5560 §5.3): duplication fraction 0, 100 %, 200 %, 100 %, whatever the order', () => {
    const dup = (arrivals: number[]) => one(runAll(flowOf(arrivals.map((s) => pkt(s, T0 + BigInt(s) * MS))))).duplicationFraction;
    expect(dup([1, 2, 3, 4])).toBe(0);
    expect(dup([1, 1, 2, 2, 3, 3, 4, 4])).toBe(1);
    expect(dup([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])).toBe(2);
    expect(dup([1, 1, 1, 2, 3, 3, 3, 4])).toBe(1);
    expect(dup([4, 3, 1, 3, 1, 2, 1, 3])).toBe(1);
  });
  it('vector 15: T = Lmax = S = 1 ms, messages 1..10; message 4 lost -> no downtime, availability 100 %, reliability 90 %', () => {
    const params = { transferIntervalNs: 1_000_000, maxLatencyNs: 1_000_000, survivalTimeNs: 1_000_000 };
    const msgs = (lost: number[]) => Array.from({ length: 10 }, (_, k) => k + 1).filter((k) => !lost.includes(k)).map((k) => pkt(k, T0 + BigInt(k) * MS, 300_000));
    const a = one(runAll(flowOf(msgs([4]), params)));
    // Message 10 is the last evidence: the judged interval is [t1, t10].
    expect([a.downtimeNs, a.upDownTransitions, a.availability, a.reliability, a.availExpectedNs]).toEqual([0, 0, 1, 0.9, 9_000_000]);
    // A late message (2 ms > Lmax) is delivered but not within the deadline.
    const ten = one(runAll(flowOf([...msgs([4]), pkt(11, T0 + 11n * MS, 2_000_000)], params)));
    expect(ten.reliability).toBe(9 / 11);
    const b = one(runAll(flowOf(msgs([4, 5]), params)));
    expect([b.upDownTransitions, b.downtimeNs]).toEqual([1, 1_000_000]);
    const c = one(runAll(flowOf(msgs([4, 5]), params), { downtimeOrigin: 'first_failure' }));
    expect([c.upDownTransitions, c.downtimeNs]).toEqual([1, 2_000_000]);
  });
});

describe('sequence numbers', () => {
  it('16-bit wrap: sent and lost are counted across 65535 -> 0', () => {
    const seqs = [65530, 65531, 65533, 65534, 65535, 0, 1, 3];
    const r = one(runAll(flowOf(seqs.map((s, i) => pkt(s, T0 + BigInt(i) * MS)), { seqBits: 16 })));
    expect([r.sentPackets, r.receivedPackets, r.lostPackets, r.lossPeriods, r.seqBits]).toEqual([10, 8, 2, 2, 16]);
  });
  it('a sender restart opens a new epoch: counted once, no phantom loss, no IPDV pair across it', () => {
    const before = [100_000, 100_001, 100_002].map((s, i) => pkt(s, T0 + BigInt(i) * MS));
    const after = [7, 8, 9].map((s, i) => pkt(s, T0 + BigInt(i + 3) * MS, 900_000));
    const r = one(runAll(flowOf([...before, ...after])));
    expect([r.seqRestarts, r.sentPackets, r.receivedPackets, r.lostPackets, r.ipdvCount, r.ipdvMaxNs]).toEqual([1, 6, 6, 0, 4, 0]);
  });
  it('a lone jump is bad_sequence; a distance of exactly 2^(W-1) is bad_sequence', () => {
    const o = runAll(flowOf([pkt(10, T0), pkt(4_000_000_000, T0 + MS), pkt(11, T0 + 2n * MS), pkt(11 + 2 ** 31, T0 + 3n * MS)]));
    expect(o.discards).toMatchObject([{ reason: 'bad_sequence', count: 2, windowStartNs: T0 }]);
    expect(one(o).receivedPackets).toBe(2);
  });
  it('a flow that changes its sequence width is bad_sequence for the new batch', () => {
    const e = new MetricEngine({});
    const f = flowOf([pkt(1, T0)]);
    e.ingest(0, makeBatch(f.identity, [{ flow: f, samples: f.samples }]));
    const g = { ...f, seqBits: 16 as const };
    e.ingest(0, makeBatch(f.identity, [{ flow: g, samples: [pkt(2, T0 + MS)] }]));
    expect(e.flushPartition(0).discards).toMatchObject([{ reason: 'bad_sequence', count: 1 }]);
  });
});

describe('clocks and delays', () => {
  it('unsynchronised and negative delays are kept out of OWD but feed jitter, IPDV and PDV', () => {
    const samples = [
      pkt(1, T0, 1000),
      pkt(2, T0 + MS, 1500, FLAG_RECEIVED), // clock not synchronised
      pkt(3, T0 + 2n * MS, -200), // synchronised but negative: clock suspect
      pkt(4, T0 + 3n * MS, 1200),
    ];
    const r = one(runAll(flowOf(samples)));
    expect([r.receivedPackets, r.owdCount, r.unsyncedPackets, r.negativeDelayPackets, r.owdMinNs, r.owdMaxNs]).toEqual([4, 2, 1, 1, 1000, 1200]);
    expect([r.ipdvCount, r.ipdvMinNs, r.ipdvMaxNs, r.dvCount, r.pdvP99Ns]).toEqual([3, -1700, 1400, 4, 1700]);
    expect(r.jitterRfc3550Ns).toBeGreaterThan(0);
  });
  it('corrupt packets are counted and lost (RFC 7680 §2.5), never delayed or deduplicated', () => {
    const r = one(runAll(flowOf([pkt(1, T0), pkt(2, T0 + MS, 5, OK_FLAGS | FLAG_CORRUPT), pkt(3, T0 + 2n * MS)])));
    expect([r.sentPackets, r.receivedPackets, r.corruptPackets, r.lostPackets, r.owdCount]).toEqual([3, 2, 1, 1, 2]);
  });
  it('loss reports (samples without RECEIVED) reveal sent numbers but are not received', () => {
    const r = one(runAll(flowOf([pkt(1, T0), pkt(2, T0 + MS), pkt(3, T0 + 2n * MS, 0, 0)])));
    expect([r.sentPackets, r.receivedPackets, r.unreceivedReports, r.lostPackets]).toEqual([3, 2, 1, 1]);
  });
  it('send times after batch creation + maxClockSkew are send_time_in_future', () => {
    const o = runAll(flowOf([pkt(1, T0), pkt(2, T0 + 2n * S)]), { maxClockSkewNs: 500_000_000 }, T0 + S);
    expect(o.discards).toMatchObject([{ reason: 'send_time_in_future', count: 1, windowStartNs: T0 + 2n * S }]);
  });
});

describe('late packets and capacity', () => {
  it('a packet arriving after its window closed is too_late and counts as lost there (RFC 7679 Tmax)', () => {
    const f = flowOf([pkt(1, T0), pkt(3, T0 + 2n * MS), pkt(4, T0 + 4n * S), pkt(2, T0 + MS)]);
    const o = runAll(f);
    expect(o.windows[0]).toMatchObject({ windowStartNs: T0, sentPackets: 3, receivedPackets: 2, lostPackets: 1 });
    expect(o.discards).toMatchObject([{ reason: 'too_late', count: 1, windowStartNs: T0 }]);
  });
  it('beyond maxFlows new flows are counted as flow_state_full per window', () => {
    const e = new MetricEngine({ maxFlows: 1 });
    const a = flowOf([pkt(1, T0)]);
    const b: RawFlow = { ...flowOf([pkt(1, T0), pkt(2, T0 + MS), pkt(3, T0 + S)]), flowId: 'g' };
    e.ingest(0, makeBatch(a.identity, [{ flow: a, samples: a.samples }, { flow: b, samples: b.samples }]));
    expect(e.flushPartition(0).discards).toMatchObject([
      { flowId: 'g', reason: 'flow_state_full', count: 2, windowStartNs: T0 },
      { flowId: 'g', reason: 'flow_state_full', count: 1, windowStartNs: T0 + S },
    ]);
  });
});

describe('long-lived flows', () => {
  it('keep exact times across months (flow times are rebased before they leave the exact range)', () => {
    const day = 86_400n * S;
    const samples: RawSample[] = [];
    for (let d = 0; d < 4; d++) {
      for (let k = 0; k < 20; k++) samples.push(pkt(d * 20 + k, T0 + BigInt(d) * 20n * day + BigInt(k) * 100n * MS + 7n, 100_000 + k));
    }
    const f = flowOf(samples, { transferIntervalNs: 100_000_000, maxLatencyNs: 1_000_000 });
    const e = new MetricEngine({});
    for (let i = 0; i < samples.length; i += 10) e.ingest(0, makeBatch(f.identity, [{ flow: f, samples: samples.slice(i, i + 10) }]));
    const rows = [...e.drain().windows, ...e.flushPartition(0).windows];
    const want = referenceFlow(f, { ...e.config });
    expect(rows.map((r) => [r.windowStartNs, r.sentPackets, r.receivedPackets, r.downtimeNs, r.availExpectedNs])).toEqual(
      want.rows.map((r) => [r.windowStartNs, r.sentPackets, r.receivedPackets, r.downtimeNs, r.availExpectedNs]),
    );
  });
});

describe('flags used', () => {
  it('FLAG_CLOCK_SYNCED is what makes a delay trusted', () => {
    expect(OK_FLAGS).toBe(FLAG_RECEIVED | FLAG_CLOCK_SYNCED);
  });
});
