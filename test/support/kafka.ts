// Small helpers over the real test broker: topics, producing raw records, reading a topic.
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers, uniqueName } from './stack.ts';

const kafka = () => new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING, clientId: 'isochron-test' });

export async function createTopics(topics: { topic: string; partitions: number }[]): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function produceRaw(topic: string, records: { key: string; value: Buffer; partition?: number }[]): Promise<void> {
  const p = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      await p.send({ topic, acks: -1, messages: records.slice(i, i + 500) });
    }
  } finally {
    await p.disconnect();
  }
}

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads `count` records from the beginning of a topic (fails after timeoutMs). */
export async function readTopic(topic: string, count: number, timeoutMs = 30_000): Promise<ReadRecord[]> {
  const c = kafka().consumer({ groupId: uniqueName('reader') });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  const out: ReadRecord[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${out.length} of ${count} records from ${topic} in ${timeoutMs} ms`)), timeoutMs);
      void c.run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
          out.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers });
          if (out.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await c.disconnect();
  }
  return out;
}
