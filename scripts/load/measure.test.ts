import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { bucketQuantile, cpuMeter, machineBusySeconds, memoryTrend, parseBuckets, procCpuSeconds, shareAbove } from './measure.ts';

describe('memoryTrend', () => {
  it('compares the means of the first and last third of the time span, and fits a slope', () => {
    // 10 samples 1 s apart: 100 for t <= 3 s, 130 for t >= 6 s, a ramp in between.
    const values = [100, 100, 100, 100, 110, 120, 130, 130, 130, 130];
    const t = memoryTrend(values.map((v, i) => [1000 * i, v] as const))!;
    // span 9 s: first third t <= 3 s (4 samples), last third t >= 6 s (4 samples).
    expect(t.firstMean).toBe(100);
    expect(t.lastMean).toBe(130);
    expect(t.growth).toBeCloseTo(0.3, 12);
    // Least squares by hand: mean t = 4.5, mean v = 115; sum (t-4.5)(v-115) = 67.5+52.5+37.5+22.5+2.5+2.5+22.5+37.5+52.5+67.5 = 365, sum (t-4.5)^2 = 82.5.
    expect(t.slopePerS).toBeCloseTo(365 / 82.5, 12);
  });

  it('a flat series has no growth; too few samples give null', () => {
    const flat = memoryTrend(Array.from({ length: 30 }, (_, i) => [2000 * i, 5e8] as const))!;
    expect(flat.growth).toBe(0);
    expect(flat.slopePerS).toBe(0);
    expect(memoryTrend([[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]])).toBeNull();
  });
});

describe('procCpuSeconds', () => {
  it('reads this process its CPU time, and nothing for a pid that does not exist', () => {
    const own = procCpuSeconds(process.pid)!;
    const usage = process.cpuUsage();
    expect(own).toBeGreaterThan(0);
    // /proc counts in 10 ms ticks; process.cpuUsage() in microseconds.
    expect(Math.abs(own - (usage.user + usage.system) / 1e6)).toBeLessThan(0.5);
    expect(procCpuSeconds(2 ** 30)).toBeUndefined();
  });
});

describe('machineBusySeconds and cpuMeter', () => {
  it('the machine was busy at least as long as this process burned CPU, and at most all cores the whole time', async () => {
    const m = cpuMeter({ self: process.pid });
    const m0 = machineBusySeconds()!;
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    let x = 0;
    // Burn 0.3 s of this process's own CPU time, however long that takes on a busy machine.
    while ((() => { const c = process.cpuUsage(c0); return c.user + c.system; })() < 300_000) x += Math.sqrt(x + 1);
    await new Promise((r) => setTimeout(r, 50));
    const wall = (Date.now() - t0) / 1000;
    const busy = machineBusySeconds()! - m0;
    const use = m.stop(wall);
    expect(x).toBeGreaterThan(0);
    // Clock ticks are 10 ms: allow a few ticks of slack.
    expect(busy).toBeGreaterThanOrEqual(0.3 - 0.03);
    expect(busy).toBeLessThanOrEqual(os.cpus().length * wall + 0.03);
    expect(use.self! * wall).toBeGreaterThanOrEqual(0.3 - 0.03);
    // Same few ticks of slack, in seconds (as a fraction of a 0.35 s wall, 0.05 was under two ticks).
    expect(use.machine! * wall).toBeGreaterThanOrEqual(use.self! * wall - 0.03);
  });
});

describe('histogram buckets between two scrapes', () => {
  const text = (counts: number[]) =>
    ['# HELP x_seconds help', '# TYPE x_seconds histogram']
      .concat([0.001, 0.005, 0.025, 0.1].map((le, i) => `x_seconds_bucket{le="${le}"} ${counts[i]}`))
      .concat([`x_seconds_bucket{le="+Inf"} ${counts[4]}`, `x_seconds_sum 1`, `x_seconds_count ${counts[4]}`])
      .join('\n');
  const before = parseBuckets(text([10, 20, 30, 40, 40]), 'x_seconds');
  // Between the scrapes, 100 observations: 50 <= 1 ms, 40 in (1, 5] ms, 8 in (5, 25] ms, 2 in (25, 100] ms.
  const after = parseBuckets(text([60, 110, 128, 140, 140]), 'x_seconds');

  it('parses cumulative buckets in bound order', () => {
    expect(before).toEqual([[0.001, 10], [0.005, 20], [0.025, 30], [0.1, 40], [Infinity, 40]]);
  });

  it('quantiles are the bounds of the buckets holding them, counted over the difference', () => {
    expect(bucketQuantile(before, after, 0.5)).toBe(0.001); // 50 of 100 at or below 1 ms
    expect(bucketQuantile(before, after, 0.51)).toBe(0.005);
    expect(bucketQuantile(before, after, 0.98)).toBe(0.025); // 98 at or below 25 ms
    expect(bucketQuantile(before, after, 0.99)).toBe(0.1);
    expect(bucketQuantile(before, before, 0.99)).toBeNull();
    expect(shareAbove(before, after, 0.025)).toBeCloseTo(0.02, 12);
    expect(shareAbove(before, after, 0.005)).toBeCloseTo(0.1, 12);
    expect(shareAbove(before, after, 0.003)).toBeNull(); // not a bucket bound
  });
});
