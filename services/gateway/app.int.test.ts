import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../test/support/stack.ts';
import { createProducer, type Producer } from '../adapters/kafka/client.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { encodeBatch } from '../core/wire/encode-batch.ts';
import { resolveWireLimits } from '../core/wire/limits.ts';
import { buildGateway, type GatewayApp } from './app.ts';

const identity = { enterpriseId: 'ent-1', siteId: 'site-a', networkType: 'tsn' as const, segmentId: 'tsn-1', deviceId: '88.100.1/DEV-0001' };

function batchOf(samples: number, schemaVersion = 1): Uint8Array {
  return encodeBatch({
    schemaVersion,
    identity,
    flows: [
      {
        flowId: 'stream-1',
        seq: Array.from({ length: samples }, (_, i) => i),
        sendNs: Array.from({ length: samples }, (_, i) => 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n),
        delayNs: Array.from({ length: samples }, () => 25_000),
        sizeBytes: Array.from({ length: samples }, () => 128),
        flags: Array.from({ length: samples }, () => FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
      },
    ],
  });
}

describe('gateway against the real Kafka broker', () => {
  const topic = uniqueName('gateway');
  let producer: Producer;
  let gw: GatewayApp;

  beforeAll(async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = await createProducer({ brokers: kafkaBrokers(), clientId: 'it-gateway', client: 'confluent' });
    gw = buildGateway({ producer, topic, limits: resolveWireLimits({ maxSamplesPerBatch: 1000 }), maxBodyBytes: 64 * 1024, maxInFlightBatches: 10 });
  });
  afterAll(async () => {
    await gw.app.close();
    await producer.disconnect();
  });

  const post = (body: Uint8Array | string, contentType = 'application/x-protobuf') =>
    gw.app.inject({ method: 'POST', url: '/v1/batches', payload: typeof body === 'string' ? body : Buffer.from(body), headers: { 'content-type': contentType } });

  it('rejects bad input with a 4xx and a stable code, and none of it reaches Kafka; a good batch gets 202 after the ack', async () => {
    const good = batchOf(10);
    const cases: [string, Promise<{ statusCode: number; json: () => { error: { code: string; message: string } } }>, number, string][] = [
      ['empty body', post(new Uint8Array(0)), 400, 'ISO_HTTP_EMPTY_BODY'],
      ['JSON body', post('{"a":1}', 'application/json'), 415, 'ISO_HTTP_UNSUPPORTED_MEDIA_TYPE'],
      ['random bytes', post(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), 400, 'ISO_WIRE_MALFORMED'],
      ['truncated batch', post(good.subarray(0, good.length - 3)), 400, 'ISO_WIRE_TRUNCATED'],
      ['wrong schema version', post(batchOf(3, 2)), 400, 'ISO_WIRE_BAD_VERSION'],
      ['too many samples', post(batchOf(1001)), 413, 'ISO_WIRE_TOO_LARGE'],
      ['body over the limit', post(new Uint8Array(65 * 1024)), 413, 'ISO_HTTP_BODY_TOO_LARGE'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      expect({ what, status: res.statusCode, code: res.json().error.code }).toEqual({ what, status, code });
      expect(res.json().error.message.length).toBeGreaterThan(10);
    }
    const ok = await post(good);
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toEqual({ accepted: { flows: 1, samples: 10 } });

    // Exactly one record is on the topic: the good batch, byte for byte, keyed by device.
    const consumer = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({ groupId: uniqueName('g') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: { key: string; value: Buffer }[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({ key: message.key!.toString(), value: message.value! });
          resolve();
        },
      });
    });
    await new Promise((r) => setTimeout(r, 1500)); // would catch a second (bad) record
    await consumer.disconnect();
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((a, p) => a + Number(p.high), 0)).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0].key).toBe('ent-1/88.100.1/DEV-0001');
    expect(Buffer.compare(seen[0].value, Buffer.from(good))).toBe(0);
  });

  it('serves health, readiness (503 while draining) and Prometheus metrics', async () => {
    expect((await gw.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await gw.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const metrics = await gw.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/isochron_gateway_batches_total\{outcome="accepted"\} 1/);
    expect(metrics.body).toMatch(/isochron_gateway_samples_accepted_total 10/);
    gw.startDraining();
    expect((await gw.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await post(batchOf(2))).statusCode).toBe(503);
  });
});
