// The engine computes deadline counts and availability with the parameters each flow declared
// (Lmax, T, S; docs/metrics.md §8) and the worker's downtimeOrigin, not with the profile's. A
// verdict may use those numbers only in the direction the difference makes safe:
//   - every parameter is "larger = more lenient": a larger Lmax turns more messages ok, a larger
//     T or S keeps the service up longer, survival_expiry counts less downtime than first_failure;
//     downtime and deadline misses can only shrink as a parameter grows;
//   - so if the engine was at least as strict as the profile in every parameter, its failures are
//     an upper bound on the profile's (a pass is sound); if at least as lenient, a lower bound
//     (a fail is sound); with the same parameters both.
// Up->down transitions are not monotone in Lmax (a message that becomes ok can split an outage in
// two), so MTBF needs the engine's Lmax to equal the profile's ('equal' mode).
import type { AvailabilityThreshold, ComplianceAggregate, DowntimeOrigin, ParameterRange } from './types.ts';

export interface Soundness {
  /** The engine's failures are an upper bound on the profile's. */
  readonly pass: boolean;
  /** The engine's failures are a lower bound on the profile's. */
  readonly fail: boolean;
  /** Which parameters differ, for the reason text. */
  readonly notes: readonly string[];
}

/** A profile parameter per window: the flow's own, a fixed range, or unknowable from the aggregate. */
type Required = { readonly kind: 'declared' } | { readonly kind: 'range'; readonly lo: number; readonly hi: number } | { readonly kind: 'unknown' };

const DECLARED: Required = { kind: 'declared' };

function fixed(v: number): Required {
  return { kind: 'range', lo: v, hi: v };
}

/** A duration the profile gives in ns (null: declared by the flow) or in transfer intervals. */
function duration(ns: number | null | undefined, intervals: number | undefined, profileT: number | null, engineT: ParameterRange | null): Required {
  if (intervals === undefined) return ns === null || ns === undefined ? DECLARED : fixed(ns);
  if (profileT !== null) return fixed(intervals * profileT);
  // Relative to the flow's own interval: per window it is intervals * T_window.
  return engineT === null ? { kind: 'unknown' } : { kind: 'range', lo: intervals * engineT.minNs, hi: intervals * engineT.maxNs };
}

function compare(name: string, req: Required, engine: ParameterRange | null, mode: 'monotone' | 'equal', notes: string[]): { pass: boolean; fail: boolean } {
  if (req.kind === 'declared') return { pass: true, fail: true };
  if (req.kind === 'unknown' || engine === null) {
    notes.push(`${name} used by the engine is unknown`);
    return { pass: false, fail: false };
  }
  if (mode === 'equal') {
    const same = engine.minNs === engine.maxNs && req.lo === req.hi && engine.minNs === req.lo;
    if (!same) notes.push(`${name} used by the engine (${engine.minNs}..${engine.maxNs} ns) differs from the profile's (${req.lo}..${req.hi} ns)`);
    return { pass: same, fail: same };
  }
  const pass = engine.maxNs <= req.lo;
  const fail = engine.minNs >= req.hi;
  if (!pass || !fail) notes.push(`${name} used by the engine (${engine.minNs}..${engine.maxNs} ns) differs from the profile's (${req.lo}..${req.hi} ns)`);
  return { pass, fail };
}

function originSoundness(profile: DowntimeOrigin, engine: DowntimeOrigin | null, engineS: ParameterRange | null, notes: string[]): { pass: boolean; fail: boolean } {
  // With S = 0 both origins give the same downtime.
  if (engineS !== null && engineS.maxNs === 0) return { pass: true, fail: true };
  const pass = engine === 'first_failure' || profile === 'survival_expiry';
  const fail = engine === 'survival_expiry' || profile === 'first_failure';
  if (!pass || !fail) notes.push(`downtimeOrigin used by the engine is ${engine ?? 'unknown'}, the profile's is ${profile}`);
  return { pass, fail };
}

/** Deadline counts (reliability, delay at the deadline) against a profile deadline in ns. */
export function deadlineSoundness(profileMaxLatencyNs: number, agg: ComplianceAggregate): Soundness {
  const notes: string[] = [];
  const r = compare('maxLatency', fixed(profileMaxLatencyNs), agg.maxLatencyNs, 'monotone', notes);
  return { ...r, notes };
}

/** Availability (mode 'monotone') or MTBF (mode 'equal' for Lmax) from the engine's counters. */
export function availabilitySoundness(a: AvailabilityThreshold, agg: ComplianceAggregate, lmaxMode: 'monotone' | 'equal'): Soundness {
  const notes: string[] = [];
  const t = compare('transferInterval', a.transferIntervalNs === null ? DECLARED : fixed(a.transferIntervalNs), agg.transferIntervalNs, 'monotone', notes);
  const l = compare('maxLatency', duration(a.maxLatencyNs, a.maxLatencyIntervals, a.transferIntervalNs, agg.transferIntervalNs), agg.maxLatencyNs, lmaxMode, notes);
  const s = compare('survivalTime', duration(a.survivalTimeNs, a.survivalTimeIntervals, a.transferIntervalNs, agg.transferIntervalNs), agg.survivalTimeNs, 'monotone', notes);
  const o = originSoundness(a.downtimeOrigin, agg.downtimeOrigin, agg.survivalTimeNs, notes);
  return { pass: t.pass && l.pass && s.pass && o.pass, fail: t.fail && l.fail && s.fail && o.fail, notes };
}
