// Finished programme audits kept for reuse. A programme audit over 50 000 enterprises reads every
// flow's rollup rows, merges their histograms and evaluates every flow: seconds of work that give
// the same answer until something it was computed from changes. An entry is keyed by everything
// but the data (request, registry content versions, profile catalog, downtime origin, computation
// format) and holds the data fingerprint it was computed from; it is reused only when a fresh
// fingerprint of the same rows (one cheap query, no histograms, no evaluation) is equal. So a
// cached answer is always the answer a full recomputation would give now: late data, a rollup
// refresh, a registry or profile change each make it miss. docs/audit.md "Programme cache".
import type { DataFingerprint } from '../core/compliance/fingerprint.ts';
import type { FlowScope } from './sql.ts';

export interface CachedProgrammeAudit<Body> {
  /** The rows the fingerprint covers: the query scope and the enterprises listed. */
  readonly scope: FlowScope;
  readonly listed: readonly string[];
  readonly data: DataFingerprint;
  readonly body: Body;
}

export interface ProgrammeAuditCache {
  get(key: string): CachedProgrammeAudit<unknown> | undefined;
  set(key: string, value: CachedProgrammeAudit<unknown>): void;
  readonly size: number;
}

/** Least recently used entries are dropped beyond maxEntries (each holds one audit's rows). */
export function createProgrammeAuditCache(maxEntries = 2): ProgrammeAuditCache {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  const entries = new Map<string, CachedProgrammeAudit<unknown>>();
  return {
    get(key) {
      const v = entries.get(key);
      if (v !== undefined) {
        entries.delete(key);
        entries.set(key, v);
      }
      return v;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
}
