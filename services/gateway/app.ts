// The ingest gateway as an app factory that never listens by itself (main.ts does), so tests
// drive it with inject() or a real port. POST /v1/batches takes one binary TelemetryBatch and
// answers 202 only after Kafka acknowledged it. Before that, in this order (docs/tenancy.md):
//   1. the API key (401) and its role, which must be ingest (403), before the body is read;
//   2. the body: media type (415), size (413), decoding and the format's rules (400);
//   3. the tenant: the batch's enterprise_id is the key's (403 ISO_TENANT_MISMATCH), device_id
//      is "<prefix>/<suffix>" (400) with the prefix registered to that enterprise (403);
//   4. capacity: producer queue (503), then the enterprise's rate limit in samples (429);
//   5. Kafka (503 when it does not acknowledge within the delivery timeout).
// A rejected batch never reaches Kafka.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import client from 'prom-client';
import { registerProcessMetrics } from '../adapters/metrics/process-metrics.ts';
import { ERRORS, IsochronError, isIsochronError, type ErrorName } from '../core/errors.ts';
import { parseDeviceIdentifier } from '../core/tenancy/identifier.ts';
import type { TokenBucketLimiter } from '../core/tenancy/rate-limit.ts';
import type { Principal } from '../core/tenancy/types.ts';
import { decodeBatch } from '../core/wire/decode-batch.ts';
import type { WireLimits } from '../core/wire/limits.ts';
import type { Producer } from '../adapters/kafka/client.ts';
import type { Authenticator } from '../adapters/tenancy/authenticator.ts';
import type { EnterpriseDirectory } from '../adapters/tenancy/directory.ts';

export const PROTOBUF_CONTENT_TYPES = ['application/x-protobuf', 'application/protobuf', 'application/octet-stream'] as const;

export interface GatewayDeps {
  readonly producer: Producer;
  readonly topic: string;
  readonly limits: WireLimits;
  readonly maxBodyBytes: number;
  readonly maxInFlightBatches: number;
  readonly authenticator: Authenticator;
  readonly enterprises: EnterpriseDirectory;
  /** Per-enterprise token bucket; cost = samples in the batch (at least 1). */
  readonly rateLimiter: TokenBucketLimiter;
  /** Monotonic clock for the rate limiter, in ns (default: performance.now()). */
  readonly nowNs?: () => number;
  /** False while the producer has no connection to Kafka (/readyz answers 503). */
  readonly producerConnected?: () => boolean;
  readonly registry?: client.Registry;
  /**
   * Told the cause when a dependency (registry, Kafka) or the gateway itself fails a request. The client only gets a
   * stable code and a generic message: the cause names internal hosts, databases and queries.
   */
  readonly onServerError?: (what: 'registry' | 'kafka' | 'internal', error: unknown) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface GatewayApp {
  readonly app: FastifyInstance;
  /** From now on: /readyz answers 503 and new batches get 503 (graceful shutdown). */
  startDraining(): void;
}

function sendError(reply: FastifyReply, name: ErrorName, message: string, details?: Record<string, unknown>) {
  const spec = ERRORS[name];
  return reply.code(spec.httpStatus).send({ error: { code: spec.code, message, retriable: spec.retriable, ...(details ? { details } : {}) } });
}

const AUTH_MESSAGES = {
  AUTH_MISSING: 'send the enterprise ingest key as "Authorization: Bearer iso_<key id>_<secret>"',
  AUTH_INVALID: 'the API key is malformed, unknown or revoked',
} as const;

export function buildGateway(deps: GatewayDeps): GatewayApp {
  const registry = deps.registry ?? new client.Registry();
  registerProcessMetrics(registry, 'isochron_gateway_');
  const batches = new client.Counter({ name: 'isochron_gateway_batches_total', help: 'Batches answered by the gateway, by outcome code', labelNames: ['outcome'], registers: [registry] });
  const samples = new client.Counter({ name: 'isochron_gateway_samples_accepted_total', help: 'Samples in batches acknowledged by Kafka', registers: [registry] });
  const bytes = new client.Counter({ name: 'isochron_gateway_bytes_accepted_total', help: 'Bytes of batches acknowledged by Kafka', registers: [registry] });
  const inFlightGauge = new client.Gauge({ name: 'isochron_gateway_in_flight_batches', help: 'Batches waiting for a Kafka acknowledgement', registers: [registry] });
  const produceSeconds = new client.Histogram({
    name: 'isochron_gateway_produce_duration_seconds',
    help: 'Time from validated batch to Kafka acknowledgement',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const rejectedSamples = new client.Counter({
    name: 'isochron_gateway_samples_rejected_total',
    help: 'Samples in decoded batches that were answered with an error, by outcome code',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const nowNs = deps.nowNs ?? (() => performance.now() * 1e6);

  const app = Fastify({ bodyLimit: deps.maxBodyBytes, logger: false });
  let draining = false;
  let inFlight = 0;

  /** Answers an error and counts it under its code (a bounded label set: the registry's codes). */
  function reject(reply: FastifyReply, name: ErrorName, message: string, details?: Record<string, unknown>, sampleCount = 0) {
    batches.inc({ outcome: ERRORS[name].code });
    if (sampleCount > 0) rejectedSamples.inc({ outcome: ERRORS[name].code }, sampleCount);
    return sendError(reply, name, message, details);
  }

  // Who is asking, before the body is read: an unauthenticated client cannot make the gateway
  // buffer and decode megabytes.
  async function authenticateIngest(req: FastifyRequest, reply: FastifyReply) {
    if (draining) return reject(reply, 'KAFKA_UNAVAILABLE', 'the gateway is shutting down; retry against another instance');
    const header = req.headers.authorization;
    let result;
    try {
      result = await deps.authenticator.authenticate(header);
    } catch (e) {
      // Before authentication: the cause (ClickHouse URL, database, query) must not reach the client.
      deps.onServerError?.('registry', e);
      return reject(reply, 'CLICKHOUSE_UNAVAILABLE', 'credentials cannot be checked now; retry later');
    }
    if (!result.ok) {
      reply.header('www-authenticate', 'Bearer realm="isochron"');
      return reject(reply, result.error, AUTH_MESSAGES[result.error]);
    }
    if (result.principal.role !== 'ingest' || result.principal.enterpriseId === null) {
      return reject(reply, 'AUTH_FORBIDDEN', `a ${result.principal.role} key may not post batches; use the enterprise's ingest key`);
    }
    req.principal = result.principal;
  }

  // Only Protobuf bodies: without the default JSON and text parsers anything else is a 415.
  app.decorateRequest('principal', null);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...PROTOBUF_CONTENT_TYPES], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    const name = fastifyErrorName(err.code);
    if (name) {
      batches.inc({ outcome: ERRORS[name].code });
      return sendError(reply, name, name === 'HTTP_BODY_TOO_LARGE' ? `request body exceeds ${deps.maxBodyBytes} bytes` : name === 'HTTP_UNSUPPORTED_MEDIA_TYPE' ? `Content-Type must be one of ${PROTOBUF_CONTENT_TYPES.join(', ')}` : err.message);
    }
    if (isIsochronError(err)) return reject(reply, nameOf(err), err.message, err.details as Record<string, unknown> | undefined);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.onServerError?.('internal', err);
    const message = status === 500 ? 'internal error' : err.message;
    return reply.code(status).send({ error: { code: status === 500 ? 'ISO_INTERNAL' : (err.code ?? 'ISO_HTTP_BAD_REQUEST'), message, retriable: status >= 500 } });
  });

  app.post('/v1/batches', { onRequest: authenticateIngest }, async (req, reply) => {
    const principal = req.principal!;
    const enterpriseOfKey = principal.enterpriseId!;
    const body = req.body as Buffer | undefined;
    if (draining) return reject(reply, 'KAFKA_UNAVAILABLE', 'the gateway is shutting down; retry against another instance');
    if (!Buffer.isBuffer(body) || body.length === 0) {
      return reject(reply, 'HTTP_EMPTY_BODY', 'the request has no body: send one binary isochron.telemetry.v1.TelemetryBatch');
    }
    let decoded;
    try {
      decoded = decodeBatch(body, deps.limits);
    } catch (e) {
      if (!isIsochronError(e)) throw e;
      return reject(reply, nameOf(e), e.message, e.details as Record<string, unknown> | undefined);
    }
    const samplesInBatch = decoded.sampleCount;
    const { enterpriseId, deviceId } = decoded.identity;
    if (enterpriseId !== enterpriseOfKey) {
      return reject(reply, 'TENANT_MISMATCH', `the batch names enterprise ${JSON.stringify(enterpriseId)}, the API key belongs to ${JSON.stringify(enterpriseOfKey)}`, { field: 'identity.enterprise_id' }, samplesInBatch);
    }
    let prefix: string;
    try {
      prefix = parseDeviceIdentifier(deviceId).prefix;
    } catch (e) {
      if (!isIsochronError(e)) throw e;
      return reject(reply, 'IDENTIFIER_INVALID', e.message, { field: 'identity.device_id' }, samplesInBatch);
    }
    let enterprise;
    try {
      enterprise = await deps.enterprises.get(enterpriseId);
    } catch (e) {
      deps.onServerError?.('registry', e);
      return reject(reply, 'CLICKHOUSE_UNAVAILABLE', 'the enterprise registry cannot be read now; retry later', undefined, samplesInBatch);
    }
    if (enterprise === undefined) {
      return reject(reply, 'IDENTIFIER_FOREIGN_PREFIX', `enterprise ${JSON.stringify(enterpriseId)} is not registered, so no identifier prefix is assigned to it`, { field: 'identity.device_id' }, samplesInBatch);
    }
    if (prefix !== enterprise.identifierPrefix) {
      return reject(reply, 'IDENTIFIER_FOREIGN_PREFIX', `device identifier prefix ${prefix} is not ${enterpriseId}'s registered prefix ${enterprise.identifierPrefix}`, { field: 'identity.device_id' }, samplesInBatch);
    }
    if (inFlight >= deps.maxInFlightBatches) {
      return reject(reply, 'KAFKA_QUEUE_FULL', `${inFlight} batches are waiting for Kafka; back off and retry`, undefined, samplesInBatch);
    }
    // A heartbeat (no samples) still costs one token, so requests alone cannot flood Kafka.
    const decision = deps.rateLimiter.check(enterpriseId, Math.max(1, samplesInBatch), nowNs());
    if (!decision.allowed) {
      // Retry-After in whole seconds (RFC 9110 section 10.2.3), rounded up; the exact figure in details.
      reply.header('retry-after', String(Math.ceil(decision.retryAfterMs / 1000)));
      return reject(reply, 'RATE_LIMITED', `enterprise ${enterpriseId} is over its ingest rate; retry in ${decision.retryAfterMs} ms`, { retryAfterMs: decision.retryAfterMs }, samplesInBatch);
    }
    inFlight++;
    inFlightGauge.set(inFlight);
    const end = produceSeconds.startTimer();
    try {
      // Keyed by device: all flows of a device, and so every flow, live in one partition.
      await deps.producer.send(deps.topic, [{ key: `${enterpriseId}/${deviceId}`, value: body }]);
    } catch (e) {
      deps.onServerError?.('kafka', e);
      return reject(reply, 'KAFKA_UNAVAILABLE', 'Kafka did not acknowledge the batch; retry later', undefined, samplesInBatch);
    } finally {
      end();
      inFlight--;
      inFlightGauge.set(inFlight);
    }
    batches.inc({ outcome: 'accepted' });
    samples.inc(samplesInBatch);
    bytes.inc(body.length);
    return reply.code(202).send({ accepted: { flows: decoded.flows.length, samples: samplesInBatch } });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (draining) return reply.code(503).send({ status: 'draining' });
    if (deps.producerConnected !== undefined && !deps.producerConnected()) return reply.code(503).send({ status: 'kafka not connected' });
    return { status: 'ready' };
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  return {
    app,
    startDraining() {
      draining = true;
    },
  };
}

/** Fastify's own body errors, mapped onto the registry. */
function fastifyErrorName(code: string | undefined): ErrorName | undefined {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'HTTP_BODY_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'HTTP_UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'HTTP_EMPTY_BODY';
    default:
      return undefined;
  }
}

function nameOf(e: IsochronError): ErrorName {
  for (const [name, spec] of Object.entries(ERRORS)) if (spec.code === e.code) return name as ErrorName;
  throw new IsochronError('CONFIG_INVALID', `error code ${e.code} is not in the registry`);
}
