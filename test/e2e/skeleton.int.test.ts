// The thin end-to-end path: HTTP POST of a binary batch -> gateway -> Kafka -> worker (its own
// OS process) -> ClickHouse, and the exact expected window row read back. Expected values are
// computed here from the raw samples (sorting, nearest-rank), not by the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer, type Producer } from '../../services/adapters/kafka/client.ts';
import type { ClickHouse } from '../../services/adapters/clickhouse/client.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../../services/core/wire/batch.ts';
import { encodeBatch } from '../../services/core/wire/encode-batch.ts';
import { resolveWireLimits } from '../../services/core/wire/limits.ts';
import { buildTestGateway, type TestGateway } from '../support/gateway.ts';
import { createTopics } from '../support/kafka.ts';
import { until, type ServiceProcess } from '../support/processes.ts';
import { kafkaBrokers, uniqueName } from '../support/stack.ts';
import { startWorker, workerTarget } from '../support/worker-run.ts';
import { bearer, provisionTenant } from '../support/tenancy.ts';

const T0_NS = 1_763_700_000_000_000_000n; // a whole second: window [T0, T0 + 1 s)
const identity = { enterpriseId: 'ent-e2e', siteId: 'site-1', networkType: 'tsn' as const, segmentId: 'tsn-domain-1', deviceId: '88.100.1/DEV-0001' };

/** Nearest-rank percentile (RFC 2330 / RFC 7679 §5.1): smallest value with at least p of the sample at or below it. */
function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

describe('end to end: POST -> Kafka -> worker -> ClickHouse', () => {
  const topic = uniqueName('e2e_telemetry');
  const dlq = uniqueName('e2e_dlq');
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  let producer: Producer;
  let gateway: TestGateway;
  let ingestKey: string;
  let worker: ServiceProcess;

  beforeAll(async () => {
    await createTopics([{ topic, partitions: 2 }, { topic: dlq, partitions: 1 }]);
    const t = await workerTarget('e2e', topic, dlq);
    ({ ch, drop } = t);
    producer = await createProducer({ brokers: kafkaBrokers(), clientId: 'e2e-gateway', client: 'confluent' });
    ({ ingestKey } = await provisionTenant(ch, { enterpriseId: identity.enterpriseId, identifierPrefix: '88.100.1' }));
    gateway = buildTestGateway({ ch, producer, topic, limits: resolveWireLimits(), maxBodyBytes: 4 << 20, maxInFlightBatches: 100 });
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    worker = startWorker(t);
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.close();
    await producer?.disconnect();
    await drop?.();
  });

  it('writes the exact expected 1-second window row', async () => {
    // 1000 packets, one per ms, in the first second; deterministic, skewed delays (ns).
    const n = 1000;
    const delays = Array.from({ length: n }, (_, i) => 40_000 + ((i * 7919) % 1000) * 13 + (i % 50 === 0 ? 900_000 : 0));
    const seq = Array.from({ length: n + 1 }, (_, i) => i);
    const sendNs = Array.from({ length: n + 1 }, (_, i) => T0_NS + BigInt(i) * 1_000_000n);
    sendNs[n] = T0_NS + 2_500_000_000n; // one packet at 2.5 s moves this flow's event time past window end + lateness
    const allDelays = [...delays, 50_000];
    const body = encodeBatch({
      identity,
      flows: [
        {
          flowId: 'stream-7',
          seq,
          sendNs,
          delayNs: allDelays,
          sizeBytes: seq.map(() => 100),
          flags: seq.map(() => FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
        },
      ],
    });
    const addr = gateway.app.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${addr.port}/v1/batches`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf', ...bearer(ingestKey) } });
    expect(res.status).toBe(202);

    const row = await until(
      'the window row in ClickHouse',
      async () =>
        (
          await ch.query<Record<string, unknown>>(
            `SELECT toString(window_start) AS ws, window_start_ns, received_packets, sent_packets, lost_packets, owd_count, owd_min_ns, owd_max_ns, owd_mean_ns, owd_p50_ns, owd_p99_ns, received_bytes FROM flow_windows FINAL WHERE flow_id = 'stream-7' AND window_start_ns = ${T0_NS}`,
          )
        )[0],
      60_000,
      worker.output,
    );
    const sorted = [...delays].sort((a, b) => a - b);
    const mean = delays.reduce((a, b) => a + b, 0) / n;
    expect(row).toEqual({
      ws: new Date(Number(T0_NS / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 19),
      window_start_ns: T0_NS.toString(),
      received_packets: String(n),
      sent_packets: String(n),
      lost_packets: '0',
      owd_count: String(n),
      owd_min_ns: sorted[0],
      owd_max_ns: sorted[n - 1],
      owd_mean_ns: mean,
      owd_p50_ns: nearestRank(sorted, 0.5),
      owd_p99_ns: nearestRank(sorted, 0.99),
      received_bytes: String(n * 100),
    });
  });
});
