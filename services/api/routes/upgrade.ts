// Upgrade validation for a viewer's own enterprise (or one of its sites): baseline vs after. The
// enterprise comes from the credential; site narrows within it and can never widen it.
import { validateUpgrade, type UpgradeRequest } from '../../adapters/clickhouse/upgrade-queries.ts';
import { DEFAULT_ENGINE_CONFIG } from '../../core/engine/config.ts';
import { IsochronError } from '../../core/errors.ts';
import type { RouteContext } from '../app.ts';
import { credentialEnterprise, type ApiRoute } from '../route.ts';
import { AUTH_ERROR_RESPONSES, idSchema, object, profileRefSchema, timestampSchema } from '../schemas.ts';
import { upgradeValidationSchema } from '../schemas-audit.ts';
import { parseRange } from '../time.ts';
import { profileSelector } from './params.ts';

export type UpgradeQuery = { baselineFrom: string; baselineTo: string; afterFrom: string; afterTo: string; site?: string; profile?: string; seed?: string; worstFlows?: string };

export const upgradeQuerySchema = object(
  {
    baselineFrom: timestampSchema('start of the baseline period (before the upgrade), inclusive'),
    baselineTo: timestampSchema('end of the baseline period, exclusive'),
    afterFrom: timestampSchema('start of the after period, inclusive'),
    afterTo: timestampSchema('end of the after period, exclusive'),
    site: idSchema("only this site of the key's enterprise"),
    profile: profileRefSchema,
    seed: { type: 'string', pattern: '^(0|[1-9][0-9]{0,9})$', description: 'bootstrap seed (default 1; same data and seed, same intervals)' },
    worstFlows: { type: 'string', pattern: '^(0|[1-9][0-9]{0,2})$', description: 'flows listed in worstFlows (default 10, at most 100)' },
  },
  ['baselineFrom', 'baselineTo', 'afterFrom', 'afterTo'],
);

/** The one place an upgrade request is built; enterpriseId is always the caller's. */
export function upgradeRequest(ctx: RouteContext, enterpriseId: string, q: UpgradeQuery): UpgradeRequest {
  const baseline = parseRange(q.baselineFrom, q.baselineTo, ctx.maxRangeNs, ['baselineFrom', 'baselineTo']);
  const after = parseRange(q.afterFrom, q.afterTo, ctx.maxRangeNs, ['afterFrom', 'afterTo']);
  const sel = profileSelector(q.profile);
  const entry = sel === undefined ? undefined : ctx.catalog.find(sel.id, sel.version);
  if (sel !== undefined && entry === undefined) throw new IsochronError('AUDIT_PROFILE_UNKNOWN', 'the profile (and version) is not in the catalog; GET /v1/profiles lists them', { parameter: 'profile' });
  const seed = q.seed === undefined ? undefined : Number(q.seed);
  if (seed !== undefined && seed > 0xffffffff) throw new IsochronError('API_BAD_REQUEST', 'seed: must be below 2^32', { parameter: 'seed' });
  return {
    enterpriseId,
    ...(q.site !== undefined ? { siteId: q.site } : {}),
    baseline,
    after,
    ...(seed !== undefined ? { seed } : {}),
    ...(entry !== undefined ? { profile: entry.profile } : {}),
    downtimeOrigin: DEFAULT_ENGINE_CONFIG.downtimeOrigin,
    ...(q.worstFlows !== undefined ? { worstFlows: Number(q.worstFlows) } : {}),
  };
}

export function upgradeRoutes(ctx: RouteContext): ApiRoute[] {
  return [
    {
      method: 'GET',
      url: '/v1/upgrade-validation',
      access: ['viewer'],
      tag: 'enterprise',
      summary: "Upgrade validation of the key's own enterprise: baseline vs after",
      description: 'Every metric with a block-bootstrap interval of the change and a verdict (improved, unchanged, regressed, insufficient_data); with profile, its verdict over each period.',
      schema: { querystring: upgradeQuerySchema, response: { 200: upgradeValidationSchema, ...AUTH_ERROR_RESPONSES } },
      handler: async (req) => validateUpgrade(ctx.ch, upgradeRequest(ctx, credentialEnterprise(req), req.query as UpgradeQuery)),
    },
  ];
}
