import { describe, expect, it } from 'vitest';
import { JitterColumns, rfc3550JitterStep } from './jitter.ts';

function run(delays: number[]): number[] {
  const j = new JitterColumns(1);
  j.reset(0);
  return delays.map((d) => j.observe(0, d));
}

describe('RFC 3550 interarrival jitter', () => {
  it('METRICS.md §10 vector 11: delays {20,10,20,25,20} -> J = 0.625, 1.2109375, 1.44775390625, 1.669769287109375', () => {
    expect(run([20, 10, 20, 25, 20])).toEqual([0, 0.625, 1.2109375, 1.44775390625, 1.669769287109375]);
  });
  it('vector 12: RFC 4737 Table 1 in arrival order (68 x7, 150, 68, 68) -> 0 until the 8th arrival, then 5.125, 9.9296875', () => {
    const j = run([68, 68, 68, 68, 68, 68, 68, 150, 68, 68]);
    expect(j.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(j[7]).toBe(5.125);
    expect(j[8]).toBe(9.9296875);
    expect(j[9]).toBeCloseTo(9.309082, 6);
  });
  it('is the reference code J += (|D| - J) / 16', () => {
    expect(rfc3550JitterStep(1.5, -3)).toBe(1.5 + (3 - 1.5) / 16);
  });
});
