// /readyz tells the truth (issue 10): a worker whose partitions cannot be restored, or that has
// records waiting and makes no progress, is not ready; it becomes ready once it can work. Real
// worker processes, real Kafka and ClickHouse.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../services/adapters/clickhouse/migrate.ts';
import { createTopics, produceRaw } from '../support/kafka.ts';
import { until, type ServiceProcess } from '../support/processes.ts';
import { freshDatabase, uniqueName } from '../support/stack.ts';
import { deterministicStream } from '../support/stream.ts';
import { metricsPortOf, settled, startWorker, workerTarget, type WorkerTarget } from '../support/worker-run.ts';

const stream = deterministicStream({ seed: 44, enterprises: 1, flowsPerDevice: 2, startNs: 1_763_600_000_000_000_000n, durationMs: 5_000, batchMs: 100, closeAtEnd: true });

async function readyz(port: number): Promise<{ status: number; body: { status: string; problems?: string[] } }> {
  const r = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: r.status, body: (await r.json()) as { status: string; problems?: string[] } };
}

describe('worker readiness', { timeout: 180_000 }, () => {
  const workers: ServiceProcess[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await Promise.all(drops.map((d) => d()));
  });
  const topicWithData = async (name: string) => {
    const topic = uniqueName(name);
    await createTopics([{ topic, partitions: 2 }]);
    await produceRaw(topic, stream.map((r) => ({ key: r.key, value: r.value })));
    return topic;
  };

  it('is not ready while its partitions cannot be restored, and ready once they can', async () => {
    const topic = await topicWithData('ready_restore');
    // A database without the tables: every restore fails (the checkpoint table is missing).
    const { ch, database, drop } = await freshDatabase('ready_restore');
    drops.push(drop);
    const t: WorkerTarget = { topic, dlq: uniqueName('ready_dlq'), groupId: uniqueName('ready_group'), database, ch, drop };
        const w = startWorker(t, { ISOCHRON_WORKER_METRICS_PORT: '0' });
    workers.push(w);
    const port = await metricsPortOf(w);
    const notReady = await until('readyz 503 with a restore problem', async () => {
      const r = await readyz(port);
      return r.status === 503 && r.body.problems?.some((p) => /restore failing/.test(p)) ? r : undefined;
    }, 60_000, w.output);
    expect(notReady.body.status).toBe('not_ready');
    expect(w.output()).toMatch(/restoring its checkpoint failed \(attempt 1\), retrying/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(Number(/^isochron_worker_restore_failures_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);

    await migrate(ch, database, loadMigrations(path.resolve('sql')));
    await until('readyz 200', async () => ((await readyz(port)).status === 200 ? true : undefined), 60_000, w.output);
    expect(await settled(ch, 3000, 60_000, w.output)).toBeGreaterThan(0);
  });

  it('is not ready while records wait and nothing moves (a restore slower than the progress timeout), then ready', async () => {
    const topic = await topicWithData('ready_progress');
    const t = await workerTarget('ready_progress', topic, uniqueName('ready_dlq'));
    drops.push(t.drop);
        const w = startWorker(t, { ISOCHRON_WORKER_METRICS_PORT: '0', ISOCHRON_WORKER_PROGRESS_TIMEOUT_MS: '1000', ISOCHRON_WORKER_FAULT_RESTORE_DELAY_MS: '8000' });
    workers.push(w);
    const port = await metricsPortOf(w);
    const stuck = await until('readyz 503 without progress', async () => {
      const r = await readyz(port);
      return r.status === 503 && r.body.problems?.some((p) => /restoring, no progress for \d+ s/.test(p)) ? r : undefined;
    }, 60_000, w.output);
    expect(stuck.body.status).toBe('not_ready');
    await until('readyz 200 after the restores', async () => ((await readyz(port)).status === 200 ? true : undefined), 60_000, w.output);
    expect(await settled(t.ch, 3000, 60_000, w.output)).toBeGreaterThan(0);
    // Caught up and idle for several progress timeouts (nothing waits): still ready.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const r = await readyz(port).catch((e: Error) => {
        throw new Error(`${e.message}\n--- worker ---\n${w.output().slice(-3000)}`);
      });
      expect(r).toEqual({ status: 200, body: { status: 'ready' } });
    }
  });
});
