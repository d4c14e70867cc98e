// The ingest gateway as an app factory that never listens by itself (main.ts does), so tests
// drive it with inject() or a real port. POST /v1/batches takes one binary TelemetryBatch,
// decodes and validates it completely, and answers 202 only after Kafka acknowledged it.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import client from 'prom-client';
import { ERRORS, IsochronError, isIsochronError, type ErrorName } from '../core/errors.ts';
import { decodeBatch } from '../core/wire/decode-batch.ts';
import type { WireLimits } from '../core/wire/limits.ts';
import type { Producer } from '../adapters/kafka/client.ts';

export const PROTOBUF_CONTENT_TYPES = ['application/x-protobuf', 'application/protobuf', 'application/octet-stream'] as const;

export interface GatewayDeps {
  readonly producer: Producer;
  readonly topic: string;
  readonly limits: WireLimits;
  readonly maxBodyBytes: number;
  readonly maxInFlightBatches: number;
  readonly registry?: client.Registry;
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

export function buildGateway(deps: GatewayDeps): GatewayApp {
  const registry = deps.registry ?? new client.Registry();
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

  const app = Fastify({ bodyLimit: deps.maxBodyBytes, logger: false });
  let draining = false;
  let inFlight = 0;

  // Only Protobuf bodies: without the default JSON and text parsers anything else is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...PROTOBUF_CONTENT_TYPES], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    const name = fastifyErrorName(err.code);
    if (name) {
      batches.inc({ outcome: ERRORS[name].code });
      return sendError(reply, name, name === 'HTTP_BODY_TOO_LARGE' ? `request body exceeds ${deps.maxBodyBytes} bytes` : name === 'HTTP_UNSUPPORTED_MEDIA_TYPE' ? `Content-Type must be one of ${PROTOBUF_CONTENT_TYPES.join(', ')}` : err.message);
    }
    if (isIsochronError(err)) return sendError(reply, nameOf(err), err.message, err.details as Record<string, unknown> | undefined);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return reply.code(status).send({ error: { code: status === 500 ? 'ISO_INTERNAL' : (err.code ?? 'ISO_HTTP_BAD_REQUEST'), message: err.message, retriable: status >= 500 } });
  });

  app.post('/v1/batches', async (req, reply) => {
    const body = req.body as Buffer | undefined;
    if (draining) return sendError(reply, 'KAFKA_UNAVAILABLE', 'the gateway is shutting down; retry against another instance');
    if (!Buffer.isBuffer(body) || body.length === 0) {
      batches.inc({ outcome: ERRORS.HTTP_EMPTY_BODY.code });
      return sendError(reply, 'HTTP_EMPTY_BODY', 'the request has no body: send one binary isochron.telemetry.v1.TelemetryBatch');
    }
    let decoded;
    try {
      decoded = decodeBatch(body, deps.limits);
    } catch (e) {
      if (!isIsochronError(e)) throw e;
      batches.inc({ outcome: e.code });
      return sendError(reply, nameOf(e), e.message, e.details as Record<string, unknown> | undefined);
    }
    if (inFlight >= deps.maxInFlightBatches) {
      batches.inc({ outcome: ERRORS.KAFKA_QUEUE_FULL.code });
      return sendError(reply, 'KAFKA_QUEUE_FULL', `${inFlight} batches are waiting for Kafka; back off and retry`);
    }
    const { enterpriseId, deviceId } = decoded.identity;
    inFlight++;
    inFlightGauge.set(inFlight);
    const end = produceSeconds.startTimer();
    try {
      // Keyed by device: all flows of a device, and so every flow, live in one partition.
      await deps.producer.send(deps.topic, [{ key: `${enterpriseId}/${deviceId}`, value: body }]);
    } catch (e) {
      batches.inc({ outcome: ERRORS.KAFKA_UNAVAILABLE.code });
      return sendError(reply, 'KAFKA_UNAVAILABLE', `Kafka did not acknowledge the batch: ${(e as Error).message}`);
    } finally {
      end();
      inFlight--;
      inFlightGauge.set(inFlight);
    }
    batches.inc({ outcome: 'accepted' });
    samples.inc(decoded.sampleCount);
    bytes.inc(body.length);
    return reply.code(202).send({ accepted: { flows: decoded.flows.length, samples: decoded.sampleCount } });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => (draining ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' }));
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
