// Query parameters shared by the compliance and audit routes, and their conversion to the
// request types of services/compliance. Values are validated by the route schemas first; these
// functions only convert (and check what a pattern cannot: dates, ranges, UInt64 bounds).
import { IsochronError } from '../../core/errors.ts';
import type { ProfileSelector } from '../../compliance/index.ts';
import type { RouteContext } from '../app.ts';
import { parseRange } from '../time.ts';
import { profileRefSchema, timestampSchema, versionSchema, type JsonSchema } from '../schemas.ts';

const U64_MAX = (1n << 64n) - 1n;

export const periodParams: Record<string, JsonSchema> = {
  from: timestampSchema('start of the period, inclusive; a whole UTC hour'),
  to: timestampSchema('end of the period, exclusive; a whole UTC hour'),
};
export const asOfParam: Record<string, JsonSchema> = { asOf: versionSchema('registry version to read enterprises and assignments as of (default: current)') };
export const profileParam: Record<string, JsonSchema> = { profile: profileRefSchema };
export const failedWindowsParam: Record<string, JsonSchema> = {
  failedWindowsLimit: { type: 'string', pattern: '^(0|[1-9][0-9]{0,4})$', description: 'most failed windows listed (default 100, at most 10000); the total is always counted' },
};

export interface PeriodQuery {
  readonly from: string;
  readonly to: string;
}

export function period(ctx: RouteContext, q: PeriodQuery): { fromNs: bigint; toNs: bigint } {
  return parseRange(q.from, q.to, ctx.maxRangeNs);
}

export function asOf(q: { asOf?: string }): bigint | undefined {
  if (q.asOf === undefined) return undefined;
  const v = BigInt(q.asOf);
  if (v > U64_MAX) throw new IsochronError('API_BAD_REQUEST', 'asOf: larger than a registry version can be', { parameter: 'asOf' });
  return v;
}

/** "id" or "id@version". */
export function profileSelector(ref: string | undefined): ProfileSelector | undefined {
  if (ref === undefined) return undefined;
  const at = ref.indexOf('@');
  return at < 0 ? { id: ref } : { id: ref.slice(0, at), version: Number(ref.slice(at + 1)) };
}

export function failedWindowsLimit(q: { failedWindowsLimit?: string }): number | undefined {
  return q.failedWindowsLimit === undefined ? undefined : Number(q.failedWindowsLimit);
}
