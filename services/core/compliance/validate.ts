// Schema of a profile file (docs/profiles.md). profileFileProblems() lists every problem of a
// parsed file, each with its JSON path and the fix; validateProfileFile() throws them all in one
// ISO_PROFILE_INVALID error or returns the file deep-frozen. Unknown keys are rejected: a typo in
// an audit profile must not silently drop a threshold.
import { IsochronError } from '../errors.ts';
import { decimalRational, MAX_DECIMALS } from './rational.ts';
import { PROFILE_FORMAT, THRESHOLD_KINDS, type ProfileFile, type ThresholdKind } from './types.ts';

const ID_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const MAX_ID = 100;
const MAX_TEXT = 2000;
/** Keeps sums of ns parameters exact in a Number (as the engine config does). */
const NS_LIMIT = 2 ** 50;
const STATUSES = new Set(['V', 'S', 'U', 'D']);

type Obj = Record<string, unknown>;
/** Returns the fix when the value is wrong, else null. */
type Check = (v: unknown) => string | null;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : String(v));

const text: Check = (v) => (typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_TEXT ? null : `use a non-empty string of at most ${MAX_TEXT} characters`);
const id: Check = (v) => (typeof v === 'string' && v.length <= MAX_ID && ID_PATTERN.test(v) ? null : 'use lower-case letters and digits separated by single "-" or ".", at most 100 characters');
const int = (min: number, max: number, hint: string): Check => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : hint);
const nsPositive = int(1, NS_LIMIT, 'use a positive integer number of ns (1 ms = 1000000)');
const nsNonNegative = int(0, NS_LIMIT, 'use a non-negative integer number of ns (1 ms = 1000000)');
const nsOrDeclared: Check = (v) => (v === null ? null : nsPositive(v) === null ? null : 'use a positive integer number of ns, or null for the value the flow declares');
const fraction = (example: string): Check => (v) => {
  if (typeof v !== 'number' || !(v > 0 && v < 1) || decimalRational(v) === null) {
    return `use a number strictly between 0 and 1 with at most ${MAX_DECIMALS} decimals, e.g. ${example}`;
  }
  return null;
};
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `use one of ${values.map((x) => `'${x}'`).join(', ')}`);
const intervals = int(1, 1000, 'use a whole number of transfer intervals, 1 .. 1000');

interface Field {
  readonly check: Check;
  readonly required: boolean;
}
const req = (check: Check): Field => ({ check, required: true });
const opt = (check: Check): Field => ({ check, required: false });

/** Value fields of each threshold ("status" and "note" are common to all). */
const THRESHOLD_FIELDS: Record<ThresholdKind, Record<string, Field>> = {
  delay: { statistic: req(oneOf('quantile', 'max', 'mean')), quantile: opt(fraction('0.999')), maxLatencyNs: req(nsPositive) },
  pdv: { statistic: req(oneOf('quantile', 'max')), quantile: opt(fraction('0.999')), maxPdvNs: req(nsPositive) },
  reliability: { target: req(fraction('0.99999')), maxLatencyNs: req(nsPositive) },
  availability: {
    target: req(fraction('0.999999')),
    transferIntervalNs: req(nsOrDeclared),
    maxLatencyNs: opt(nsOrDeclared),
    maxLatencyIntervals: opt(intervals),
    survivalTimeNs: opt(nsNonNegative),
    survivalTimeIntervals: opt(intervals),
    downtimeOrigin: req(oneOf('survival_expiry', 'first_failure')),
  },
  mtbf: { minMtbfS: req(int(1, 10_000_000_000, 'use a positive whole number of seconds (1 day = 86400)')) },
  lossBurst: { maxConsecutiveLosses: req(int(0, 1_000_000, 'use a non-negative whole number of packets')) },
  lossRatio: { maxLossRatio: req(fraction('0.001')) },
  errorRatio: { maxErrorRatio: req(fraction('0.0001')) },
};

/** Thresholds whose bound is a failure fraction: they set the evidence needed by the others. */
const RATIO_KINDS: ReadonlySet<ThresholdKind> = new Set(['reliability', 'availability', 'lossRatio', 'errorRatio']);

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
  /** Rejects keys outside `known`; returns false when v is not an object. */
  object(path: string, v: unknown, known: readonly string[]): v is Obj {
    if (!isObj(v)) {
      this.add(path, `got ${show(v)}; use an object`);
      return false;
    }
    for (const k of Object.keys(v)) {
      if (!known.includes(k)) this.add(`${path}.${k}`, `unknown key; remove it or check the spelling (known: ${known.join(', ')})`);
    }
    return true;
  }
  field(path: string, o: Obj, key: string, f: Field): void {
    if (!(key in o)) {
      if (f.required) this.add(`${path}.${key}`, 'missing');
      return;
    }
    const fix = f.check(o[key]);
    if (fix !== null) this.add(`${path}.${key}`, `got ${show(o[key])}; ${fix}`);
  }
}

function checkThreshold(p: Problems, path: string, kind: ThresholdKind, v: unknown): void {
  const fields = THRESHOLD_FIELDS[kind];
  const valueKeys = Object.keys(fields);
  if (!p.object(path, v, [...valueKeys, 'status', 'note'])) return;
  for (const [k, f] of Object.entries(fields)) p.field(path, v, k, f);
  if ('note' in v) p.field(path, v, 'note', req(text));

  if (kind === 'delay' || kind === 'pdv') {
    if (v.statistic === 'quantile' && !('quantile' in v)) p.add(`${path}.quantile`, "missing; statistic 'quantile' needs the level, e.g. 0.999");
    if (v.statistic !== 'quantile' && 'quantile' in v) p.add(`${path}.quantile`, `only allowed with statistic 'quantile'; remove it (statistic is ${show(v.statistic)})`);
  }
  if (kind === 'availability') {
    for (const name of ['maxLatency', 'survivalTime']) {
      const inNs = `${name}Ns` in v;
      const inIntervals = `${name}Intervals` in v;
      if (inNs === inIntervals) p.add(`${path}.${name}Ns`, `give exactly one of ${name}Ns and ${name}Intervals`);
    }
  }

  // Every value carries its verification status; a status without a value is a leftover.
  const present = valueKeys.filter((k) => k in v);
  if (!isObj(v.status)) {
    p.add(`${path}.status`, `got ${show(v.status)}; use an object giving 'V', 'S', 'U' or 'D' for each of ${present.join(', ')}`);
    return;
  }
  for (const k of present) {
    if (!(k in v.status)) p.add(`${path}.status.${k}`, "missing; give the value's status: 'V', 'S', 'U' or 'D' (shared/METRICS.md tags)");
  }
  for (const [k, s] of Object.entries(v.status)) {
    if (!present.includes(k)) p.add(`${path}.status.${k}`, `no such value in this threshold; remove it (values: ${present.join(', ')})`);
    else if (typeof s !== 'string' || !STATUSES.has(s)) p.add(`${path}.status.${k}`, `got ${show(s)}; use 'V', 'S', 'U' or 'D'`);
  }
}

function checkProfile(p: Problems, path: string, v: unknown): void {
  if (!p.object(path, v, ['id', 'version', 'title', 'useCase', 'source', 'minimumSamples', 'note', 'thresholds'])) return;
  p.field(path, v, 'id', req(id));
  p.field(path, v, 'version', req(int(1, 1_000_000, 'use a positive whole number; raise it whenever a value changes')));
  p.field(path, v, 'title', req(text));
  p.field(path, v, 'useCase', req(text));
  p.field(path, v, 'minimumSamples', opt(int(1, Number.MAX_SAFE_INTEGER, 'use a positive whole number of packets')));
  p.field(path, v, 'note', opt(text));
  if (!('source' in v)) p.add(`${path}.source`, 'missing; give standard, section and status');
  else if (p.object(`${path}.source`, v.source, ['standard', 'section', 'url', 'status'])) {
    p.field(`${path}.source`, v.source, 'standard', req(text));
    p.field(`${path}.source`, v.source, 'section', req(text));
    p.field(`${path}.source`, v.source, 'url', opt((u) => (typeof u === 'string' && /^https?:\/\/\S+$/.test(u) ? null : 'use an http(s) URL')));
    p.field(`${path}.source`, v.source, 'status', req(oneOf('V', 'S', 'U', 'D')));
  }
  if (!('thresholds' in v)) {
    p.add(`${path}.thresholds`, 'missing');
    return;
  }
  const t = v.thresholds;
  if (!p.object(`${path}.thresholds`, t, THRESHOLD_KINDS)) return;
  const kinds = THRESHOLD_KINDS.filter((k) => k in t);
  if (kinds.length === 0) p.add(`${path}.thresholds`, `empty; give at least one of ${THRESHOLD_KINDS.join(', ')}`);
  for (const k of kinds) checkThreshold(p, `${path}.thresholds.${k}`, k, t[k]);
  if ('mtbf' in t && !('availability' in t)) {
    p.add(`${path}.thresholds.mtbf`, 'needs an availability threshold in the same profile (its parameters define a failure)');
  }
  const hasRatio = kinds.some((k) => RATIO_KINDS.has(k) || (isObj(t[k]) && (t[k] as Obj).statistic === 'quantile'));
  const needsEvidence = kinds.some((k) => !RATIO_KINDS.has(k) && k !== 'mtbf' && !(isObj(t[k]) && (t[k] as Obj).statistic === 'quantile'));
  if (needsEvidence && !hasRatio && !('minimumSamples' in v)) {
    p.add(`${path}.minimumSamples`, 'missing; no threshold has a ratio target to derive the minimum data from, so state it (e.g. 3000 = rule of three at 0.1 %)');
  }
}

/** Every problem of a parsed profile file; empty when it is valid. */
export function profileFileProblems(input: unknown): string[] {
  const p = new Problems();
  if (!p.object('$', input, ['format', 'family', 'title', 'profiles'])) return p.list;
  if (input.format !== PROFILE_FORMAT) p.add('$.format', `got ${show(input.format)}; use "${PROFILE_FORMAT}"`);
  p.field('$', input, 'family', req(id));
  p.field('$', input, 'title', req(text));
  if (!Array.isArray(input.profiles) || input.profiles.length === 0) {
    p.add('$.profiles', `got ${show(input.profiles)}; use a non-empty array of profiles`);
    return p.list;
  }
  const seen = new Map<string, number>();
  input.profiles.forEach((prof, i) => {
    checkProfile(p, `$.profiles[${i}]`, prof);
    if (isObj(prof) && typeof prof.id === 'string' && typeof prof.version === 'number') {
      const key = `${prof.id}@${prof.version}`;
      const first = seen.get(key);
      if (first !== undefined) p.add(`$.profiles[${i}]`, `${key} repeats $.profiles[${first}]; raise the version of the newer one`);
      else seen.set(key, i);
    }
  });
  return p.list;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Validated, deep-frozen profile file; throws ISO_PROFILE_INVALID naming every problem. */
export function validateProfileFile(input: unknown, origin = 'profile file'): ProfileFile {
  const problems = profileFileProblems(input);
  if (problems.length > 0) {
    throw new IsochronError('PROFILE_INVALID', `${origin}: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`, { origin, problems });
  }
  return deepFreeze(structuredClone(input) as ProfileFile);
}
