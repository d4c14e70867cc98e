// Loss patterns, RFC 3357, on the loss stream in sequence order: f(e) = 1 when extended number e
// of the window's sent range was not received (as a non-corrupt copy, before the window closed).
//
// A loss period starts at e when f(e) = 1 and f(e - 1) = 0 (§4, §5.4.2). Windows split the
// sequence space, so a period is counted in the window where it starts; a period running across
// a window boundary continues (the flow carries the trailing run length) and a window reports as
// its longest burst the longest period seen up to its end, including the part in earlier windows.
// Sums of lossPeriods and the max of lossBurstMaxPackets over consecutive windows are therefore
// the RFC 3357 figures of the concatenated stream.

export interface LossRuns {
  periods: number;
  burstMax: number;
  /** Length of the loss run still open at hi (0 when hi was received). */
  trailingRun: number;
}

/**
 * Loss runs over the range [lo, hi] given the received numbers sorted ascending (distinct; values
 * outside the range are ignored). carriedRun = open run at lo - 1 from the previous window.
 */
export function lossRunsOverRange(sortedExt: ArrayLike<number>, n: number, lo: number, hi: number, carriedRun: number, out: LossRuns): LossRuns {
  out.periods = 0;
  out.burstMax = 0;
  out.trailingRun = carriedRun;
  if (hi < lo) return out;
  let periods = 0;
  let burst = 0;
  let run = carriedRun;
  let prev = lo - 1;
  for (let i = 0; i < n; i++) {
    const e = sortedExt[i];
    if (e < lo) continue;
    if (e > hi) break;
    const gap = e - prev - 1;
    if (gap > 0) {
      if (run === 0) periods++;
      run += gap;
      if (run > burst) burst = run;
    }
    run = 0;
    prev = e;
  }
  const tail = hi - prev;
  if (tail > 0) {
    if (run === 0) periods++;
    run += tail;
    if (run > burst) burst = run;
  }
  out.periods = periods;
  out.burstMax = burst;
  out.trailingRun = run;
  return out;
}

// The RFC 3357 statistics over a whole loss stream (f[i] in {0, 1}, packets in sequence order).
// Used by tests against the RFC's worked example and by offline analysis; the engine uses
// lossRunsOverRange.

/** §5.4.1 Loss-Distance-Stream: [distance, f] per packet; the first loss has distance 0. */
export function lossDistanceStream(f: readonly number[]): [number, number][] {
  let last = -1;
  return f.map((x, i) => {
    if (x === 0) return [0, 0];
    const d = last < 0 ? 0 : i - last;
    last = i;
    return [d, 1];
  });
}

/** §5.4.2 Loss-Period-Stream: [period number, f] per packet. */
export function lossPeriodStream(f: readonly number[]): [number, number][] {
  let n = 0;
  return f.map((x, i) => {
    if (x === 0) return [0, 0];
    if (i === 0 || f[i - 1] === 0) n++;
    return [n, 1];
  });
}

/** §6.3 Loss-Period-Lengths: [period, packets lost in it]. */
export function lossPeriodLengths(f: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [p, x] of lossPeriodStream(f)) {
    if (x === 0) continue;
    if (out.length > 0 && out[out.length - 1][0] === p) out[out.length - 1][1]++;
    else out.push([p, 1]);
  }
  return out;
}

/** §6.4 Inter-Loss-Period-Lengths: [period, distance from the previous period's last loss]. */
export function interLossPeriodLengths(f: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let lastLoss = -1;
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== 1) continue;
    if (i === 0 || f[i - 1] === 0) out.push([out.length + 1, lastLoss < 0 ? 0 : i - lastLoss]);
    lastLoss = i;
  }
  return out;
}

/**
 * §6.1 Loss-Noticeable-Rate with constraint delta, read as the §6.5 example requires: losses
 * other than the first whose loss distance d satisfies 0 < d <= delta, over all losses.
 */
export function lossNoticeableRate(f: readonly number[], delta: number): number {
  const d = lossDistanceStream(f).filter(([, x]) => x === 1).map(([dist]) => dist);
  if (d.length === 0) return 0;
  return d.slice(1).filter((x) => x > 0 && x <= delta).length / d.length;
}
