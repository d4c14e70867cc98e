// The load path in CI: the k6 scripts of `npm run load`, for a few seconds at a modest rate
// with modest thresholds, against a real gateway and worker (child processes) on the test
// stack. A broken script, encoder, patcher, runner or k6 build fails here. k6 missing is a
// failure (scripts/setup.sh builds it), never a skip. The goals (2 M samples/s and so on) are
// measured by `npm run load`, not here: these machines are shared and noisy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../services/adapters/clickhouse/migrate.ts';
import type { ClickHouse } from '../services/adapters/clickhouse/client.ts';
import { generateFresh, generateIngest } from '../scripts/load/generate.ts';
import { requireK6, runK6 } from '../scripts/load/k6.ts';
import { startGateway, startWorker, waitReady, type Service } from '../scripts/load/services.ts';
import { createTopics } from './support/kafka.ts';
import { clickhouseUrl, freshDatabase, kafkaBrokers, uniqueName } from './support/stack.ts';
import { provisionTenant } from './support/tenancy.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// Ports of this test, below Linux's ephemeral range (32768-60999) so that no client connection
// of the suite can hold one (45042 was once taken that way); the load runner uses 45011-45017.
const PORTS = { ingestGateway: 31041, freshGateway: 31042, workerMetrics: 31043 };
const ENTERPRISE = { enterpriseId: 'ent-smoke', identifierPrefix: '88.991.1' };
const WINDOW_MS = 1000;
const LATENESS_MS = 500;

describe('load smoke: k6 against a real gateway and worker', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-load-smoke-'));
  const topics = { ingest: uniqueName('load_smoke_ingest'), fresh: uniqueName('load_smoke_fresh'), dlq: uniqueName('load_smoke_dlq') };
  const services: Service[] = [];
  let ch: ClickHouse;
  let database: string;
  let drop: () => Promise<void>;
  let ingestKey: string;

  beforeAll(async () => {
    ({ ch, database, drop } = await freshDatabase('load_smoke'));
    await migrate(ch, database, loadMigrations(path.join(ROOT, 'sql')));
    await createTopics([
      { topic: topics.ingest, partitions: 4 },
      { topic: topics.fresh, partitions: 4 },
      { topic: topics.dlq, partitions: 1 },
    ]);
    ({ ingestKey } = await provisionTenant(ch, ENTERPRISE));
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop(5000)));
    await drop?.();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('k6 is built (scripts/setup.sh)', () => {
    expect(() => requireK6()).not.toThrow();
  });

  it('ingest and freshness scripts pass modest thresholds, and what they report reached Kafka and ClickHouse', async () => {
    requireK6(); // a clear message when k6 is missing
    const brokers = kafkaBrokers().join(',');
    const ingest = generateIngest(work, [ENTERPRISE], { devices: 8, flowsPerDevice: 8, intervalMs: 500, startMs: Date.now() - 3_600_000 });
    const fresh = generateFresh(work, ENTERPRISE, { devices: 2, flowsPerDevice: 4, stepMs: 200 });
    const gwIngest = startGateway({ port: PORTS.ingestGateway, brokers, topic: topics.ingest, clickhouseUrl: clickhouseUrl(), database });
    const gwFresh = startGateway({ port: PORTS.freshGateway, brokers, topic: topics.fresh, clickhouseUrl: clickhouseUrl(), database });
    const worker = startWorker({
      metricsPort: PORTS.workerMetrics,
      brokers,
      topic: topics.fresh,
      deadLetterTopic: topics.dlq,
      clickhouseUrl: clickhouseUrl(),
      database,
      groupId: uniqueName('load_smoke_group'),
      env: { ISOCHRON_WINDOW_MS: String(WINDOW_MS), ISOCHRON_ALLOWED_LATENESS_MS: String(LATENESS_MS), ISOCHRON_WORKER_FLUSH_INTERVAL_MS: '300' },
    });
    services.push(gwIngest, gwFresh, worker);
    await Promise.all([waitReady(gwIngest, '/readyz', 30_000), waitReady(gwFresh, '/readyz', 30_000), waitReady(worker, '/readyz', 40_000)]);

    const rate = 30; // batches/s, about 60 000 samples/s
    const seconds = 5;
    const offeredSamplesPerS = rate * ingest.meanSamplesPerBody;
    const [ing, frs] = await Promise.all([
      runK6(path.join(ROOT, 'load-tests', 'ingest.js'), {
        GATEWAY_URL: gwIngest.url,
        INGEST_KEYS: ingestKey,
        INGEST_MANIFEST: path.join(work, 'ingest.json'),
        RATE: rate,
        DURATION: `${seconds}s`,
        PRE_VUS: 10,
        MAX_VUS: 50,
        MIN_SAMPLES_PER_S: Math.floor(offeredSamplesPerS * 0.5),
        MAX_P99_MS: 2000,
        MAX_ERROR_RATE: 0,
      }, path.join(work, 'ingest.summary.json')),
      runK6(path.join(ROOT, 'load-tests', 'freshness.js'), {
        GATEWAY_URL: gwFresh.url,
        INGEST_KEY: ingestKey,
        FRESH_MANIFEST: path.join(work, 'fresh.json'),
        CLICKHOUSE_URL: clickhouseUrl(),
        CLICKHOUSE_DATABASE: database,
        ENTERPRISE_ID: ENTERPRISE.enterpriseId,
        FEED_SECONDS: 8,
        WINDOW_MS,
        LATENESS_MS,
        POLL_MS: 200,
        GRACE_MS: 10_000,
        MAX_FRESHNESS_P99_MS: 10_000,
      }, path.join(work, 'fresh.summary.json')),
    ]);
    const context = (o: string) => `${o.slice(-3000)}\n--- gateway ---\n${gwIngest.output().slice(-1500)}\n--- worker ---\n${worker.output().slice(-1500)}`;

    // Ingest: k6 passed its thresholds and every accepted batch is one record on the topic.
    expect(ing.code, context(ing.output)).toBe(0);
    const im = ing.summary!.metrics;
    const accepted = im.batches_accepted.count;
    expect(accepted).toBeGreaterThanOrEqual(rate * seconds * 0.8);
    expect(im.batches_rejected?.count ?? 0).toBe(0);
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topics.ingest);
    await admin.disconnect();
    // Idempotent producer without transactions: the high watermarks add up to the records written.
    expect(offsets.reduce((a, p) => a + Number(p.high), 0)).toBe(accepted);

    // Freshness: windows appeared, none missing, each at least window + lateness after its start.
    expect(frs.code, context(frs.output)).toBe(0);
    const fm = frs.summary!.metrics;
    expect(fm.fresh_rows_seen.count).toBeGreaterThan(0);
    expect(fm.fresh_rows_missing.value).toBe(0);
    expect(fm.fresh_rows_seen.count).toBe(fm.fresh_rows_expected.value);
    expect(fm.fresh_rows_expected.value % fresh.flows).toBe(0);
    expect(fm.freshness_ms.min).toBeGreaterThanOrEqual(WINDOW_MS + LATENESS_MS);
    console.log(
      `[load-smoke] ingest ${accepted} batches, ${Math.round(im.samples_accepted.rate)} samples/s, p(99) ${im['http_req_duration{scenario:ingest}']['p(99)'].toFixed(1)} ms; ` +
        `freshness ${fm.fresh_rows_seen.count} rows, p(99) ${fm.freshness_ms['p(99)'].toFixed(0)} ms (min ${fm.freshness_ms.min} ms)`,
    );
    const [row] = await ch.query<{ n: string }>(`SELECT count() AS n FROM flow_windows FINAL WHERE enterprise_id = '${ENTERPRISE.enterpriseId}'`);
    expect(Number(row.n)).toBeGreaterThanOrEqual(fm.fresh_rows_seen.count);
  }, 90_000);
});
