// Which rollup rows cover an audit period. Audits read the 1 h and 1 d rollups (docs/rollups.md),
// so a period must start and end on whole UTC hours; whole UTC days inside it are read from the
// 1 d table (30 rows per flow for a month instead of 720) and the partial days at either end from
// the 1 h table. Both tables hold the same sums for the same windows, so the split changes the
// cost of a query, never its verdict. docs/audit.md "Period".
import { IsochronError } from '../errors.ts';

export const HOUR_NS = 3_600_000_000_000n;
export const DAY_NS = 24n * HOUR_NS;
/** Longest audit period: ten years of days. */
export const MAX_AUDIT_DAYS = 3_660n;

export interface RollupSlice {
  readonly period: '1h' | '1d';
  /** Rows whose period starts in [fromNs, toNs). */
  readonly fromNs: bigint;
  readonly toNs: bigint;
}

/** Checks the period and splits it into 1 h and 1 d slices, in time order. */
export function auditSlices(fromNs: bigint, toNs: bigint): RollupSlice[] {
  const problems: string[] = [];
  if (fromNs < 0n) problems.push(`fromNs ${fromNs} is negative`);
  if (toNs <= fromNs) problems.push(`toNs ${toNs} must be after fromNs ${fromNs}`);
  if (fromNs % HOUR_NS !== 0n) problems.push(`fromNs ${fromNs} is not a whole UTC hour (audits read hourly rollups): use ${fromNs - (((fromNs % HOUR_NS) + HOUR_NS) % HOUR_NS)}`);
  if (toNs % HOUR_NS !== 0n) problems.push(`toNs ${toNs} is not a whole UTC hour (audits read hourly rollups): use ${toNs + ((HOUR_NS - (toNs % HOUR_NS)) % HOUR_NS)}`);
  if (toNs - fromNs > MAX_AUDIT_DAYS * DAY_NS) problems.push(`the period is longer than ${MAX_AUDIT_DAYS} days`);
  if (problems.length > 0) throw new IsochronError('AUDIT_PERIOD_INVALID', `audit period: ${problems.join('; ')}`, { fromNs: fromNs.toString(), toNs: toNs.toString(), problems });
  const firstDay = ((fromNs + DAY_NS - 1n) / DAY_NS) * DAY_NS;
  const lastDay = (toNs / DAY_NS) * DAY_NS;
  if (firstDay >= lastDay) return [{ period: '1h', fromNs, toNs }];
  const out: RollupSlice[] = [];
  if (fromNs < firstDay) out.push({ period: '1h', fromNs, toNs: firstDay });
  out.push({ period: '1d', fromNs: firstDay, toNs: lastDay });
  if (lastDay < toNs) out.push({ period: '1h', fromNs: lastDay, toNs });
  return out;
}
