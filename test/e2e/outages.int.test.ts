// Outages of the real dependencies under load (issue 4), each on a private server so the rest
// of the suite keeps its own: ClickHouse stopped for 30 s, and the Kafka broker restarted.
// Results must equal an undisturbed run on the shared test stack, row for row.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse } from '../../services/adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../../services/adapters/clickhouse/migrate.ts';
import { startClickHouse, stopClickHouse } from '../../scripts/stack/clickhouse.ts';
import { stackConfig, type StackConfig } from '../../scripts/stack/config.ts';
import { ensureTopics, startKafka, stopKafka } from '../../scripts/stack/kafka.ts';
import { produceRaw, createTopics } from '../support/kafka.ts';
import { until, type ServiceProcess } from '../support/processes.ts';
import { uniqueName } from '../support/stack.ts';
import { deterministicStream } from '../support/stream.ts';
import { allWindows, discardTotals, settled, startWorker, workerTarget, type WorkerTarget } from '../support/worker-run.ts';

const PARTITIONS = 4;
const stream = deterministicStream({ seed: 43, enterprises: 2, flowsPerDevice: 2, startNs: 1_763_500_000_000_000_000n, durationMs: 20_000, batchMs: 100, closeAtEnd: true });
const half = Math.floor(stream.length / 2);
const records = (from: number, to: number) => stream.slice(from, to).map((r) => ({ key: r.key, value: r.value }));

/**
 * A private stack next to the shared one: own ports, own folder. The ports sit below Linux's
 * ephemeral range (32768-60999): while a server is down, clients retrying to reach it could
 * otherwise be given its port as their own source port and connect to themselves (TCP
 * simultaneous open), and the restarted server would find its port taken.
 */
function privateStack(name: string, base: number): StackConfig {
  const shared = stackConfig('test');
  return stackConfig('test', {
    ...process.env,
    ISOCHRON_STACK_DIR: path.join(shared.dir, `private-${name}-${process.pid}`),
    ISOCHRON_KAFKA_PORT: String(base),
    ISOCHRON_KAFKA_CONTROLLER_PORT: String(base + 1),
    ISOCHRON_CLICKHOUSE_HTTP_PORT: String(base + 2),
    ISOCHRON_CLICKHOUSE_TCP_PORT: String(base + 3),
  });
}

async function metric(port: string, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((a, l) => a + Number(l.split(' ').pop()), 0);
}

describe('outages under load', { timeout: 240_000 }, () => {
  const dlq = uniqueName('outage_dlq');
  const targets: WorkerTarget[] = [];
  const workers: ServiceProcess[] = [];
  let reference: { windows: unknown[]; discards: unknown[] };
  const outputs = () => workers.map((w, i) => `--- worker ${i} ---\n${w.output().slice(-3000)}`).join('\n');

  beforeAll(async () => {
    await createTopics([{ topic: dlq, partitions: 1 }]);
    const topic = uniqueName('outage_ref');
    await createTopics([{ topic, partitions: PARTITIONS }]);
    await produceRaw(topic, records(0, stream.length));
    const ref = await workerTarget('outref', topic, dlq);
    targets.push(ref);
    const w = startWorker(ref);
    workers.push(w);
    await settled(ref.ch, 6000, 120_000, outputs);
    await w.stop();
    reference = { windows: await allWindows(ref.ch), discards: await discardTotals(ref.ch) };
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await Promise.all(targets.map((t) => t.drop().catch(() => undefined)));
  });

  it('ClickHouse down for 30 s: the worker pauses, retries with backoff, resumes, and nothing is lost or doubled', async () => {
    const c = privateStack('ch', 23100);
    await startClickHouse(c);
    try {
      const url = `http://127.0.0.1:${c.clickhouseHttpPort}`;
      const database = uniqueName('outage_ch');
      const ch = createClickHouse({ url, database });
      await migrate(ch, database, loadMigrations(path.resolve('sql')));
      const topic = uniqueName('outage_ch');
      await createTopics([{ topic, partitions: PARTITIONS }]);
      await produceRaw(topic, records(0, half));
      const port = String(20000 + Math.floor(Math.random() * 20000));
      const w = startWorker({ topic, dlq, groupId: uniqueName('outage_ch_g'), database, ch, drop: async () => undefined }, {
        ISOCHRON_CLICKHOUSE_URL: url,
        ISOCHRON_WORKER_METRICS_PORT: port,
        ISOCHRON_WORKER_MAX_PENDING_ROWS: '20',
        ISOCHRON_WORKER_MAX_BATCH_RECORDS: '5',
      });
      workers.push(w);
      await until('first windows', async () => (Number((await ch.query<{ n: string }>('SELECT count() AS n FROM flow_windows'))[0].n) > 0 ? true : undefined), 60_000, outputs);
      // Every record of the first half processed (so every partition with data taken over,
      // its checkpoint read) before ClickHouse goes away.
      await until('the first half processed', async () => ((await metric(port, 'isochron_worker_records_total')) >= half ? true : undefined), 60_000, outputs);
      await stopClickHouse(c);
      await produceRaw(topic, records(half, stream.length));
      await new Promise((r) => setTimeout(r, 20_000));
      const before = await metric(port, 'isochron_worker_records_total');
      await new Promise((r) => setTimeout(r, 10_000));
      // Consumption has stopped (partitions paused, or the batch in hand held until its
      // checkpoint can be read) before the stream was consumed: nothing piles up in memory.
      expect(await metric(port, 'isochron_worker_records_total'), outputs()).toBe(before);
      expect(before).toBeLessThan(stream.length);
      expect(await metric(port, 'isochron_worker_pending_rows')).toBeLessThanOrEqual(20 + 5000);
      expect(await metric(port, 'isochron_worker_paused_partitions'), outputs()).toBeGreaterThan(0);
      expect(await metric(port, 'isochron_worker_insert_retries_total'), outputs()).toBeGreaterThan(0);
      const rssMb = (await metric(port, 'isochron_worker_process_resident_memory_bytes')) / 1e6;
      expect(rssMb).toBeLessThan(600);
      expect(w.child.exitCode).toBeNull();
      await startClickHouse(c);
      await settled(ch, 4000, 120_000, outputs, reference.windows.length);
      expect({ windows: await allWindows(ch), discards: await discardTotals(ch) }).toEqual(reference);
    } finally {
      await stopClickHouse(c);
    }
  });

  it('the Kafka broker restarts under load: the worker reconnects, and nothing is lost or doubled', async () => {
    const c = privateStack('kafka', 23200);
    await startKafka(c);
    try {
      const topic = uniqueName('outage_kafka');
      const pdlq = uniqueName('outage_kafka_dlq');
      await ensureTopics(c, [{ name: topic, partitions: PARTITIONS }, { name: pdlq, partitions: 1 }]);
      const brokers = `127.0.0.1:${c.kafkaPort}`;
      const { Kafka, logLevel } = await import('kafkajs');
      const produce = async (from: number, to: number) => {
        const p = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
        await p.connect();
        for (let i = from; i < to; i += 500) await p.send({ topic, acks: -1, messages: records(i, Math.min(to, i + 500)) });
        await p.disconnect();
      };
      await produce(0, half);
      const t = await workerTarget('outkafka', topic, pdlq);
      targets.push(t);
      const w = startWorker(t, { ISOCHRON_KAFKA_BROKERS: brokers });
      workers.push(w);
      await until('first windows', async () => (Number((await t.ch.query<{ n: string }>('SELECT count() AS n FROM flow_windows'))[0].n) > 0 ? true : undefined), 60_000, outputs);
      await stopKafka(c);
      await new Promise((r) => setTimeout(r, 5000));
      await startKafka(c);
      await produce(half, stream.length);
      await settled(t.ch, 4000, 180_000, outputs, reference.windows.length);
      expect(w.child.exitCode).toBeNull();
      expect({ windows: await allWindows(t.ch), discards: await discardTotals(t.ch) }).toEqual(reference);
    } finally {
      await stopKafka(c);
    }
  });
});
