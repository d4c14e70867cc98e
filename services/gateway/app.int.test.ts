// The gateway against the real Kafka broker and a real ClickHouse registry: every answer it can
// give, and that only accepted batches reach the topic, each exactly once and keyed by device.
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, type TestGateway } from '../../test/support/gateway.ts';
import { readTopic, createTopics } from '../../test/support/kafka.ts';
import { freshDatabase, kafkaBrokers, uniqueName } from '../../test/support/stack.ts';
import { bearer, provisionTenant } from '../../test/support/tenancy.ts';
import { createClickHouse, type ClickHouse } from '../adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../adapters/clickhouse/migrate.ts';
import { createProducer, type Producer } from '../adapters/kafka/client.ts';
import { createAuthenticator } from '../adapters/tenancy/authenticator.ts';
import { createEnterpriseDirectory } from '../adapters/tenancy/directory.ts';
import { createRegistry } from '../adapters/tenancy/registry.ts';
import { TokenBucketLimiter } from '../core/tenancy/rate-limit.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, type Identity } from '../core/wire/batch.ts';
import { encodeBatch } from '../core/wire/encode-batch.ts';
import { resolveWireLimits } from '../core/wire/limits.ts';
import { buildGateway } from './app.ts';
import { connectInBackground } from './kafka-connection.ts';

const ENT1 = { enterpriseId: 'ent-1', siteId: 'site-a', networkType: 'tsn' as const, segmentId: 'tsn-1', deviceId: '88.100.1/DEV-0001' };

function batchOf(samples: number, identity: Identity = ENT1, opts: { schemaVersion?: number; flowId?: string } = {}): Buffer {
  return Buffer.from(
    encodeBatch({
      schemaVersion: opts.schemaVersion ?? 1,
      identity,
      flows: [
        {
          flowId: opts.flowId ?? 'stream-1',
          seq: Array.from({ length: samples }, (_, i) => i),
          sendNs: Array.from({ length: samples }, (_, i) => 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n),
          delayNs: Array.from({ length: samples }, () => 25_000),
          sizeBytes: Array.from({ length: samples }, () => 128),
          flags: Array.from({ length: samples }, () => FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
        },
      ],
    }),
  );
}

type Answer = { statusCode: number; body: string; headers: Record<string, unknown>; json: () => { error: { code: string; message: string; retriable: boolean } } };

describe('gateway against the real Kafka broker and ClickHouse registry', () => {
  const topic = uniqueName('gateway');
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  let producer: Producer;
  let gw: TestGateway;
  let clockNs = 0;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    await createTopics([{ topic, partitions: 2 }]);
    const db = await freshDatabase('gateway');
    ({ ch, drop } = db);
    await migrate(ch, db.database, loadMigrations(path.resolve('sql')));
    const t1 = await provisionTenant(ch, { enterpriseId: 'ent-1', identifierPrefix: '88.100.1' });
    const t2 = await provisionTenant(ch, { enterpriseId: 'ent-2', identifierPrefix: '88.200.1' });
    const t3 = await provisionTenant(ch, { enterpriseId: 'ent-3', identifierPrefix: '88.300.1' });
    const t4 = await provisionTenant(ch, { enterpriseId: 'ent-4', identifierPrefix: '88.400.1' });
    const registry = createRegistry(ch);
    const revoked = await registry.createCredential({ role: 'ingest', enterpriseId: 'ent-1', label: 'to revoke' });
    await registry.revokeCredential(revoked.record.keyId);
    await registry.deleteEnterprise('ent-4'); // its key stays, the enterprise is gone
    const auditor = await registry.createCredential({ role: 'auditor', enterpriseId: '', label: 'office' });
    Object.assign(keys, { ent1: t1.ingestKey, viewer1: t1.viewerKey, ent2: t2.ingestKey, ent3: t3.ingestKey, ent4: t4.ingestKey, revoked: revoked.apiKey, auditor: auditor.apiKey });

    producer = await createProducer({ brokers: kafkaBrokers(), clientId: 'it-gateway', client: 'confluent' });
    gw = buildTestGateway({
      ch,
      producer,
      topic,
      limits: resolveWireLimits({ maxSamplesPerBatch: 1000 }),
      maxBodyBytes: 64 * 1024,
      maxInFlightBatches: 10,
      // 20 samples of burst, 1 sample/s: a controlled clock makes the 429 exact.
      rateLimit: { samplesPerS: 1, burstSamples: 20 },
      nowNs: () => clockNs,
    });
  });
  afterAll(async () => {
    await gw?.close();
    await producer?.disconnect();
    await drop?.();
  });

  const post = (body: Uint8Array | string, headers: Record<string, string> = {}, contentType = 'application/x-protobuf'): Promise<Answer> =>
    gw.app.inject({ method: 'POST', url: '/v1/batches', payload: typeof body === 'string' ? body : Buffer.from(body), headers: { 'content-type': contentType, ...headers } }) as Promise<Answer>;

  it('answers every rejection with its status and stable code, and none of it reaches Kafka; accepted batches are on the topic exactly once', async () => {
    const as = (key: string) => bearer(keys[key]);
    const good = batchOf(10);
    const unknownKey = `iso_0123456789abcdef_${Buffer.alloc(32, 1).toString('base64url')}`;
    const cases: [string, () => Promise<Answer>, number, string][] = [
      ['no key', () => post(good), 401, 'ISO_AUTH_MISSING'],
      ['no key, oversize body: refused before the body is read', () => post(new Uint8Array(65 * 1024)), 401, 'ISO_AUTH_MISSING'],
      ['not a bearer token', () => post(good, { authorization: `Basic ${keys.ent1}` }), 401, 'ISO_AUTH_INVALID'],
      ['malformed key', () => post(good, { authorization: 'Bearer iso_nope' }), 401, 'ISO_AUTH_INVALID'],
      ['unknown key', () => post(good, bearer(unknownKey)), 401, 'ISO_AUTH_INVALID'],
      ['wrong secret', () => post(good, bearer(keys.ent1.slice(0, -2) + (keys.ent1.endsWith('AA') ? 'QA' : 'AA'))), 401, 'ISO_AUTH_INVALID'],
      ['revoked key', () => post(good, as('revoked')), 401, 'ISO_AUTH_INVALID'],
      ['viewer key', () => post(good, as('viewer1')), 403, 'ISO_AUTH_FORBIDDEN'],
      ['auditor key', () => post(good, as('auditor')), 403, 'ISO_AUTH_FORBIDDEN'],
      ['batch names another enterprise', () => post(good, as('ent2')), 403, 'ISO_TENANT_MISMATCH'],
      ['device prefix of another enterprise', () => post(batchOf(3, { ...ENT1, deviceId: '88.200.1/DEV-0001' }), as('ent1')), 403, 'ISO_IDENTIFIER_FOREIGN_PREFIX'],
      ['enterprise deleted from the registry', () => post(batchOf(3, { ...ENT1, enterpriseId: 'ent-4', deviceId: '88.400.1/D' }), as('ent4')), 403, 'ISO_IDENTIFIER_FOREIGN_PREFIX'],
      ['device id without prefix', () => post(batchOf(3, { ...ENT1, deviceId: 'DEV-0001' }), as('ent1')), 400, 'ISO_IDENTIFIER_INVALID'],
      ['device id with a bad prefix', () => post(batchOf(3, { ...ENT1, deviceId: '88.100.01/DEV-0001' }), as('ent1')), 400, 'ISO_IDENTIFIER_INVALID'],
      ['too many samples', () => post(batchOf(1001), as('ent1')), 400, 'ISO_WIRE_TOO_MANY_SAMPLES'],
      ['flow id over maxStringBytes', () => post(batchOf(3, ENT1, { flowId: 'f'.repeat(300) }), as('ent1')), 400, 'ISO_WIRE_STRING_TOO_LONG'],
      ['body over the limit', () => post(new Uint8Array(65 * 1024), as('ent1')), 413, 'ISO_HTTP_BODY_TOO_LARGE'],
      ['empty body', () => post(new Uint8Array(0), as('ent1')), 400, 'ISO_HTTP_EMPTY_BODY'],
      ['JSON body', () => post('{"a":1}', as('ent1'), 'application/json'), 415, 'ISO_HTTP_UNSUPPORTED_MEDIA_TYPE'],
      ['random bytes', () => post(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), as('ent1')), 400, 'ISO_WIRE_MALFORMED'],
      ['truncated batch', () => post(good.subarray(0, good.length - 3), as('ent1')), 400, 'ISO_WIRE_TRUNCATED'],
      ['wrong schema version', () => post(batchOf(3, ENT1, { schemaVersion: 2 }), as('ent1')), 400, 'ISO_WIRE_BAD_VERSION'],
    ];
    for (const [what, send, status, code] of cases) {
      const res = await send();
      expect({ what, status: res.statusCode, code: res.json().error.code }).toEqual({ what, status, code });
      expect(res.json().error.message.length, what).toBeGreaterThan(10);
      if (status === 401) expect(res.headers['www-authenticate'], what).toBe('Bearer realm="isochron"');
    }

    // None of the rejections above took tokens: ent-1's bucket (20) is full.
    const ok1 = await post(good, as('ent1'));
    expect(ok1.statusCode).toBe(202);
    expect(ok1.json()).toEqual({ accepted: { flows: 1, samples: 10 } });

    // ent-3: 15 of 20 tokens, then 10 more needs 5 more tokens = 5 s at 1 sample/s.
    const ent3 = { ...ENT1, enterpriseId: 'ent-3', deviceId: '88.300.1/PLC-7' };
    const b15 = batchOf(15, ent3);
    const b10 = batchOf(10, ent3);
    expect((await post(b15, as('ent3'))).statusCode).toBe(202);
    const limited = await post(b10, as('ent3'));
    expect({ status: limited.statusCode, code: limited.json().error.code, retriable: limited.json().error.retriable, retryAfter: limited.headers['retry-after'] }).toEqual({
      status: 429,
      code: 'ISO_RATE_LIMITED',
      retriable: true,
      retryAfter: '5',
    });
    clockNs += 4.9e9;
    expect((await post(b10, as('ent3'))).statusCode).toBe(429); // 4.9 tokens are not 5
    clockNs += 0.1e9;
    expect((await post(b10, as('ent3'))).statusCode).toBe(202);
    // the limit is per enterprise: ent-1 still has 10 tokens
    expect((await post(batchOf(10), as('ent1'))).statusCode).toBe(202);

    // Exactly the four accepted batches are on the topic, byte for byte, keyed by device.
    const expected = [
      { key: 'ent-1/88.100.1/DEV-0001', value: good },
      { key: 'ent-3/88.300.1/PLC-7', value: b15 },
      { key: 'ent-3/88.300.1/PLC-7', value: b10 },
      { key: 'ent-1/88.100.1/DEV-0001', value: batchOf(10) },
    ];
    const seen = await readTopic(topic, expected.length);
    await new Promise((r) => setTimeout(r, 1000));
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((a, p) => a + Number(p.high), 0)).toBe(expected.length);
    const asText = (rs: { key: string | null; value: Buffer | null }[]) => rs.map((r) => `${r.key} ${r.value!.toString('hex')}`).sort();
    expect(asText(seen)).toEqual(asText(expected));
  });

  it('counts every outcome under its code and serves health and readiness (503 while draining)', async () => {
    const metrics = (await gw.app.inject({ url: '/metrics' })).body;
    for (const [code, n] of [
      ['accepted', 4],
      ['ISO_AUTH_MISSING', 2],
      ['ISO_AUTH_INVALID', 5],
      ['ISO_AUTH_FORBIDDEN', 2],
      ['ISO_TENANT_MISMATCH', 1],
      ['ISO_IDENTIFIER_FOREIGN_PREFIX', 2],
      ['ISO_IDENTIFIER_INVALID', 2],
      ['ISO_WIRE_TOO_MANY_SAMPLES', 1],
      ['ISO_WIRE_STRING_TOO_LONG', 1],
      ['ISO_RATE_LIMITED', 2],
    ] as const) {
      expect(metrics).toContain(`isochron_gateway_batches_total{outcome="${code}"} ${n}\n`);
    }
    expect(metrics).toContain('isochron_gateway_samples_accepted_total 45\n');
    expect(metrics).toContain('isochron_gateway_samples_rejected_total{outcome="ISO_RATE_LIMITED"} 20\n');
    expect((await gw.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await gw.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    gw.startDraining();
    expect((await gw.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await post(batchOf(2), bearer(keys.ent1))).statusCode).toBe(503);
  });

  it('answers 503 ISO_KAFKA_UNAVAILABLE (and /readyz 503) while Kafka cannot be reached', async () => {
    // A real producer pointed at a port nobody listens on: it never connects.
    const unreachable = connectInBackground(() => createProducer({ brokers: ['127.0.0.1:1'], clientId: 'it-gateway-down', client: 'confluent' }), { retryIntervalMs: 60_000 });
    const down = buildTestGateway({ ch, producer: unreachable, topic, producerConnected: () => unreachable.connected });
    try {
      const res = (await down.app.inject({ method: 'POST', url: '/v1/batches', payload: batchOf(5), headers: { 'content-type': 'application/x-protobuf', ...bearer(keys.ent1) } })) as unknown as Answer;
      expect({ status: res.statusCode, code: res.json().error.code, retriable: res.json().error.retriable }).toEqual({ status: 503, code: 'ISO_KAFKA_UNAVAILABLE', retriable: true });
      expect((await down.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    } finally {
      await down.close();
      await unreachable.disconnect();
    }
  });

  it('answers 503 ISO_CLICKHOUSE_UNAVAILABLE while the registry cannot be read, without naming the server to the (unauthenticated) client', async () => {
    // A real ClickHouse client pointed at a port nobody listens on.
    const registryDown = createRegistry(createClickHouse({ url: 'http://127.0.0.1:1', database: 'registry_db_name' }));
    const refresh = { refreshIntervalMs: 60_000, minRefreshGapMs: 0 };
    const authenticator = createAuthenticator(registryDown, refresh);
    const enterprises = createEnterpriseDirectory(registryDown, refresh);
    const causes: string[] = [];
    const down = buildGateway({
      producer, topic, limits: resolveWireLimits(), maxBodyBytes: 64 * 1024, maxInFlightBatches: 10, authenticator, enterprises,
      rateLimiter: new TokenBucketLimiter({ capacity: 1e12, refillPerSecond: 1e12, maxKeys: 10 }),
      onServerError: (what, e) => causes.push(`${what} ${(e as Error).message}`),
    });
    try {
      const res = (await down.app.inject({ method: 'POST', url: '/v1/batches', payload: batchOf(5), headers: { 'content-type': 'application/x-protobuf', ...bearer(keys.ent1) } })) as unknown as Answer;
      expect({ status: res.statusCode, code: res.json().error.code, retriable: res.json().error.retriable }).toEqual({ status: 503, code: 'ISO_CLICKHOUSE_UNAVAILABLE', retriable: true });
      expect(res.body).not.toMatch(/127\.0\.0\.1|registry_db_name|ClickHouse at|SELECT/);
      // The operator still learns the cause.
      expect(causes).toHaveLength(1);
      expect(causes[0]).toMatch(/^registry .*127\.0\.0\.1:1/);
    } finally {
      await down.app.close();
      authenticator.close();
      enterprises.close();
    }
  });
});
