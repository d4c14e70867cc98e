// The worker's and the gateway's /metrics, as a real process serves them, pass
// `promtool check metrics` (Prometheus naming and format rules) and carry the series an
// operator needs; /healthz and /readyz answer.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer, type Producer } from '../../services/adapters/kafka/client.ts';
import { resolveWireLimits } from '../../services/core/wire/limits.ts';
import { buildTestGateway, type TestGateway } from '../support/gateway.ts';
import { createTopics, produceRaw } from '../support/kafka.ts';
import { until, type ServiceProcess } from '../support/processes.ts';
import { kafkaBrokers, uniqueName } from '../support/stack.ts';
import { deterministicStream, type StreamRecord } from '../support/stream.ts';
import { bearer, provisionSimulatedTenants } from '../support/tenancy.ts';
import { startWorker, workerTarget, type WorkerTarget } from '../support/worker-run.ts';

function promtool(text: string): string {
  try {
    return execFileSync('promtool', ['check', 'metrics'], { input: text }).toString();
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`promtool check metrics failed:\n${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`);
  }
}

describe('observability', () => {
  let t: WorkerTarget;
  let worker: ServiceProcess;
  const port = String(20000 + Math.floor(Math.random() * 20000));
  let producer: Producer;
  let gateway: TestGateway;
  let keys: Record<string, string>;
  let first: StreamRecord;

  beforeAll(async () => {
    const topic = uniqueName('obs');
    const dlq = uniqueName('obs_dlq');
    const gatewayTopic = uniqueName('obs_gw'); // the gateway's records stay out of the worker's input
    await createTopics([{ topic, partitions: 2 }, { topic: dlq, partitions: 1 }, { topic: gatewayTopic, partitions: 1 }]);
    const stream = deterministicStream({ seed: 5, enterprises: 1, flowsPerDevice: 1, startNs: 1_763_600_000_000_000_000n, durationMs: 3000, batchMs: 200, closeAtEnd: true });
    await produceRaw(topic, [...stream.map((r) => ({ key: r.key, value: r.value })), { key: 'bad', value: Buffer.from('not a batch') }]);
    t = await workerTarget('obs', topic, dlq);
    worker = startWorker(t, { ISOCHRON_WORKER_METRICS_PORT: port });
    producer = await createProducer({ brokers: kafkaBrokers(), clientId: 'obs', client: 'confluent' });
    keys = await provisionSimulatedTenants(t.ch, 1);
    first = stream[0];
    gateway = buildTestGateway({ ch: t.ch, producer, topic: gatewayTopic, limits: resolveWireLimits(), maxBodyBytes: 1 << 20, maxInFlightBatches: 10 });
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.close();
    await producer?.disconnect();
    await t?.drop();
  });

  it('worker metrics pass promtool and include the pipeline series', async () => {
    const text = await until(
      'the worker to write windows and report them',
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return /isochron_worker_window_rows_written_total [1-9]/.test(body) && /isochron_worker_dead_lettered_total\{/.test(body) ? body : undefined;
      },
      60_000,
      worker.output,
    );
    promtool(text);
    for (const name of [
      'isochron_worker_records_total',
      'isochron_worker_samples_total',
      'isochron_worker_windows_closed_total',
      'isochron_worker_window_rows_written_total',
      'isochron_worker_discarded_samples_total',
      'isochron_worker_dead_lettered_total',
      'isochron_worker_consumer_lag_records',
      'isochron_worker_consumer_lag_seconds',
      'isochron_worker_watermark_lag_seconds',
      'isochron_worker_open_windows',
      'isochron_worker_flows',
      'isochron_worker_buffered_samples',
      'isochron_worker_insert_rows',
      'isochron_worker_insert_duration_seconds',
      'isochron_worker_insert_retries_total',
      'isochron_worker_rebalances_total',
      'isochron_worker_checkpoint_bytes',
      'isochron_worker_process_resident_memory_bytes',
    ]) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(text).toMatch(/isochron_worker_dead_lettered_total\{reason="ISO_WIRE_[A-Z_]+"\} 1/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });

  it('gateway metrics pass promtool', async () => {
    const post = (headers: Record<string, string>) =>
      gateway.app.inject({ method: 'POST', url: '/v1/batches', payload: first.value, headers: { 'content-type': 'application/x-protobuf', ...headers } });
    expect((await post({})).statusCode).toBe(401);
    expect((await post(bearer(keys['ent-00001']))).statusCode).toBe(202);
    const res = await gateway.app.inject({ url: '/metrics' });
    promtool(res.body);
    expect(res.body).toMatch(/^# TYPE isochron_gateway_batches_total counter/m);
    expect(res.body).toContain('isochron_gateway_batches_total{outcome="ISO_AUTH_MISSING"} 1\n');
    expect(res.body).toContain('isochron_gateway_batches_total{outcome="accepted"} 1\n');
  });
});
