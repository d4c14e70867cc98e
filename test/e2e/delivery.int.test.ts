// Effectively-once through failures (issue 4), with real processes: the same deterministic
// stream is processed once undisturbed (the reference) and once through a failure; the final
// ClickHouse results must be equal row for row. Windows close on event time; the last ones
// close by the idle rule once the topic is drained.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, produceRaw } from '../support/kafka.ts';
import { until, type ServiceProcess } from '../support/processes.ts';
import { uniqueName } from '../support/stack.ts';
import { deterministicStream } from '../support/stream.ts';
import { allWindows, discardTotals, settled, startWorker, workerTarget, type WorkerTarget } from '../support/worker-run.ts';

const PARTITIONS = 4;
const stream = deterministicStream({ seed: 42, enterprises: 2, flowsPerDevice: 2, startNs: 1_763_400_000_000_000_000n, durationMs: 30_000, batchMs: 100, closeAtEnd: true });

async function rowsOf(t: WorkerTarget) {
  return { windows: await allWindows(t.ch), discards: await discardTotals(t.ch) };
}

describe('delivery through failures (real worker processes)', { timeout: 180_000 }, () => {
  const dlq = uniqueName('delivery_dlq');
  const half = Math.floor(stream.length / 2);
  const targets: WorkerTarget[] = [];
  const workers: ServiceProcess[] = [];
  let reference: Awaited<ReturnType<typeof rowsOf>>;

  /** A database, group and topic of its own; the topic gets the first `records` of the stream. */
  const target = async (name: string, records = stream.length) => {
    const topic = uniqueName(name);
    await createTopics([{ topic, partitions: PARTITIONS }]);
    await produceRaw(topic, stream.slice(0, records).map((r) => ({ key: r.key, value: r.value })));
    const t = await workerTarget(name, topic, dlq);
    targets.push(t);
    return t;
  };
  const produceRest = (t: WorkerTarget) => produceRaw(t.topic, stream.slice(half).map((r) => ({ key: r.key, value: r.value })));
  const someWindows = (t: WorkerTarget) =>
    until('some windows written', async () => (Number((await t.ch.query<{ n: string }>('SELECT count() AS n FROM flow_windows'))[0].n) > 0 ? true : undefined), 60_000, outputs);
  const worker = (t: WorkerTarget, env?: Record<string, string>) => {
    const w = startWorker(t, env);
    workers.push(w);
    return w;
  };
  const outputs = () => workers.map((w, i) => `--- worker ${i} ---\n${w.output().slice(-3000)}`).join('\n');

  beforeAll(async () => {
    await createTopics([{ topic: dlq, partitions: 1 }]);
    const ref = await target('ref');
    const w = worker(ref);
    await settled(ref.ch, 6000, 120_000, outputs);
    await w.stop();
    reference = await rowsOf(ref);
    expect(reference.windows.length).toBeGreaterThan(100);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await Promise.all(targets.map((t) => t.drop()));
  });

  it('SIGKILL in the middle of the stream, then restart: results equal the undisturbed run', async () => {
    const t = await target('kill', half);
    const first = worker(t);
    await someWindows(t);
    await first.stop('SIGKILL');
    await produceRest(t);
    worker(t);
    await settled(t.ch, 4000, 120_000, outputs, reference.windows.length);
    expect(await rowsOf(t)).toEqual(reference);
  });

  it('a second worker joins and later leaves the group: results equal the undisturbed run', async () => {
    const t = await target('join', half);
    const a = worker(t, { ISOCHRON_KAFKA_CLIENT: 'confluent' });
    await someWindows(t);
    const b = worker(t, { ISOCHRON_KAFKA_CLIENT: 'confluent' });
    await new Promise((r) => setTimeout(r, 5000));
    await produceRest(t);
    await new Promise((r) => setTimeout(r, 3000));
    await b.stop('SIGTERM');
    await settled(t.ch, 4000, 120_000, outputs, reference.windows.length);
    await a.stop();
    expect(await rowsOf(t)).toEqual(reference);
  });

  it('SIGTERM drains within the bounded time, and a restart completes identically (kafkajs client)', async () => {
    const t = await target('term', half);
    const first = worker(t, { ISOCHRON_KAFKA_CLIENT: 'kafkajs' });
    await someWindows(t);
    const t0 = Date.now();
    const code = await first.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(first.output()).toMatch(/draining/);
    await produceRest(t);
    worker(t, { ISOCHRON_KAFKA_CLIENT: 'kafkajs' });
    await settled(t.ch, 4000, 120_000, outputs, reference.windows.length);
    expect(await rowsOf(t)).toEqual(reference);
  });
});
