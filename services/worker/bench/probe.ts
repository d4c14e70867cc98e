// What the benchmark reads about running processes: memory and CPU time from /proc (Linux),
// Prometheus text from /metrics, machine load, and percentiles over weighted values.
import fs from 'node:fs';
import os from 'node:os';

export interface ProcMemory {
  /** Resident set now, bytes. */
  readonly rssBytes: number;
  /** Peak resident set over the process's life (VmHWM), bytes. */
  readonly hwmBytes: number;
}

export function procMemory(pid: number): ProcMemory | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

// USER_HZ is 100 on every Linux ABI Node supports (sysconf(_SC_CLK_TCK)).
const CLOCK_TICKS_PER_S = 100;

/** User + system CPU seconds of all threads of the process so far. */
export function procCpuSeconds(pid: number): number | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): utime is the 14th field overall.
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** CPU seconds of several processes between `start()` and `stop()`. */
export function cpuMeter(pids: Record<string, number | undefined>) {
  const at = () => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid === undefined ? undefined : procCpuSeconds(pid)]));
  const before = at();
  return (): Record<string, number | null> => {
    const after = at();
    const out: Record<string, number | null> = {};
    for (const k of Object.keys(pids)) {
      const a = before[k];
      const b = after[k];
      out[k] = a === undefined || b === undefined ? null : +(b - a).toFixed(2);
    }
    return out;
  };
}

/** Value of an unlabelled sample in Prometheus text exposition, or undefined. */
export function promValue(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{\\})? ([0-9.eE+-]+|NaN)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface MachineLoad {
  readonly loadavg1: number;
  readonly loadavg5: number;
  readonly loadavg15: number;
  readonly cpus: number;
  readonly uptime: string;
}

export function machineLoad(): MachineLoad {
  const [a, b, c] = os.loadavg();
  let uptime = '';
  try {
    uptime = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    /* not Linux */
  }
  return { loadavg1: +a.toFixed(2), loadavg5: +b.toFixed(2), loadavg15: +c.toFixed(2), cpus: os.cpus().length, uptime };
}

/** Nearest-rank percentile (q in (0, 1]) over values with integer weights. */
export function weightedPercentile(pairs: readonly (readonly [value: number, weight: number])[], q: number): number | null {
  const total = pairs.reduce((a, p) => a + p[1], 0);
  if (total === 0) return null;
  const sorted = [...pairs].sort((x, y) => x[0] - y[0]);
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [v, w] of sorted) {
    seen += w;
    if (seen >= rank) return v;
  }
  return sorted[sorted.length - 1][0];
}

/**
 * Rate over the middle of a monotone series (time s, count): the slope between the first
 * points at or above `lo` and `hi` of the final count. Start-up and tail are excluded.
 */
export function middleRate(series: readonly (readonly [number, number])[], total: number, lo = 0.1, hi = 0.9): number | null {
  const a = series.find((p) => p[1] >= lo * total);
  const b = series.find((p) => p[1] >= hi * total);
  if (!a || !b || b[0] <= a[0]) return null;
  return (b[1] - a[1]) / (b[0] - a[0]);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const mib = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? null : Math.round(bytes / 2 ** 20));
