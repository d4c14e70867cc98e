// --post end to end against the real gateway and the real Kafka broker of the test stack: the
// importer's batches of a real capture are accepted, land on the topic byte for byte and in
// order, and the engine fed from the topic gives the same figures as the importer's local run.
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildTestGateway, type TestGateway } from '../../test/support/gateway.ts';
import { freshDatabase, kafkaBrokers, uniqueName } from '../../test/support/stack.ts';
import { provisionTenant } from '../../test/support/tenancy.ts';
import { loadMigrations, migrate } from '../adapters/clickhouse/migrate.ts';
import { createProducer, type Producer } from '../adapters/kafka/client.ts';
import { captureToBatches, type EncodedBatch } from './capture-batches.ts';
import { datasetText, TEST_IDENTITY } from './datasets.testkit.ts';
import { parseInput } from './formats.ts';
import { postBatches } from './post.ts';
import { runEngine } from './run-engine.ts';
import { summarize } from './summary.ts';

describe('import --post through the gateway and Kafka', () => {
  const topic = uniqueName('import');
  let producer: Producer;
  let gw: TestGateway;
  let url: string;
  let apiKey: string;
  let drop: () => Promise<void>;
  // The gateway takes only industrial internet identifiers under the enterprise's prefix.
  const identity = { ...TEST_IDENTITY, deviceId: '88.900.1/importer-test' };

  beforeAll(async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = await createProducer({ brokers: kafkaBrokers(), clientId: 'it-importer', client: 'confluent' });
    const db = await freshDatabase('import');
    drop = db.drop;
    await migrate(db.ch, db.database, loadMigrations(path.resolve('sql')));
    apiKey = (await provisionTenant(db.ch, { enterpriseId: identity.enterpriseId, identifierPrefix: '88.900.1' })).ingestKey;
    gw = buildTestGateway({ ch: db.ch, producer, topic, maxInFlightBatches: 10 });
    await gw.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(gw.app.server.address() as AddressInfo).port}/v1/batches`;
  });
  afterAll(async () => {
    await gw?.close();
    await producer?.disconnect();
    await drop?.();
  });

  it('the TSN capture posted in 7 batches comes back from the topic and gives the local figures', async () => {
    const files = ['upstream', 'downstream'].map((s) => `tsn-bridge-pdwired/${s}-nocross_vlan-10pkt_per_sec.csv`);
    const parsed = parseInput('two-tap', files.map((f) => ({ name: f, text: datasetText(f) })), { flowId: 'vlan', clockSynced: true, packetBytes: undefined });
    const batches = captureToBatches(parsed.capture, identity, { maxSamplesPerBatch: 150 });
    expect(batches).toHaveLength(7);

    const refused = await postBatches(url, batches.slice(0, 1));
    expect(refused.failure).toMatchObject({ batch: 0, status: 401, code: 'ISO_AUTH_MISSING' });
    const report = await postBatches(url, batches, { apiKey });
    expect(report).toMatchObject({ batches: 7, samples: 1000, acceptedBatches: 7, acceptedSamples: 1000, failure: null });

    // Read the topic back: all records on one partition (keyed by device), in posting order.
    const consumer = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({ groupId: uniqueName('g') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: { partition: number; value: Buffer }[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          seen.push({ partition, value: message.value as Buffer });
          if (seen.length === batches.length) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(new Set(seen.map((s) => s.partition)).size).toBe(1);
    seen.forEach((s, i) => expect(Buffer.compare(s.value, Buffer.from(batches[i].bytes)), `record ${i}`).toBe(0));

    const fromTopic: EncodedBatch[] = seen.map((s) => ({ bytes: new Uint8Array(s.value), samples: 0 }));
    const a = runEngine(fromTopic, {});
    const b = runEngine(batches, {});
    expect(a.windows).toEqual(b.windows);
    const s = summarize('vlan', a.windows, a.discards, a.config.windowNs, a.config.allowedLatenessNs);
    expect({ min: s.owdMinNs, max: s.owdMaxNs, n: s.owdCount }).toEqual({ min: 4420, max: 4660, n: 1000 });
  });
});
