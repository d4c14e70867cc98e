// The OpenAPI 3.1 document, generated from the same route objects fastify validates with
// (route.ts), so the description cannot drift from what the API accepts. Served at
// GET /openapi.json without a credential.
import { ERRORS } from '../core/errors.ts';
import type { ApiRoute } from './route.ts';
import type { JsonSchema } from './schemas.ts';

/** /v1/profiles/:profileId -> /v1/profiles/{profileId} */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(where: 'path' | 'query', schema: JsonSchema | undefined): JsonSchema[] {
  if (schema === undefined) return [];
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: `bad request (${ERRORS.API_BAD_REQUEST.code}, ${ERRORS.REGISTRY_INVALID.code})`,
  401: `no or invalid API key (${ERRORS.AUTH_MISSING.code}, ${ERRORS.AUTH_INVALID.code})`,
  403: `the key's role may not use this route (${ERRORS.AUTH_FORBIDDEN.code})`,
  404: `not found (${ERRORS.API_NOT_FOUND.code})`,
  500: `internal error (${ERRORS.API_INTERNAL.code}, ${ERRORS.CLICKHOUSE_BAD_DATA.code})`,
  503: `not ready or ClickHouse unavailable (retriable)`,
};

export function buildOpenApi(routes: readonly ApiRoute[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) {
    const responses: Record<string, JsonSchema> = {};
    if (r.produces) {
      responses[String(r.produces.status)] = { description: r.produces.description, content: { [r.produces.mediaType]: { schema: r.produces.schema ?? { type: 'string' } } } };
    }
    for (const [status, schema] of Object.entries(r.schema.response)) {
      responses[status] = { description: (schema.description as string | undefined) ?? STATUS_TEXT[Number(status)] ?? 'answer', content: { 'application/json': { schema } } };
    }
    const op: JsonSchema = {
      operationId: `${r.method.toLowerCase()}${openApiPath(r.url).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      parameters: [...parameters('path', r.schema.params), ...parameters('query', r.schema.querystring)],
      ...(r.schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.schema.body } } } } : {}),
      responses,
      security: r.access === 'public' ? [] : [{ apiKey: [] }],
      'x-isochron-roles': r.access === 'public' ? [] : [...r.access],
    };
    const path = openApiPath(r.url);
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'isochron query API: compliance, upgrade validation, programme audit, reports and the registry (docs/api.md).' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer iso_<keyId>_<secret> (docs/api.md, Roles)' } },
    },
    paths,
  };
}
