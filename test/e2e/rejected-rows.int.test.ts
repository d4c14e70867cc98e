// Rows ClickHouse refuses as bad data are not lost (issue 11): the worker isolates them (the
// good rows of the same insert land), sends each to the dead-letter topic with the reason, and
// counts them. Made real by a schema that disagrees with the worker: this database's
// flow_windows.flow_id is a FixedString(5), which holds the 5G flows' ids (`qfi-1`) but refuses
// the TSN streams' (`stream-1`, server code 131), so every TSN window is refused while the 5G
// windows are written. The expected split comes from the undisturbed run of the same
// records (test/support/reference-run.ts) on a database with the right schema.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTopics, produceRaw, readTopic } from '../support/kafka.ts';
import { until } from '../support/processes.ts';
import { referenceRun } from '../support/reference-run.ts';
import { uniqueName } from '../support/stack.ts';
import { deterministicStream } from '../support/stream.ts';
import { metricsPortOf, startWorker, workerTarget } from '../support/worker-run.ts';

const START_NS = 1_763_700_000_000_000_000n;
const stream = deterministicStream({ seed: 45, enterprises: 2, flowsPerDevice: 2, startNs: START_NS, durationMs: 6_000, batchMs: 100, closeAtEnd: true });
// The stream's closing batch, an hour later, closes every earlier window on event time; its own
// windows stay open in the worker (no idle rule here), so they are left out of the comparison.
const beforeClosingBatch = (r: Record<string, unknown>) => BigInt(String(r.window_start_ns)) < START_NS + 3_600_000_000_000n;
const key = (r: Record<string, unknown>) => `${r.enterprise_id}/${r.device_id}/${r.flow_id}/${r.window_start_ns}`;

describe('rows ClickHouse refuses as bad data', { timeout: 180_000 }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('go to the dead-letter topic with the reason, and the good rows of the same inserts are written', async () => {
    const topic = uniqueName('rejected');
    const dlq = uniqueName('rejected_dlq');
    await createTopics([{ topic, partitions: 2 }, { topic: dlq, partitions: 1 }]);
    await produceRaw(topic, stream.map((r) => ({ key: r.key, value: r.value })));
    const records = await readTopic(topic, stream.length);
    const ref = await referenceRun(records, { windowMs: 1000, allowedLatenessMs: 500, partitionIdleTimeoutMs: 600_000 });
    cleanups.push(ref.drop);
    const expected = (await ref.ch.query<Record<string, unknown>>('SELECT * FROM flow_windows FINAL')).filter(beforeClosingBatch);
    const tsn = expected.filter((r) => r.network_type === 'tsn');
    const fiveG = expected.filter((r) => r.network_type === '5g');
    expect(tsn.length).toBeGreaterThan(10);
    expect(fiveG.length).toBeGreaterThan(10);

    const t = await workerTarget('rejected', topic, dlq);
    cleanups.push(t.drop);
    const create = /CREATE TABLE IF NOT EXISTS flow_windows[\s\S]*?;/.exec(fs.readFileSync('sql/001_flow_windows.sql', 'utf8'))![0];
    await t.ch.command('DROP TABLE flow_windows');
    await t.ch.command(create.replace('flow_id String,', 'flow_id FixedString(5),').replace(/;$/, ''));
        const w = startWorker(t, { ISOCHRON_WORKER_METRICS_PORT: '0', ISOCHRON_WORKER_MAX_INSERT_ROWS: '1000' });
    cleanups.push(() => w.stop());
    const port = await metricsPortOf(w);

    const dead = await readTopic(dlq, tsn.length, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- worker ---\n${w.output().slice(-4000)}`);
    });
    const written = await until('the 5G windows', async () => {
      const rows = await t.ch.query<Record<string, unknown>>('SELECT * FROM flow_windows FINAL');
      return rows.length >= fiveG.length ? rows : undefined;
    }, 60_000, w.output);
    expect(written.map(key).sort()).toEqual(fiveG.map(key).sort());
    const deadRows = dead.map((d) => JSON.parse(d.value!.toString()) as Record<string, unknown>);
    expect(deadRows.map(key).sort()).toEqual(tsn.map(key).sort());
    expect(deadRows.every((r) => r.network_type === 'tsn')).toBe(true);
    for (const d of dead) {
      expect(d.headers['isochron-error-code']).toBe('ISO_CLICKHOUSE_BAD_DATA');
      expect(d.headers['isochron-source-table']).toBe('flow_windows');
      expect(d.headers['isochron-source-topic']).toBe(topic);
      expect(d.headers['isochron-error-message']).toMatch(/FixedString\(5\)/);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const counted = /^isochron_worker_insert_rejected_rows_total\{table="flow_windows",reason="ISO_CLICKHOUSE_BAD_DATA"\} (\d+)/m.exec(metrics);
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(tsn.length);
    expect(w.child.exitCode).toBeNull();
  });
});
