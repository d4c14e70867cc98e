// End-to-end freshness: post live telemetry (event time = wall clock) through the gateway and
// poll ClickHouse until each window appears. Two single-VU scenarios:
//   feed   every STEP_MS, one batch per device with the samples its flows sent during the step
//          just ended (pre-encoded templates moved to the wall clock by lib/wire-patch.js);
//   watch  polls flow_windows every POLL_MS and stamps each (flow, window) row with the wall
//          time the poll's answer arrived.
// freshness_ms of a row = (time the row was first seen) - (window start): the age of the
// window's oldest sample when the window became queryable. A window closes once its flow sent
// a sample at window end + allowed lateness, so this is at least WINDOW_MS + LATENESS_MS; the
// rest is batching at the source (one step), the gateway, Kafka, the worker, its flush
// interval, the insert, and up to one poll interval. Windows that should have closed while
// the feed ran but never appeared are counted in fresh_rows_missing (threshold 0), so slow
// rows cannot drop out of the percentile.
//   GATEWAY_URL, INGEST_KEY, FRESH_MANIFEST, CLICKHOUSE_URL, CLICKHOUSE_DATABASE, ENTERPRISE_ID
//   FEED_SECONDS, WINDOW_MS, LATENESS_MS, POLL_MS
//   MAX_FRESHNESS_P99_MS                                                      threshold
import http from 'k6/http';
import { sleep } from 'k6';
import { Counter, Gauge, Trend } from 'k6/metrics';
import { env, ingestHeaders, num } from './lib/ingest.js';
import { patchTemplate } from './lib/wire-patch.js';

const manifest = JSON.parse(open(env('FRESH_MANIFEST')));
const all = new Uint8Array(open(manifest.file, 'b'));
const templates = manifest.templates.map((t) => ({ ...t, bytes: all.slice(t.offset, t.offset + t.length) }));
const url = `${env('GATEWAY_URL')}/v1/batches`;
const headers = ingestHeaders(__ENV.INGEST_KEY);
const stepMs = manifest.stepMs;
const feedSeconds = num('FEED_SECONDS', 30);
const windowMs = num('WINDOW_MS', 1000);
const latenessMs = num('LATENESS_MS', 3000);
const pollMs = num('POLL_MS', 100);
const chUrl = `${env('CLICKHOUSE_URL')}/?database=${encodeURIComponent(env('CLICKHOUSE_DATABASE'))}`;
const enterpriseId = env('ENTERPRISE_ID');
// Waiting for the last windows: close time plus a generous allowance for a slow worker.
const graceMs = num('GRACE_MS', 15000);

const freshness = new Trend('freshness_ms');
const afterClose = new Trend('freshness_after_close_ms');
const rowsSeen = new Counter('fresh_rows_seen');
const rowsMissing = new Gauge('fresh_rows_missing');
const rowsExpected = new Gauge('fresh_rows_expected');
const samplesPosted = new Counter('fresh_samples_accepted');
const feedLagMs = new Trend('fresh_feed_lag_ms');

export const options = {
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  setupTimeout: '30s',
  scenarios: {
    feed: { executor: 'per-vu-iterations', exec: 'feed', vus: 1, iterations: 1, maxDuration: `${feedSeconds + 30}s`, gracefulStop: '10s' },
    watch: { executor: 'per-vu-iterations', exec: 'watch', vus: 1, iterations: 1, maxDuration: `${feedSeconds + Math.ceil((windowMs + latenessMs + graceMs) / 1000) + 30}s`, gracefulStop: '10s' },
  },
  thresholds: {
    freshness_ms: [`p(99)<${num('MAX_FRESHNESS_P99_MS')}`],
    fresh_rows_seen: ['count>0'],
    fresh_rows_missing: ['value<1'],
    'http_req_failed{scenario:feed}': ['rate<=0'],
  },
};

export function setup() {
  // Steps are aligned to the wall clock and start a little ahead, so both scenarios agree.
  return { startMs: Math.ceil((Date.now() + 500) / stepMs) * stepMs };
}

export function feed(data) {
  const steps = Math.floor((feedSeconds * 1000) / stepMs);
  for (let s = 0; s < steps; s++) {
    const dueMs = data.startMs + (s + 1) * stepMs;
    const wait = dueMs - Date.now();
    if (wait > 0) sleep(wait / 1000);
    feedLagMs.add(Math.max(0, Date.now() - dueMs));
    const stepStartMs = data.startMs + s * stepMs;
    const reqs = templates.map((t) => ({
      method: 'POST',
      url,
      body: patchTemplate(t.bytes, t.sendAt, t.seqAt, t.baseSeq, t.seqPerStep, s, stepStartMs).buffer,
      params: { headers, tags: { name: 'POST /v1/batches (fresh)' }, timeout: '10s' },
    }));
    const res = http.batch(reqs);
    res.forEach((r, i) => {
      if (r.status === 202) samplesPosted.add(templates[i].samples);
      else console.warn(`gateway answered ${r.status}: ${String(r.body).slice(0, 300)}`);
    });
  }
}

export function watch(data) {
  const feedEndMs = data.startMs + Math.floor((feedSeconds * 1000) / stepMs) * stepMs;
  const firstWs = Math.ceil(data.startMs / windowMs) * windowMs;
  // Windows whose closing sample (at end + lateness) was sent one step before the feed ended.
  let lastWs = Math.floor((feedEndMs - stepMs - latenessMs) / windowMs) * windowMs - windowMs;
  const windows = lastWs >= firstWs ? (lastWs - firstWs) / windowMs + 1 : 0;
  const expected = windows * manifest.flows;
  rowsExpected.add(expected);
  const seen = {};
  let seenInRange = 0;
  const deadline = feedEndMs + windowMs + latenessMs + graceMs;
  const sql =
    `SELECT intDiv(window_start_ns, 1000000) AS ws_ms, uniqExact(device_id, flow_id) AS n FROM flow_windows ` +
    `WHERE enterprise_id = '${enterpriseId.replace(/[\\']/g, '\\$&')}' AND window_start_ns >= ${firstWs}000000 ` +
    `GROUP BY ws_ms FORMAT TabSeparated`;
  let failures = 0;
  while (Date.now() < deadline && seenInRange < expected) {
    const res = http.post(chUrl, sql, { tags: { name: 'ClickHouse poll' }, timeout: '10s' });
    const atMs = Date.now();
    if (res.status !== 200) {
      if (failures++ < 3) console.warn(`ClickHouse poll answered ${res.status}: ${String(res.body).slice(0, 300)}`);
    } else {
      for (const line of String(res.body).split('\n')) {
        if (line === '') continue;
        const [wsText, nText] = line.split('\t');
        const ws = Number(wsText);
        const n = Number(nText);
        const before = seen[ws] || 0;
        if (n <= before) continue;
        seen[ws] = n;
        if (ws > lastWs) continue; // closed after the feed ended (idle timeout): not this measure
        for (let i = before; i < n; i++) {
          freshness.add(atMs - ws);
          afterClose.add(atMs - (ws + windowMs + latenessMs));
        }
        rowsSeen.add(n - before);
        seenInRange += n - before;
      }
    }
    sleep(pollMs / 1000);
  }
  rowsMissing.add(expected - seenInRange);
  if (seenInRange < expected) console.warn(`${expected - seenInRange} of ${expected} window rows did not appear within ${graceMs} ms after they could close`);
}
