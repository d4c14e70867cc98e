// One narrow interface over the two Kafka clients isochron supports:
// @confluentinc/kafka-javascript (librdkafka; the default) and kafkajs (pure JS; a setting).
// Both expose the KafkaJS-style API, so the adapter is thin: it fixes the settings that
// matter for correctness (idempotent producer, acks from all in-sync replicas, manual
// commits) and hides the differences in configuration shape.
import { createRequire } from 'node:module';
import { Kafka as KafkaJs, logLevel as kafkajsLogLevel } from 'kafkajs';

const require = createRequire(import.meta.url);

export type KafkaClientKind = 'confluent' | 'kafkajs';
export const KAFKA_CLIENT_KINDS: readonly KafkaClientKind[] = ['confluent', 'kafkajs'];

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly client: KafkaClientKind;
}

export interface OutgoingMessage {
  readonly key: string | Buffer;
  readonly value: Buffer;
  readonly headers?: Record<string, string>;
}

export interface Producer {
  /** Resolves once every in-sync replica acknowledged every message (acks=all, idempotent). */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumedMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestampMs: number;
  readonly headers: Record<string, string>;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: readonly ConsumedMessage[];
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read (last processed + 1), as Kafka commits it. */
  readonly offset: string;
}

export interface Consumer {
  /** Starts the fetch loop; `handler` is called per partition batch, never concurrently for one partition. */
  run(handler: (batch: ConsumedBatch) => Promise<void>): Promise<void>;
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  pause(topic: string, partitions: readonly number[]): void;
  resume(topic: string, partitions: readonly number[]): void;
  /** The next batch of this partition starts at `offset`. */
  seek(topic: string, partition: number, offset: string): void;
  disconnect(): Promise<void>;
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Read from the earliest offset when the group has no committed offset. */
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly maxBatchMessages?: number;
  /** Partitions of `topics` given to this member (after a rebalance). */
  readonly onAssign?: (partitions: number[]) => Promise<void> | void;
  /**
   * Partitions taken from this member. With the confluent client this runs before the
   * partitions go to another member (it may still checkpoint them); kafkajs reports the loss
   * only after the new assignment, so state must already be recoverable without it.
   */
  readonly onRevoke?: (partitions: number[]) => Promise<void> | void;
  /**
   * Partition batches handled at once (default 1). Batches of one partition are never handled
   * concurrently; above 1, a partition waiting in its handler (restoring its state) does not
   * hold up the others.
   */
  readonly partitionsConsumedConcurrently?: number;
}

// librdkafka rebalance event codes (rdkafka.h: RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS = -175,
// RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS = -174).
const ERR_ASSIGN_PARTITIONS = -175;
const ERR_REVOKE_PARTITIONS = -174;

// The confluent package's KafkaJS-compatible classes, loaded lazily so that a kafkajs-only
// run never loads the native binding.
function confluentKafka(s: KafkaSettings) {
  const { KafkaJS } = require('@confluentinc/kafka-javascript') as typeof import('@confluentinc/kafka-javascript');
  return new KafkaJS.Kafka({ kafkaJS: { brokers: [...s.brokers], clientId: s.clientId, logLevel: KafkaJS.logLevel.NOTHING } });
}

function kafkajsKafka(s: KafkaSettings) {
  return new KafkaJs({ brokers: [...s.brokers], clientId: s.clientId, logLevel: kafkajsLogLevel.NOTHING });
}

export interface ProducerOptions {
  /**
   * Longest time a send waits for the acknowledgement before it fails (librdkafka
   * message.timeout.ms; kafkajs request timeout). Default: the client's own (5 min / 30 s).
   */
  readonly deliveryTimeoutMs?: number;
  /**
   * How long librdkafka waits to fill a batch before sending it (linger.ms): more batching and
   * fewer requests against a longer wait for every acknowledgement. Default 5.
   */
  readonly lingerMs?: number;
}

export async function createProducer(s: KafkaSettings, o: ProducerOptions = {}): Promise<Producer> {
  // Both: idempotent producer, acks = -1 (all in-sync replicas). No compression: kafkajs reads
  // only uncompressed and gzip batches without plugins, and either client may consume.
  const timeout = o.deliveryTimeoutMs !== undefined ? { 'message.timeout.ms': o.deliveryTimeoutMs } : {};
  const p =
    s.client === 'confluent'
      ? confluentKafka(s).producer({ 'linger.ms': o.lingerMs ?? 5, ...timeout, kafkaJS: { idempotent: true, acks: -1 } })
      : kafkajsKafka(s).producer({ idempotent: true, maxInFlightRequests: 5 });
  await p.connect();
  return {
    async send(topic, messages) {
      await p.send({
        topic,
        // kafkajs takes acks per send; the confluent client takes it in the constructor (above).
        ...(s.client === 'kafkajs' ? { acks: -1, ...(o.deliveryTimeoutMs !== undefined ? { timeout: o.deliveryTimeoutMs } : {}) } : {}),
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      } as never);
    },
    disconnect: () => p.disconnect(),
  };
}

function headersToStrings(h: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

export async function createConsumer(s: KafkaSettings, o: ConsumerOptions): Promise<Consumer> {
  const c =
    s.client === 'confluent'
      ? confluentKafka(s).consumer({
          'js.consumer.max.batch.size': o.maxBatchMessages ?? 500,
          rebalance_cb: async (err: { code: number }, assignment: { topic: string; partition: number }[]) => {
            const partitions = assignment.filter((a) => o.topics.includes(a.topic)).map((a) => a.partition);
            if (err.code === ERR_ASSIGN_PARTITIONS) await o.onAssign?.(partitions);
            else if (err.code === ERR_REVOKE_PARTITIONS) await o.onRevoke?.(partitions);
          },
          kafkaJS: {
            groupId: o.groupId,
            fromBeginning: o.fromBeginning ?? true,
            autoCommit: false,
            sessionTimeout: o.sessionTimeoutMs ?? 10_000,
          },
        })
      : kafkajsKafka(s).consumer({ groupId: o.groupId, sessionTimeout: o.sessionTimeoutMs ?? 10_000, allowAutoTopicCreation: false });
  if (s.client === 'kafkajs') {
    // kafkajs reports the new assignment after each join; the difference is what was revoked.
    const kc = c as ReturnType<ReturnType<typeof kafkajsKafka>['consumer']>;
    let current = new Set<number>();
    kc.on(kc.events.GROUP_JOIN, (e) => {
      const next = new Set<number>(o.topics.flatMap((t) => e.payload.memberAssignment[t] ?? []));
      const revoked = [...current].filter((p) => !next.has(p));
      const added = [...next].filter((p) => !current.has(p));
      current = next;
      void (async () => {
        if (revoked.length > 0) await o.onRevoke?.(revoked);
        if (added.length > 0) await o.onAssign?.(added);
      })();
    });
  }
  await c.connect();
  if (s.client === 'confluent') await c.subscribe({ topics: [...o.topics] });
  else await (c as ReturnType<ReturnType<typeof kafkajsKafka>['consumer']>).subscribe({ topics: [...o.topics], fromBeginning: o.fromBeginning ?? true });
  return {
    async run(handler) {
      await c.run({
        ...(s.client === 'kafkajs' ? { autoCommit: false } : {}),
        partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 1,
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }: { batch: { topic: string; partition: number; highWatermark: string; messages: Array<{ offset: string; key: Buffer | null; value: Buffer | null; timestamp: string; headers?: Record<string, unknown> }> } }) => {
          await handler({
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: batch.highWatermark,
            messages: batch.messages.map((m) => ({
              offset: m.offset,
              key: m.key,
              value: m.value,
              timestampMs: Number(m.timestamp),
              headers: headersToStrings(m.headers),
            })),
          });
        },
      } as never);
    },
    async commit(offsets) {
      if (offsets.length === 0) return;
      await c.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })));
    },
    pause: (topic, partitions) => c.pause([{ topic, partitions: [...partitions] }]),
    resume: (topic, partitions) => c.resume([{ topic, partitions: [...partitions] }]),
    seek: (topic, partition, offset) => c.seek({ topic, partition, offset }),
    disconnect: () => c.disconnect(),
  };
}

export interface EndOffsetReader {
  /** The broker's end offset (high watermark: the offset the next record will get) per partition. */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  disconnect(): Promise<void>;
}

/**
 * Reads partitions' end offsets with an admin client of its own, independent of the consumer's
 * fetch loop: it answers while the consumer is busy, restoring or paused (the worker's idleness
 * rule needs exactly that).
 */
export async function createEndOffsetReader(s: KafkaSettings, requestTimeoutMs = 5000): Promise<EndOffsetReader> {
  // Both clients' admins share this KafkaJS-style call (the confluent one also takes a timeout).
  type OffsetAdmin = {
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    fetchTopicOffsets(topic: string, options?: { timeout: number }): Promise<{ partition: number; high: string }[]>;
  };
  const admin = (s.client === 'confluent' ? confluentKafka(s).admin() : kafkajsKafka(s).admin()) as unknown as OffsetAdmin;
  await admin.connect();
  return {
    async endOffsets(topic) {
      const rows = await admin.fetchTopicOffsets(topic, s.client === 'confluent' ? { timeout: requestTimeoutMs } : undefined);
      return new Map(rows.map((r) => [r.partition, BigInt(r.high)]));
    },
    disconnect: () => admin.disconnect(),
  };
}
