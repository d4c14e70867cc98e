// The requirement profile catalog (profiles/*.json): public reference data, the same for every
// tenant, readable by every role that reads results (viewer, auditor, admin).
import { IsochronError } from '../../core/errors.ts';
import type { LoadedProfile } from '../../adapters/profiles/load.ts';
import type { RouteContext } from '../app.ts';
import type { ApiRoute } from '../route.ts';
import { AUTH_ERROR_RESPONSES, object, type JsonSchema } from '../schemas.ts';

export const PROFILE_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,127}$';

const summary: JsonSchema = object(
  {
    id: { type: 'string' },
    version: { type: 'integer' },
    title: { type: 'string' },
    useCase: { type: 'string' },
    family: { type: 'string', description: 'the file profiles/<family>.json' },
    contentHash: { type: 'string', description: 'sha256 of the canonical JSON: names the exact thresholds an audit used' },
    source: object({ standard: { type: 'string' }, section: { type: 'string' }, url: { type: 'string' }, status: { type: 'string', enum: ['V', 'S', 'U', 'D'] } }, ['standard', 'section', 'status']),
  },
  ['id', 'version', 'title', 'useCase', 'family', 'contentHash', 'source'],
);

const full: JsonSchema = object(
  {
    ...(summary.properties as Record<string, JsonSchema>),
    minimumSamples: { type: 'integer' },
    note: { type: 'string' },
    thresholds: { type: 'object', additionalProperties: true, description: 'as in profiles/*.json (docs/profiles.md)' },
    versions: { type: 'array', items: { type: 'integer' }, description: 'every version of this id in the catalog' },
  },
  ['id', 'version', 'title', 'useCase', 'family', 'contentHash', 'source', 'thresholds', 'versions'],
);

function toSummary(p: LoadedProfile) {
  return { id: p.profile.id, version: p.profile.version, title: p.profile.title, useCase: p.profile.useCase, family: p.family, contentHash: p.contentHash, source: p.profile.source };
}

export function profileRoutes(ctx: RouteContext): ApiRoute[] {
  const roles = ['viewer', 'auditor', 'admin'] as const;
  return [
    {
      method: 'GET',
      url: '/v1/profiles',
      access: roles,
      tag: 'profiles',
      summary: 'Every requirement profile version in the catalog',
      schema: { response: { 200: object({ profiles: { type: 'array', items: summary } }, ['profiles']), ...AUTH_ERROR_RESPONSES } },
      handler: async () => ({ profiles: ctx.catalog.profiles.map(toSummary) }),
    },
    {
      method: 'GET',
      url: '/v1/profiles/:profileId',
      access: roles,
      tag: 'profiles',
      summary: 'One profile with its thresholds (latest version unless ?version=)',
      schema: {
        params: object({ profileId: { type: 'string', pattern: PROFILE_ID_PATTERN, description: 'profile id' } }, ['profileId']),
        querystring: object({ version: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: 'profile version (default: latest)' } }),
        response: { 200: full, ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req) => {
        const { profileId } = req.params as { profileId: string };
        const { version } = req.query as { version?: string };
        const p = ctx.catalog.find(profileId, version === undefined ? undefined : Number(version));
        if (p === undefined) throw new IsochronError('API_NOT_FOUND', 'no such profile (or version) in the catalog; GET /v1/profiles lists them');
        const versions = ctx.catalog.profiles.filter((q) => q.profile.id === profileId).map((q) => q.profile.version);
        return { ...toSummary(p), ...(p.profile.minimumSamples !== undefined ? { minimumSamples: p.profile.minimumSamples } : {}), ...(p.profile.note ? { note: p.profile.note } : {}), thresholds: p.profile.thresholds, versions };
      },
    },
  ];
}
