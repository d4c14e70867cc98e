// Liveness, readiness and Prometheus metrics. /metrics is public like the gateway's and the
// worker's: Prometheus scrapes without a credential, the listener is loopback by default, and
// its labels are route patterns, methods and status codes only (never ids, keys or tenant data).
import type client from 'prom-client';
import type { RouteContext } from '../app.ts';
import type { ApiRoute } from '../route.ts';
import { object } from '../schemas.ts';

const status = object({ status: { type: 'string' } }, ['status']);

export function healthRoutes(ctx: RouteContext, metrics: client.Registry): ApiRoute[] {
  return [
    {
      method: 'GET',
      url: '/healthz',
      access: 'public',
      tag: 'meta',
      summary: 'Liveness: the process answers',
      schema: { response: { 200: status } },
      handler: async () => ({ status: 'ok' }),
    },
    {
      method: 'GET',
      url: '/readyz',
      access: 'public',
      tag: 'meta',
      summary: 'Readiness: not draining and ClickHouse answers',
      schema: { response: { 200: status, 503: status } },
      handler: async (_req, reply) => {
        if (ctx.isDraining()) return reply.code(503).send({ status: 'draining' });
        try {
          await ctx.ch.query('SELECT 1 AS one');
        } catch {
          return reply.code(503).send({ status: 'clickhouse unavailable' });
        }
        return { status: 'ready' };
      },
    },
    {
      method: 'GET',
      url: '/metrics',
      access: 'public',
      tag: 'meta',
      summary: 'Prometheus metrics (text exposition format)',
      schema: { response: {} },
      produces: { status: 200, mediaType: 'text/plain; version=0.0.4', description: 'Prometheus text format' },
      handler: async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
    },
  ];
}
