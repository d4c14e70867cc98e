// Ingest throughput: a constant arrival rate of pre-encoded Protobuf batches against one
// gateway, with thresholds on the achieved sample rate, the p(99) request latency and the
// error rate. Every value comes from the environment (scripts/load/run.ts sets them):
//   GATEWAY_URL, INGEST_MANIFEST, INGEST_KEYS  where, what, as whom (one key per enterprise)
//   RATE (batches/s), DURATION, PRE_VUS, MAX_VUS
//   MIN_SAMPLES_PER_S, MAX_P99_MS, MAX_ERROR_RATE   thresholds (k6 exits 99 when one fails)
import exec from 'k6/execution';
import { env, loadBodies, num, postBody } from './lib/ingest.js';

const bodies = loadBodies(env('INGEST_MANIFEST'));
const url = `${env('GATEWAY_URL')}/v1/batches`;

export const options = {
  discardResponseBodies: false,
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  scenarios: {
    ingest: {
      executor: 'constant-arrival-rate',
      rate: num('RATE'),
      timeUnit: '1s',
      duration: env('DURATION', '30s'),
      preAllocatedVUs: num('PRE_VUS', 20),
      maxVUs: num('MAX_VUS', 200),
      gracefulStop: '10s',
    },
  },
  thresholds: {
    samples_accepted: [`rate>=${num('MIN_SAMPLES_PER_S')}`],
    'http_req_duration{scenario:ingest}': [`p(99)<${num('MAX_P99_MS')}`],
    'http_req_failed{scenario:ingest}': [`rate<=${num('MAX_ERROR_RATE', 0)}`],
  },
};

export default function () {
  postBody(url, bodies, exec.scenario.iterationInTest);
}
