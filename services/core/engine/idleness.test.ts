// Rule (c)'s clock runs only while the worker has recently seen that it holds everything the
// broker has: each condition of idleness.ts on its own, then with the engine, the failure the
// rule exists for (a backlog in Kafka while the worker restores or falls behind).
import { describe, expect, it } from 'vitest';
import { MetricEngine } from './engine.ts';
import { IdleJudge } from './idleness.ts';
import { identity, makeBatch, OK_FLAGS } from './testkit.ts';

const S = 1_000_000_000n;
const T0 = 1_800_000_000n * S;
const ends = (entries: [number, bigint][], requestedAtNs: bigint) => ({ endOffsets: new Map(entries), requestedAtNs });
const consuming = (nextOffset: bigint | undefined) => ({ consuming: true, nextOffset });

describe('IdleJudge', () => {
  it('is quiet only when the state has reached a fresh end offset', () => {
    const j = new IdleJudge(3n * S);
    j.beginTick(T0);
    expect(j.quiet(0, consuming(10n), T0)).toBe(false); // nothing observed yet
    j.observe(ends([[0, 10n], [1, 12n]], T0));
    expect(j.quiet(0, consuming(10n), T0)).toBe(true);
    expect(j.quiet(1, consuming(10n), T0)).toBe(false); // two records waiting
    expect(j.waiting(1, 10n)).toBe(2n);
    expect(j.quiet(2, consuming(0n), T0)).toBe(false); // partition unknown to the broker answer
    expect(j.quiet(0, { consuming: false, nextOffset: 10n }, T0)).toBe(false); // restoring or paused
    expect(j.quiet(0, consuming(undefined), T0)).toBe(false); // no record yet
  });

  it('does not trust an observation older than the bound', () => {
    const j = new IdleJudge(3n * S);
    j.observe(ends([[0, 10n]], T0));
    j.beginTick(T0 + 3n * S);
    expect(j.quiet(0, consuming(10n), T0 + 3n * S)).toBe(true);
    j.beginTick(T0 + 4n * S);
    expect(j.quiet(0, consuming(10n), T0 + 4n * S)).toBe(false);
  });

  it('keeps the latest requested observation when answers arrive out of order', () => {
    const j = new IdleJudge(3n * S);
    j.observe(ends([[0, 20n]], T0 + S));
    j.observe(ends([[0, 10n]], T0)); // older question, answered later
    j.beginTick(T0 + S);
    expect(j.quiet(0, consuming(10n), T0 + S)).toBe(false);
  });

  it('takes its tick-gap bound separately from the observation age (ticks follow the flush interval)', () => {
    const j = new IdleJudge(3n * S, 6n * S);
    j.beginTick(T0);
    j.observe(ends([[0, 10n]], T0 + 5n * S));
    j.beginTick(T0 + 5n * S); // 5 s apart: within the 6 s bound
    expect(j.quiet(0, consuming(10n), T0 + 5n * S)).toBe(true);
    j.observe(ends([[0, 10n]], T0 + 12n * S));
    j.beginTick(T0 + 12n * S); // 7 s apart: a stall
    expect(j.quiet(0, consuming(10n), T0 + 12n * S)).toBe(false);
  });

  it('treats a long gap between ticks as a stall (SIGSTOP, GC, starved CPU), for one tick', () => {
    const j = new IdleJudge(3n * S);
    j.beginTick(T0);
    j.observe(ends([[0, 10n]], T0 + 9n * S)); // the answer is fresh, the worker was away
    j.beginTick(T0 + 10n * S);
    expect(j.quiet(0, consuming(10n), T0 + 10n * S)).toBe(false);
    j.beginTick(T0 + 11n * S);
    expect(j.quiet(0, consuming(10n), T0 + 11n * S)).toBe(true);
  });
});

describe('MetricEngine.holdIdle with rule (c)', () => {
  const a = identity('a');
  const batch = (seq: number, sendNs: bigint) =>
    makeBatch(a, [{ flow: { identity: a, flowId: 'f', seqBits: 32, samples: [] }, samples: [{ seq, sendNs, delayNs: 1000, sizeBytes: 100, flags: OK_FLAGS }] }]);

  it('a held tick restarts the idle clock: windows close a full timeout after the last held tick', () => {
    // 1 s windows, 3 s lateness, 1 s skew, 10 s idle timeout (the defaults).
    const e = new MetricEngine({});
    e.ingest(0, batch(1, T0));
    e.tick(0, T0 + S); // active at T0 + 1 s
    e.holdIdle(0); // e.g. records waiting in Kafka
    e.tick(0, T0 + 20n * S); // first tick after the hold: active again, closes nothing
    expect(e.drain().windows).toHaveLength(0);
    e.tick(0, T0 + 30n * S - 1n);
    expect(e.drain().windows).toHaveLength(0);
    expect(e.tick(0, T0 + 30n * S)).toBe(true); // the state moved without a record
    expect(e.drain().windows.map((r) => r.windowStartNs)).toEqual([T0]);
    expect(e.tick(0, T0 + 30n * S + 1n)).toBe(false); // nothing further to close
  });

  it('without the hold the same ticks close the window at once (the failure the hold prevents)', () => {
    const e = new MetricEngine({});
    e.ingest(0, batch(1, T0));
    e.tick(0, T0 + S);
    e.tick(0, T0 + 20n * S);
    expect(e.drain().windows.map((r) => r.windowStartNs)).toEqual([T0]);
  });

  it('a backlog is not too late after a long hold: the next record still lands in its window', () => {
    const e = new MetricEngine({});
    e.ingest(0, batch(1, T0));
    e.tick(0, T0 + S);
    for (let k = 2n; k < 60n; k++) {
      e.holdIdle(0); // a minute of restoring / catching up
      e.tick(0, T0 + k * S);
    }
    e.ingest(0, batch(2, T0 + 500_000_000n)); // the backlog's next record, same window
    const out = e.drain();
    expect(out.discards).toEqual([]);
    expect(out.windows).toHaveLength(0);
    expect(e.flushPartition(0).windows[0].receivedPackets).toBe(2);
  });
});
