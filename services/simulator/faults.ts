// Fault schedules: what goes wrong, where, and when (in ns after the simulation's origin).
// Pure data plus validation; generate.ts applies them and records a ledger of every injection.
import { IsochronError } from '../core/errors.ts';
import type { DeviceModel, Fleet, FlowModel } from './fleet.ts';

export const FAULT_KINDS = ['loss_burst', 'jitter_spike', 'degrading_cell', 'clock_desync', 'late_delivery', 'out_of_order', 'duplicates', 'malformed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Every given field must match (an empty target matches the whole fleet). */
export interface FaultTarget {
  readonly enterpriseId?: string;
  readonly segmentId?: string;
  readonly deviceId?: string;
  readonly flowId?: string;
}

export const MALFORMED_CORRUPTIONS = ['truncate', 'bad_version'] as const;
export type MalformedCorruption = (typeof MALFORMED_CORRUPTIONS)[number];

/** Parameters per kind, with their defaults (docs/simulator.md explains each). */
export const FAULT_PARAM_DEFAULTS = {
  /** Each packet sent in the interval is lost with `probability`. */
  loss_burst: { probability: 1 },
  /** Each packet gets an extra delay uniform in [0, extraDelayNs). */
  jitter_spike: { extraDelayNs: 5_000_000 },
  /** Grows linearly from nothing at startNs to full strength at endNs: body delay x delayFactor, plus loss and HARQ probability. */
  degrading_cell: { delayFactor: 20, extraLossProbability: 0.05, extraHarqProbability: 0.3 },
  /** Device clock off by offsetNs + driftPpm * 1e-6 * (t - startNs): reported delay = true delay - offset; unsynced clears CLOCK_SYNCED. */
  clock_desync: { offsetNs: 3_000_000, driftPpm: 0, unsynced: 0 },
  /** Batches of the interval's steps are delivered holdNs after their step ends. */
  late_delivery: { holdNs: 10_000_000_000 },
  /** A packet is held back with `probability` so it arrives after the next displacementPackets packets. */
  out_of_order: { probability: 0.05, displacementPackets: 3 },
  /** A received packet is reported twice with `probability` (the copy 10 us later). */
  duplicates: { probability: 0.02 },
  /** A batch is corrupted with `probability`; corruption 0 = truncate (ISO_WIRE_TRUNCATED), 1 = bad_version (ISO_WIRE_BAD_VERSION). */
  malformed: { probability: 1, corruption: 0 },
} as const satisfies Record<FaultKind, Record<string, number>>;

export type FaultParams<K extends FaultKind = FaultKind> = { readonly [P in keyof (typeof FAULT_PARAM_DEFAULTS)[K]]: number };

export interface FaultEntry {
  readonly kind: FaultKind;
  readonly target: FaultTarget;
  /** ns after the origin (within one period when the schedule repeats). */
  readonly startNs: number;
  readonly endNs: number;
  /** Missing keys take FAULT_PARAM_DEFAULTS[kind]. */
  readonly params?: Readonly<Record<string, number>>;
}

export interface FaultSchedule {
  /** > 0: the schedule repeats every periodNs (every entry must end by then); 0: once. */
  readonly periodNs: number;
  readonly faults: readonly FaultEntry[];
}

/** A validated entry with complete parameters. */
export interface ResolvedFault {
  readonly index: number;
  readonly kind: FaultKind;
  readonly target: FaultTarget;
  readonly startNs: number;
  readonly endNs: number;
  readonly params: Readonly<Record<string, number>>;
}

export interface ResolvedSchedule {
  readonly periodNs: number;
  readonly faults: readonly ResolvedFault[];
}

export const NO_FAULTS: FaultSchedule = { periodNs: 0, faults: [] };

const DEVICE_LEVEL: ReadonlySet<FaultKind> = new Set(['late_delivery', 'malformed', 'clock_desync']);
const TARGET_KEYS = ['enterpriseId', 'segmentId', 'deviceId', 'flowId'];
const PROBABILITY_KEYS = new Set(['probability', 'extraLossProbability', 'extraHarqProbability']);

function problemsOf(schedule: unknown): { problems: string[]; resolved: ResolvedSchedule | null } {
  const problems: string[] = [];
  if (schedule === null || typeof schedule !== 'object') return { problems: ['the schedule must be an object {periodNs, faults: [...]}'], resolved: null };
  const s = schedule as Record<string, unknown>;
  for (const k of Object.keys(s)) if (k !== 'periodNs' && k !== 'faults') problems.push(`unknown key "${k}" (known: periodNs, faults)`);
  const periodNs = s.periodNs ?? 0;
  if (typeof periodNs !== 'number' || !Number.isSafeInteger(periodNs) || periodNs < 0) problems.push('periodNs: expected a non-negative integer (0 = no repeat)');
  if (!Array.isArray(s.faults)) return { problems: [...problems, 'faults: expected an array'], resolved: null };
  const faults: ResolvedFault[] = [];
  s.faults.forEach((raw: unknown, index: number) => {
    const where = `faults[${index}]`;
    if (raw === null || typeof raw !== 'object') return problems.push(`${where}: expected an object`);
    const f = raw as Record<string, unknown>;
    for (const k of Object.keys(f)) if (!['kind', 'target', 'startNs', 'endNs', 'params'].includes(k)) problems.push(`${where}: unknown key "${k}"`);
    if (!FAULT_KINDS.includes(f.kind as FaultKind)) return problems.push(`${where}.kind: got ${JSON.stringify(f.kind)}, expected one of ${FAULT_KINDS.join(', ')}`);
    const kind = f.kind as FaultKind;
    const target = (f.target ?? {}) as Record<string, unknown>;
    if (typeof target !== 'object' || target === null) problems.push(`${where}.target: expected an object`);
    for (const [k, v] of Object.entries(target)) {
      if (!TARGET_KEYS.includes(k)) problems.push(`${where}.target: unknown key "${k}" (known: ${TARGET_KEYS.join(', ')})`);
      else if (typeof v !== 'string' || v === '') problems.push(`${where}.target.${k}: expected a non-empty string`);
    }
    if (DEVICE_LEVEL.has(kind) && target.flowId !== undefined) problems.push(`${where}.target.flowId: ${kind} acts on whole devices; remove flowId`);
    const { startNs, endNs } = f;
    if (typeof startNs !== 'number' || !Number.isSafeInteger(startNs) || startNs < 0) problems.push(`${where}.startNs: expected a non-negative integer (ns after the origin)`);
    if (typeof endNs !== 'number' || !Number.isSafeInteger(endNs) || (typeof startNs === 'number' && endNs <= startNs)) problems.push(`${where}.endNs: expected an integer above startNs`);
    if (typeof periodNs === 'number' && periodNs > 0 && typeof endNs === 'number' && endNs > periodNs) problems.push(`${where}.endNs: ${endNs} is past periodNs ${periodNs}`);
    const defaults: Record<string, number> = FAULT_PARAM_DEFAULTS[kind];
    const given = (f.params ?? {}) as Record<string, unknown>;
    const params: Record<string, number> = { ...defaults };
    for (const [k, v] of Object.entries(given)) {
      if (!(k in defaults)) problems.push(`${where}.params: unknown key "${k}" for ${kind} (known: ${Object.keys(defaults).join(', ')})`);
      else if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${where}.params.${k}: expected a number`);
      else if (PROBABILITY_KEYS.has(k) && (v < 0 || v > 1)) problems.push(`${where}.params.${k}: ${v} is not a probability in [0, 1]`);
      else params[k] = v;
    }
    if (kind === 'malformed' && !(params.corruption === 0 || params.corruption === 1)) problems.push(`${where}.params.corruption: 0 (truncate) or 1 (bad_version)`);
    if (kind === 'late_delivery' && !(params.holdNs > 0)) problems.push(`${where}.params.holdNs: expected a positive ns value`);
    if (kind === 'out_of_order' && !(Number.isInteger(params.displacementPackets) && params.displacementPackets >= 1)) problems.push(`${where}.params.displacementPackets: expected an integer >= 1`);
    if (kind === 'degrading_cell' && !(params.delayFactor >= 1)) problems.push(`${where}.params.delayFactor: expected >= 1`);
    faults.push({ index, kind, target: Object.freeze({ ...(target as FaultTarget) }), startNs: startNs as number, endNs: endNs as number, params: Object.freeze(params) });
  });
  return { problems, resolved: problems.length === 0 ? { periodNs: periodNs as number, faults } : null };
}

/** Validates a schedule (for example parsed from JSON); throws ISO_CONFIG_INVALID listing every problem. */
export function resolveSchedule(schedule: unknown): ResolvedSchedule {
  const { problems, resolved } = problemsOf(schedule);
  if (resolved === null) throw new IsochronError('CONFIG_INVALID', `fault schedule: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`, { problems });
  return resolved;
}

export function targetMatchesDevice(t: FaultTarget, d: DeviceModel): boolean {
  const id = d.identity;
  return (t.enterpriseId === undefined || t.enterpriseId === id.enterpriseId)
    && (t.segmentId === undefined || t.segmentId === id.segmentId)
    && (t.deviceId === undefined || t.deviceId === id.deviceId);
}

export function targetMatchesFlow(t: FaultTarget, d: DeviceModel, f: FlowModel): boolean {
  return targetMatchesDevice(t, d) && (t.flowId === undefined || t.flowId === f.flowId);
}

/** One occurrence of a fault in relative time [startNs, endNs). */
export interface FaultWindow {
  readonly fault: ResolvedFault;
  readonly startNs: number;
  readonly endNs: number;
}

/** The occurrences of `faults` overlapping relative time [fromNs, toNs). */
export function occurrences(schedule: ResolvedSchedule, faults: readonly ResolvedFault[], fromNs: number, toNs: number): FaultWindow[] {
  const out: FaultWindow[] = [];
  const P = schedule.periodNs;
  for (const f of faults) {
    if (P <= 0) {
      if (f.startNs < toNs && f.endNs > fromNs) out.push({ fault: f, startNs: f.startNs, endNs: f.endNs });
      continue;
    }
    for (let k = Math.max(0, Math.floor((fromNs - f.endNs) / P)); k * P + f.startNs < toNs; k++) {
      const s = k * P + f.startNs;
      const e = k * P + f.endNs;
      if (e > fromNs) out.push({ fault: f, startNs: s, endNs: e });
    }
  }
  return out;
}

const S = 1_000_000_000;

/**
 * The demo schedule `npm start` runs: every kind once in each 10-minute period, on devices of
 * the first enterprises (entries whose kind of device the fleet lacks are left out).
 */
export function demoSchedule(fleet: Fleet): FaultSchedule {
  const byKind = (kind: string, skip = 0) => fleet.devices.filter((d) => d.kind === kind)[skip];
  const urllc = byKind('urllc');
  const tsn = byKind('tsn');
  const embb = byKind('embb');
  const other5g = byKind('urllc', 1) ?? urllc;
  const otherTsn = byKind('tsn', 1) ?? tsn;
  const faults: FaultEntry[] = [];
  const add = (d: DeviceModel | undefined, f: (d: DeviceModel) => FaultEntry) => {
    if (d !== undefined) faults.push(f(d));
  };
  add(urllc, (d) => ({ kind: 'loss_burst', target: { deviceId: d.identity.deviceId, flowId: d.flows[0].flowId }, startNs: 30 * S, endNs: 32 * S }));
  add(tsn, (d) => ({ kind: 'jitter_spike', target: { segmentId: d.identity.segmentId }, startNs: 60 * S, endNs: 75 * S, params: { extraDelayNs: 200_000 } }));
  add(urllc, (d) => ({ kind: 'degrading_cell', target: { segmentId: d.identity.segmentId }, startNs: 90 * S, endNs: 330 * S, params: { delayFactor: 50 } }));
  add(other5g, (d) => ({ kind: 'clock_desync', target: { deviceId: d.identity.deviceId }, startNs: 120 * S, endNs: 180 * S, params: { offsetNs: 3_000_000, driftPpm: 20 } }));
  add(otherTsn, (d) => ({ kind: 'late_delivery', target: { deviceId: d.identity.deviceId }, startNs: 150 * S, endNs: 152 * S, params: { holdNs: 10 * S } }));
  add(embb, (d) => ({ kind: 'out_of_order', target: { deviceId: d.identity.deviceId }, startNs: 40 * S, endNs: 55 * S }));
  add(urllc, (d) => ({ kind: 'duplicates', target: { deviceId: d.identity.deviceId }, startNs: 240 * S, endNs: 260 * S }));
  add(tsn, (d) => ({ kind: 'malformed', target: { deviceId: d.identity.deviceId }, startNs: 270 * S, endNs: 272 * S }));
  return { periodNs: 600 * S, faults };
}
