// Poison input never blocks a partition and never stops the worker: every bad record goes to
// the dead-letter topic with the reason and the source offset in headers, and the good
// records around it are processed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouse } from '../../services/adapters/clickhouse/client.ts';
import { encodeBatch } from '../../services/core/wire/encode-batch.ts';
import { createTopics, produceRaw, readTopic } from '../support/kafka.ts';
import { until, type ServiceProcess } from '../support/processes.ts';
import { uniqueName } from '../support/stack.ts';
import { deterministicStream } from '../support/stream.ts';
import { startWorker, workerTarget } from '../support/worker-run.ts';

describe('poison input', () => {
  const topic = uniqueName('poison');
  const dlq = uniqueName('poison_dlq');
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  let worker: ServiceProcess;

  beforeAll(async () => {
    await createTopics([{ topic, partitions: 1 }, { topic: dlq, partitions: 1 }]);
    const t = await workerTarget('poison', topic, dlq);
    ({ ch, drop } = t);
    worker = startWorker(t, { ISOCHRON_ALLOWED_LATENESS_MS: '200' });
  });
  afterAll(async () => {
    await worker?.stop();
    await drop?.();
  });

  it('dead-letters each bad record with its reason and offset, and keeps processing good ones', async () => {
    const good = deterministicStream({ seed: 7, enterprises: 1, flowsPerDevice: 1, startNs: 1_763_000_000_000_000_000n, durationMs: 3000, batchMs: 500 });
    const valid = good[0].value;
    const wrongVersion = Buffer.from(encodeBatch({ schemaVersion: 9, identity: { enterpriseId: 'e', siteId: 's', networkType: 'tsn', segmentId: 'x', deviceId: '88.1/D' }, flows: [] }));
    const poison = [
      { key: 'bad', value: Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff)), code: 'ISO_WIRE_' },
      { key: 'bad', value: valid.subarray(0, Math.floor(valid.length / 2)), code: 'ISO_WIRE_TRUNCATED' },
      { key: 'bad', value: wrongVersion, code: 'ISO_WIRE_BAD_VERSION' },
      { key: 'bad', value: Buffer.alloc(0), code: 'ISO_WIRE_MALFORMED' },
    ];
    // good, poison..., rest of the good stream: one partition, so order is the offset order.
    const records = [good[0], ...poison.map((p) => ({ key: p.key, value: p.value })), ...good.slice(1)];
    await produceRaw(topic, records.map((r) => ({ key: r.key, value: r.value, partition: 0 })));

    const dead = await readTopic(dlq, poison.length);
    expect(dead).toHaveLength(poison.length);
    dead.sort((a, b) => Number(a.headers['isochron-source-offset']) - Number(b.headers['isochron-source-offset']));
    dead.forEach((d, i) => {
      expect(d.headers['isochron-error-code']).toContain(poison[i].code);
      expect(d.headers['isochron-source-topic']).toBe(topic);
      expect(d.headers['isochron-source-partition']).toBe('0');
      expect(d.headers['isochron-source-offset']).toBe(String(i + 1));
      expect(d.headers['isochron-error-message'].length).toBeGreaterThan(5);
      expect(Buffer.compare(d.value ?? Buffer.alloc(0), poison[i].value)).toBe(0);
    });

    // Good records before and after the poison are in windows: the first two seconds close.
    const rows = await until(
      'windows of the good records',
      async () => {
        const r = await ch.query<{ windows: string; received: string }>('SELECT count() AS windows, sum(received_packets) AS received FROM flow_windows FINAL');
        return Number(r[0].windows) >= 4 ? r[0] : undefined;
      },
      60_000,
      worker.output,
    );
    expect(Number(rows.received)).toBeGreaterThan(0);
    expect(worker.child.exitCode).toBeNull();
  });
});
