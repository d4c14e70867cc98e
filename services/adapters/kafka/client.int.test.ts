import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../test/support/stack.ts';
import { createConsumer, createProducer, KAFKA_CLIENT_KINDS, type ConsumedMessage } from './client.ts';

async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

describe.each(KAFKA_CLIENT_KINDS)('Kafka adapter with the %s client against the real broker', (client) => {
  it('produces with acks from all replicas, consumes keyed messages in order with headers, and commits', async () => {
    const topic = uniqueName(`adapter_${client}`);
    await createTopic(topic, 2);
    const settings = { brokers: kafkaBrokers(), clientId: `it-${client}`, client };
    const producer = await createProducer(settings);
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `dev-${i % 3}`, value: Buffer.from(`v${i}`), headers: { n: String(i) } }));
    await producer.send(topic, sent);
    await producer.disconnect();

    const groupId = uniqueName('g');
    const consumer = await createConsumer(settings, { groupId, topics: [topic] });
    const got: (ConsumedMessage & { partition: number })[] = [];
    const done = new Promise<void>((resolve) => {
      void consumer.run(async (b) => {
        for (const m of b.messages) got.push({ ...m, partition: b.partition });
        await consumer.commit([{ topic, partition: b.partition, offset: String(Number(b.messages[b.messages.length - 1].offset) + 1) }]);
        if (got.length >= sent.length) resolve();
      });
    });
    await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error('timed out waiting for messages')), 30_000))]);
    await consumer.disconnect();

    expect(got).toHaveLength(20);
    // Per key, the order of production is kept (one key -> one partition).
    for (const key of ['dev-0', 'dev-1', 'dev-2']) {
      const ofKey = got.filter((m) => m.key?.toString() === key);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      expect(ofKey.map((m) => Number(m.headers.n))).toEqual(sent.map((s, i) => (s.key === key ? i : -1)).filter((i) => i >= 0));
      expect(ofKey.map((m) => m.value?.toString())).toEqual(ofKey.map((m) => `v${m.headers.n}`));
    }

    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    const total = committed[0].partitions.reduce((a, p) => a + Number(p.offset), 0);
    expect(total).toBe(20);
  });
});
