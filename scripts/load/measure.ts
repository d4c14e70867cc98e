// What the load runner measures about processes besides k6's own figures: CPU used per process
// (from /proc, Linux) and the trend of a memory series.

/** Average CPU cores used per process over a phase (CPU seconds / wall seconds); null if unknown. */
export type CpuUse = Record<string, number | null>;

// USER_HZ is 100 on every Linux ABI Node supports (sysconf(_SC_CLK_TCK)).
const CLOCK_TICKS_PER_S = 100;

import fs from 'node:fs';
import { procCpuSeconds } from '../../services/worker/bench/probe.ts';

// The per-process reader is the worker benchmark's (one /proc/<pid>/stat parser).
export { procCpuSeconds };

/** Busy CPU seconds of the whole machine so far (all cores: everything but idle and iowait). */
export function machineBusySeconds(): number | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLOCK_TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/**
 * CPU of several processes from now on, and of the whole machine ("machine": every process,
 * ours and everybody else's). Processes can join later (add), e.g. k6 once spawned;
 * each is read every second so that one that exits before the end still counts (up to the
 * last second).
 */
export function cpuMeter(pids: Record<string, number | undefined>) {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const pidOf = new Map<string, number>();
  const read = () => {
    for (const [name, pid] of pidOf) {
      const v = procCpuSeconds(pid);
      if (v !== undefined) last.set(name, v);
    }
  };
  const add = (name: string, pid: number | undefined, fromZero = false) => {
    if (pid === undefined) return;
    pidOf.set(name, pid);
    const v = fromZero ? 0 : procCpuSeconds(pid);
    if (v !== undefined) first.set(name, v);
  };
  for (const [name, pid] of Object.entries(pids)) add(name, pid);
  const machineStart = machineBusySeconds();
  const timer = setInterval(read, 1000);
  return {
    add,
    stop(wallSeconds: number): CpuUse {
      clearInterval(timer);
      read();
      const out: CpuUse = {};
      for (const name of new Set([...Object.keys(pids), ...pidOf.keys()])) {
        const a = first.get(name);
        const b = last.get(name);
        out[name] = a === undefined || b === undefined || wallSeconds <= 0 ? null : Math.round(((b - a) / wallSeconds) * 100) / 100;
      }
      const machineEnd = machineBusySeconds();
      out.machine = machineStart === undefined || machineEnd === undefined || wallSeconds <= 0 ? null : Math.round(((machineEnd - machineStart) / wallSeconds) * 100) / 100;
      return out;
    },
  };
}

export interface MemoryTrend {
  /** Mean of the samples in the first third of the time span. */
  readonly firstMean: number;
  /** Mean of the samples in the last third. */
  readonly lastMean: number;
  /** lastMean / firstMean - 1. */
  readonly growth: number;
  /** Least-squares slope over all samples, units per second. */
  readonly slopePerS: number;
}

/** First third vs last third (by time) of a series of [time ms, value]; null below 6 samples. */
export function memoryTrend(series: readonly (readonly [number, number])[]): MemoryTrend | null {
  if (series.length < 6) return null;
  const t0 = series[0][0];
  const span = series[series.length - 1][0] - t0;
  if (span <= 0) return null;
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const first = series.filter(([t]) => t - t0 <= span / 3).map(([, v]) => v);
  const last = series.filter(([t]) => t - t0 >= (2 * span) / 3).map(([, v]) => v);
  const mt = mean(series.map(([t]) => (t - t0) / 1000));
  const mv = mean(series.map(([, v]) => v));
  let sxy = 0;
  let sxx = 0;
  for (const [t, v] of series) {
    const x = (t - t0) / 1000 - mt;
    sxy += x * (v - mv);
    sxx += x * x;
  }
  const firstMean = mean(first);
  const lastMean = mean(last);
  return { firstMean, lastMean, growth: lastMean / firstMean - 1, slopePerS: sxx > 0 ? sxy / sxx : 0 };
}

/** Cumulative bucket counts of a Prometheus histogram: [upper bound (le), count] sorted by bound. */
export type Buckets = readonly (readonly [number, number])[];

/** The buckets of histogram `name` (unlabelled apart from le) in Prometheus text exposition. */
export function parseBuckets(text: string, name: string): Buckets {
  const out: [number, number][] = [];
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} ([0-9.eE+-]+)$`, 'gm');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * The upper bound of the bucket holding quantile q of the observations made between two
 * scrapes (as Prometheus' histogram_quantile, but without interpolating inside the bucket:
 * an upper bound, honest for coarse buckets). null when nothing was observed.
 */
export function bucketQuantile(before: Buckets, after: Buckets, q: number): number | null {
  const prev = new Map(before);
  const delta = after.map(([le, n]) => [le, n - (prev.get(le) ?? 0)] as const);
  const total = delta.length > 0 ? delta[delta.length - 1][1] : 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (const [le, n] of delta) if (n >= rank) return le;
  return Infinity;
}

/** Share of the observations between two scrapes above `bound` (a bucket bound). */
export function shareAbove(before: Buckets, after: Buckets, bound: number): number | null {
  const prev = new Map(before);
  const delta = new Map(after.map(([le, n]) => [le, n - (prev.get(le) ?? 0)] as const));
  const total = delta.get(Infinity) ?? 0;
  const atOrBelow = delta.get(bound);
  if (total <= 0 || atOrBelow === undefined) return null;
  return (total - atOrBelow) / total;
}
