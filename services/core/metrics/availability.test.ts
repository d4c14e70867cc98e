import { describe, expect, it } from 'vitest';
import { availabilitySpan } from './availability.ts';

const MS = 1_000_000;

function run(okSend: number[], from: number, to: number, t: number, s: number, firstFailure = false) {
  return availabilitySpan(okSend, okSend.length, from, to, t, s, firstFailure, { upUntil: from + s, downtimeNs: 0, transitions: 0 });
}

describe('availability (METRICS.md §7, vector 15: T = Lmax = S = 1 ms, messages 1..10)', () => {
  const sends = Array.from({ length: 10 }, (_, k) => k * MS);
  it('message 4 lost: no downtime, availability 100 %', () => {
    const r = run(sends.filter((_, k) => k !== 3), 0, 9 * MS, MS, MS);
    expect([r.downtimeNs, r.transitions]).toEqual([0, 0]);
  });
  it('messages 4 and 5 lost: one up->down transition; downtime depends on downtimeOrigin', () => {
    const ok = sends.filter((_, k) => k !== 3 && k !== 4);
    const a = run(ok, 0, 9 * MS, MS, MS);
    expect([a.downtimeNs, a.transitions]).toEqual([1 * MS, 1]); // down from 3+1+1 = 5 ms to 6 ms
    const b = run(ok, 0, 9 * MS, MS, MS, true);
    expect([b.downtimeNs, b.transitions]).toEqual([2 * MS, 1]); // from the first missed deadline (4 ms)
  });
  it('S = n T survives exactly n consecutive failures', () => {
    const T = MS;
    for (const n of [0, 1, 2, 3]) {
      for (const lostRun of [n, n + 1]) {
        const ok = sends.filter((_, k) => !(k >= 3 && k < 3 + lostRun));
        const r = run(ok, 0, 9 * MS, T, n * T);
        expect(r.transitions).toBe(lostRun > n ? 1 : 0);
      }
    }
  });
  it('carries the state across intervals: an outage spanning a boundary counts once', () => {
    const first = availabilitySpan([0, MS], 2, 0, 5 * MS, MS, 0, false, { upUntil: 0, downtimeNs: 0, transitions: 0 });
    expect([first.downtimeNs, first.transitions, first.upUntil]).toEqual([3 * MS, 1, 2 * MS]);
    const second = availabilitySpan([7 * MS], 1, 5 * MS, 9 * MS, MS, 0, false, { ...first });
    expect([second.downtimeNs, second.transitions]).toEqual([2 * MS + 1 * MS, 1]);
  });
});
