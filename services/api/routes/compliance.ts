// A viewer's own enterprise: compliance over a period. The enterprise comes from the
// credential, never from a parameter: the route has no enterprise parameter at all, and an
// unknown query key (enterpriseId=...) is a 400 (app.ts).
import { enterpriseCompliance } from '../../compliance/index.ts';
import type { RouteContext } from '../app.ts';
import { credentialEnterprise, type ApiRoute } from '../route.ts';
import { AUTH_ERROR_RESPONSES, object } from '../schemas.ts';
import { enterpriseComplianceSchema } from '../schemas-audit.ts';
import { asOf, asOfParam, failedWindowsLimit, failedWindowsParam, period, periodParams, profileParam, profileSelector } from './params.ts';

export type ComplianceQuery = { from: string; to: string; profile?: string; asOf?: string; failedWindowsLimit?: string };

export const complianceQuerySchema = object({ ...periodParams, ...profileParam, ...asOfParam, ...failedWindowsParam }, ['from', 'to']);

/** The one place an enterprise-scoped compliance request is built (viewer and auditor drill-down). */
export function complianceFor(ctx: RouteContext, enterpriseId: string, q: ComplianceQuery) {
  const { fromNs, toNs } = period(ctx, q);
  return enterpriseCompliance(ctx.ch, ctx.catalog, ctx.registry, {
    enterpriseId,
    fromNs,
    toNs,
    profile: profileSelector(q.profile),
    asOf: asOf(q),
    failedWindowsLimit: failedWindowsLimit(q),
  });
}

export function complianceRoutes(ctx: RouteContext): ApiRoute[] {
  return [
    {
      method: 'GET',
      url: '/v1/compliance',
      access: ['viewer'],
      tag: 'enterprise',
      summary: "Compliance of the key's own enterprise over a period",
      description: 'The enterprise is the one the viewer key is bound to. Every flow is judged by the profile in the request, else by its assignment in force as of the registry version; sites, devices and the enterprise take the worst of their flows.',
      schema: { querystring: complianceQuerySchema, response: { 200: enterpriseComplianceSchema, ...AUTH_ERROR_RESPONSES } },
      handler: async (req) => complianceFor(ctx, credentialEnterprise(req), req.query as ComplianceQuery),
    },
  ];
}
