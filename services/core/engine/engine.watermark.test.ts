// The three closing rules, one by one, at their exact thresholds.
import { describe, expect, it } from 'vitest';
import { MetricEngine } from './engine.ts';
import { identity, makeBatch, OK_FLAGS, type RawFlow, type RawSample } from './testkit.ts';

const S = 1_000_000_000n; // 1 s in ns
const T0 = 1_800_000_000n * S; // window-aligned, far above 2^53 ns

function flow(device: string, flowId = 'f'): RawFlow {
  return { identity: identity(device), flowId, seqBits: 32, samples: [] };
}
function sample(seq: number, sendNs: bigint, delayNs = 1000): RawSample {
  return { seq, sendNs, delayNs, sizeBytes: 100, flags: OK_FLAGS };
}
function feed(e: MetricEngine, f: RawFlow, samples: RawSample[], partition = 0): void {
  e.ingest(partition, makeBatch(f.identity, [{ flow: f, samples }]));
}

describe('rule (a): a flow closes its own windows', () => {
  it('closes [s, e) once the flow itself sent at e + lateness, not a nanosecond earlier', () => {
    const e = new MetricEngine({}); // 1 s windows, 3 s lateness
    const a = flow('a');
    feed(e, a, [sample(1, T0 + 100n), sample(2, T0 + S + 3n * S - 1n)]);
    expect(e.drain().windows).toHaveLength(0);
    feed(e, a, [sample(3, T0 + 4n * S)]);
    const rows = e.drain().windows;
    expect(rows.map((r) => r.windowStartNs)).toEqual([T0]);
    expect(rows[0].receivedPackets).toBe(1);
  });
  it('is not affected by another flow running ahead (within the grace)', () => {
    const e = new MetricEngine({});
    const a = flow('a');
    const b = flow('b');
    feed(e, a, [sample(1, T0)]);
    feed(e, b, [sample(1, T0 + 12n * S)]); // 12 s ahead < lateness + grace (13 s)
    expect(e.drain().windows).toHaveLength(0);
    // a's late packet for its first window is still accepted.
    feed(e, a, [sample(0, T0 + 1n)]);
    const out = e.flushPartition(0);
    expect(out.windows.find((r) => r.deviceId === 'a')?.receivedPackets).toBe(2);
    expect(out.discards).toEqual([]);
  });
});

describe('rule (b): the partition watermark closes the windows of a flow that went quiet', () => {
  it('closes a quiet flow once the partition leader is lateness + grace past the window end', () => {
    const e = new MetricEngine({ flowIdleGraceNs: 10_000_000_000 });
    const a = flow('a');
    const b = flow('b');
    feed(e, a, [sample(1, T0 + 500n)]);
    feed(e, b, [sample(1, T0 + 14n * S - 1n)]); // window [T0, T0+1s) ends 13 s - 1 ns before
    expect(e.drain().windows.filter((r) => r.deviceId === 'a')).toHaveLength(0);
    feed(e, b, [sample(2, T0 + 14n * S)]);
    const rows = e.drain().windows;
    expect(rows.filter((r) => r.deviceId === 'a').map((r) => r.windowStartNs)).toEqual([T0]);
    // From now on the quiet flow's late packets for that window are counted, not placed.
    feed(e, a, [sample(0, T0 + 1n)]);
    expect(e.drain().discards).toMatchObject([{ deviceId: 'a', reason: 'too_late', count: 1, windowStartNs: T0 }]);
  });
  it('never fires for a flow that keeps up with the leader: its rows equal a run without the other flow', () => {
    const mk = (): RawSample[] => Array.from({ length: 400 }, (_, k) => sample(k, T0 + BigInt(k) * 100_000_000n, 1000 + (k % 7)));
    const alone = new MetricEngine({ flowIdleGraceNs: 0 });
    const a = flow('a');
    feed(alone, a, mk());
    const want = alone.flushPartition(0).windows;
    const shared = new MetricEngine({ flowIdleGraceNs: 0 });
    const b = flow('b');
    const sa = mk();
    const sb = mk();
    for (let i = 0; i < 400; i += 10) {
      feed(shared, b, sb.slice(i, i + 10));
      feed(shared, a, sa.slice(i, i + 10));
    }
    const got = shared.flushPartition(0).windows.filter((r) => r.deviceId === 'a');
    expect(got).toEqual(want);
  });
});

describe('rule (c): tick() closes windows of an idle partition', () => {
  it('waits for partitionIdleTimeoutNs of processing time without data', () => {
    const e = new MetricEngine({ partitionIdleTimeoutNs: 5_000_000_000, maxClockSkewNs: 1_000_000_000 });
    feed(e, flow('a'), [sample(1, T0 + 10n)]);
    e.tick(0, T0 + 2n * S); // data since the last tick: active at T0 + 2 s
    e.tick(0, T0 + 7n * S - 1n); // window end + lateness + skew long passed, but not idle yet
    expect(e.drain().windows).toHaveLength(0);
    e.tick(0, T0 + 7n * S);
    expect(e.drain().windows.map((r) => r.windowStartNs)).toEqual([T0]);
  });
  it('then closes exactly the windows with end + lateness <= now - maxClockSkew', () => {
    const e = new MetricEngine({ partitionIdleTimeoutNs: 1_000_000_000, maxClockSkewNs: 1_000_000_000 });
    feed(e, flow('a'), [sample(1, T0 + 10n), sample(2, T0 + S + 10n)]);
    e.tick(0, T0 + 2n * S);
    e.tick(0, T0 + 5n * S - 1n);
    expect(e.drain().windows).toHaveLength(0);
    e.tick(0, T0 + 5n * S);
    expect(e.drain().windows.map((r) => r.windowStartNs)).toEqual([T0]);
    e.tick(0, T0 + 6n * S - 1n);
    expect(e.drain().windows).toHaveLength(0);
    e.tick(0, T0 + 6n * S);
    expect(e.drain().windows.map((r) => r.windowStartNs)).toEqual([T0 + S]);
  });
  it('does nothing while data keeps arriving, however old its timestamps (replay after an outage)', () => {
    const e = new MetricEngine({ partitionIdleTimeoutNs: 1_000_000_000 });
    const a = flow('a');
    for (let k = 0; k < 5; k++) {
      feed(e, a, [sample(k, T0 + BigInt(k) * 100_000_000n)]);
      e.tick(0, T0 + 3600n * S + BigInt(k) * 2n * S); // an hour later, ticks every 2 s
    }
    expect(e.drain().windows).toHaveLength(0);
  });
});

describe('flushPartition and eviction', () => {
  it('returns the rows of that partition only and forgets its flows', () => {
    const e = new MetricEngine({});
    feed(e, flow('a'), [sample(1, T0)], 0);
    feed(e, flow('b'), [sample(1, T0)], 1);
    const out = e.flushPartition(0);
    expect(out.windows.map((r) => r.deviceId)).toEqual(['a']);
    expect(e.stats()).toMatchObject({ flows: 1, partitions: 1, openWindows: 1 });
    expect(e.flushPartition(1).windows.map((r) => r.deviceId)).toEqual(['b']);
    expect(e.stats()).toMatchObject({ flows: 0, openWindows: 0 });
  });
  it('forgets a flow whose windows are closed once it is flowEvictAfterNs behind the partition', () => {
    const e = new MetricEngine({ flowIdleGraceNs: 0, flowEvictAfterNs: 60_000_000_000 });
    feed(e, flow('a'), [sample(1, T0)]);
    feed(e, flow('b'), [sample(1, T0 + 59n * S)]);
    expect(e.stats()).toMatchObject({ flows: 2, flowsEvicted: 0 });
    feed(e, flow('b'), [sample(2, T0 + 61n * S)]);
    expect(e.stats()).toMatchObject({ flows: 1, flowsEvicted: 1 });
  });
});
