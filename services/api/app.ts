// The query API as an app factory that never listens by itself (main.ts does): tests drive it
// with inject() or a real port. Every route is declared in routes/ with its schemas and the
// roles allowed; one onRequest hook authenticates every non-public route before validation or
// any handler runs, so a request without a valid credential learns nothing but 401/403.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import client from 'prom-client';
import { registerProcessMetrics } from '../adapters/metrics/process-metrics.ts';
import { ERRORS, IsochronError, isIsochronError, type ErrorName } from '../core/errors.ts';
import type { Principal } from '../core/tenancy/types.ts';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import type { LoadedCatalog } from '../adapters/profiles/load.ts';
import type { Registry } from '../adapters/tenancy/registry.ts';
import { buildOpenApi } from './openapi.ts';
import type { ApiRoute } from './route.ts';
import { object } from './schemas.ts';
import { adminRoutes } from './routes/admin.ts';
import { complianceRoutes } from './routes/compliance.ts';
import { healthRoutes } from './routes/health.ts';
import { profileRoutes } from './routes/profiles.ts';
import { programmeRoutes } from './routes/programme.ts';
import { reportRoutes } from './routes/reports.ts';
import { upgradeRoutes } from './routes/upgrade.ts';

export type AuthResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly error: 'AUTH_MISSING' | 'AUTH_INVALID' };

/** What the API needs from services/adapters/tenancy/authenticator.ts. */
export interface ApiAuthenticator {
  authenticate(authorizationHeader: string | undefined): AuthResult | Promise<AuthResult>;
}

export interface ApiDeps {
  readonly ch: ClickHouse;
  readonly registry: Registry;
  readonly authenticator: ApiAuthenticator;
  readonly catalog: LoadedCatalog;
  /** Longest from..to one request may ask for. */
  readonly maxRangeDays: number;
  /** The workers' base window length (ISOCHRON_WINDOW_MS): shown with failed windows in reports. */
  readonly windowMs: number;
  /** Wall clock in ms (a report's generation time); Date.now by default. */
  readonly clock?: () => number;
  readonly metricsRegistry?: client.Registry;
}

/** What every route module receives. */
export interface RouteContext extends ApiDeps {
  readonly maxRangeNs: bigint;
  readonly clock: () => number;
  isDraining(): boolean;
}

export interface ApiApp {
  readonly app: FastifyInstance;
  /** Every route the API declares (the OpenAPI document is built from these). */
  readonly routes: readonly ApiRoute[];
  /** method + url of every route fastify registered, whatever declared it. */
  readonly registered: readonly { readonly method: string; readonly url: string }[];
  readonly openapi: Record<string, unknown>;
  readonly deps: ApiDeps;
  /** From now on /readyz answers 503 (graceful shutdown). */
  startDraining(): void;
}

export const API_VERSION = '1.0.0';

function send(reply: FastifyReply, name: ErrorName, message: string, details?: Readonly<Record<string, unknown>>) {
  const s = ERRORS[name];
  return reply.code(s.httpStatus).send({ error: { code: s.code, message, retriable: s.retriable, ...(details ? { details } : {}) } });
}

function nameOf(code: string): ErrorName | undefined {
  for (const [name, s] of Object.entries(ERRORS)) if (s.code === code) return name as ErrorName;
  return undefined;
}

interface FastifyValidationError extends Error {
  code?: string;
  statusCode?: number;
  validation?: { instancePath?: string; keyword?: string; params?: Record<string, unknown>; message?: string }[];
  validationContext?: string;
}

/**
 * A validation failure named by where it happened and which declared parameter, never by the
 * value sent (hostile input is not echoed). Unknown keys are not named either: their names are
 * caller-chosen text.
 */
function validationMessage(err: FastifyValidationError): string {
  const v = err.validation?.[0];
  const where = err.validationContext ?? 'request';
  if (!v) return `${where}: invalid`;
  const path = (v.instancePath ?? '').replace(/[^A-Za-z0-9_/]/g, '');
  switch (v.keyword) {
    case 'additionalProperties':
      return `${where}${path}: unknown parameter (see /openapi.json for the accepted ones)`;
    case 'required':
      return `${where}${path}: missing required parameter ${String(v.params?.missingProperty ?? '').replace(/[^A-Za-z0-9_]/g, '')}`;
    case 'pattern':
    case 'format':
      return `${where}${path}: malformed (see /openapi.json for the accepted form)`;
    case 'enum':
      return `${where}${path}: must be one of ${((v.params?.allowedValues as unknown[]) ?? []).join(', ')}`;
    default:
      return `${where}${path}: ${(v.message ?? 'invalid').replace(/[^A-Za-z0-9 _,.<>=:'"-]/g, '')}`;
  }
}

export function buildApi(deps: ApiDeps): ApiApp {
  const metrics = deps.metricsRegistry ?? new client.Registry();
  registerProcessMetrics(metrics, 'isochron_api_');
  const requests = new client.Counter({ name: 'isochron_api_requests_total', help: 'API answers by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers: [metrics] });
  const seconds = new client.Histogram({
    name: 'isochron_api_request_duration_seconds',
    help: 'Time to answer an API request, by route pattern',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [metrics],
  });

  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    bodyLimit: 1024 * 1024,
    // Strict validation: unknown keys are errors (not silently removed) and nothing is coerced,
    // so a repeated query key or a number where a string is declared is a 400.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    routerOptions: { maxParamLength: 256 },
    // The router's own errors (bad percent-encoding, an overlong path segment) would otherwise
    // answer in fastify's shape and echo the URL.
    frameworkErrors: (_err, _req, reply) => send(reply, 'API_BAD_REQUEST', 'malformed URL: bad percent-encoding, or a path segment longer than 256 characters'),
  });
  let draining = false;
  const ctx: RouteContext = { ...deps, clock: deps.clock ?? Date.now, maxRangeNs: BigInt(deps.maxRangeDays) * 86_400_000_000_000n, isDraining: () => draining };

  const registered: { method: string; url: string }[] = [];
  app.addHook('onRoute', (opts) => {
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    for (const m of methods) registered.push({ method: String(m), url: opts.url });
    // Fail closed: a route without an access rule is a programming error, not an open door.
    if ((opts.config as { access?: unknown } | undefined)?.access === undefined) throw new Error(`route ${String(opts.method)} ${opts.url} has no access rule`);
  });

  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    // No route matched: the not-found handler answers, there is nothing to protect.
    if (access === undefined || access === 'public') return;
    const result = await deps.authenticator.authenticate(req.headers.authorization);
    if (!result.ok) {
      throw new IsochronError(result.error, result.error === 'AUTH_MISSING' ? 'send the API key as Authorization: Bearer iso_<keyId>_<secret>' : 'the API key is malformed, unknown or revoked');
    }
    if (!access.includes(result.principal.role)) {
      throw new IsochronError('AUTH_FORBIDDEN', `a ${result.principal.role} key may not use this route (allowed: ${access.join(', ')})`);
    }
    req.principal = result.principal;
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    seconds.observe({ route }, reply.elapsedTime / 1000);
  });

  app.setNotFoundHandler((_req, reply) => send(reply, 'API_NOT_FOUND', 'no such route (GET /openapi.json lists them)'));

  app.setErrorHandler((err: FastifyValidationError, req, reply) => {
    if (err.validation) return send(reply, 'API_BAD_REQUEST', validationMessage(err));
    if (isIsochronError(err)) {
      const name = nameOf(err.code);
      if (name !== undefined && err.httpStatus < 500) return send(reply, name, err.message, err.details);
      if (name !== undefined) {
        req.log.error({ err }, 'request failed');
        console.error(`[api] ${req.method} ${req.routeOptions.url ?? '?'}: ${err.code} ${err.message}`);
        // Server-side failures keep their code; the message may quote SQL, so it stays in the log.
        return send(reply, name, ERRORS[name].summary);
      }
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return send(reply, 'API_BAD_REQUEST', 'request body too large');
    if (status === 415) return send(reply, 'API_BAD_REQUEST', 'Content-Type must be application/json');
    if (status >= 400 && status < 500) return send(reply, 'API_BAD_REQUEST', 'malformed request');
    console.error(`[api] ${req.method} ${req.routeOptions.url ?? '?'}: ${err.stack ?? err.message}`);
    return send(reply, 'API_INTERNAL', 'internal error');
  });

  const routes: ApiRoute[] = [...healthRoutes(ctx, metrics), ...profileRoutes(ctx), ...complianceRoutes(ctx), ...upgradeRoutes(ctx), ...reportRoutes(ctx), ...programmeRoutes(ctx), ...adminRoutes(ctx)];
  const openapi = buildOpenApi(routes, { title: 'isochron API', version: API_VERSION });
  routes.push({
    method: 'GET',
    url: '/openapi.json',
    access: 'public',
    tag: 'meta',
    summary: 'This API description (OpenAPI 3.1)',
    schema: { response: {} },
    produces: { status: 200, mediaType: 'application/json', description: 'the OpenAPI 3.1 document', schema: { type: 'object', description: 'OpenAPI 3.1 (https://spec.openapis.org/oas/v3.1.0)' } },
    handler: async () => openapi,
  });
  // The document describes itself too.
  Object.assign(openapi.paths as object, buildOpenApi(routes.slice(-1), { title: '', version: '' }).paths as object);

  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      config: { access: r.access },
      // A route without query parameters still rejects every query key (enterpriseId=...).
      schema: { ...r.schema, querystring: r.schema.querystring ?? object({}), response: r.schema.response },
      handler: r.handler,
    });
  }

  return {
    app,
    routes,
    registered,
    openapi,
    deps,
    startDraining() {
      draining = true;
    },
  };
}
