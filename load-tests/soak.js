// Soak: the ingest load at a steady, lower rate for a long time, so that growth of the
// gateway's memory shows. The memory itself is sampled outside k6 by scripts/load/run.ts
// (the gateway's process_resident_memory_bytes from /metrics, or VmRSS from /proc when the
// gateway does not export it), which compares the first and last third of the run.
// Thresholds here: the rate is held and nothing fails. Environment as ingest.js.
import exec from 'k6/execution';
import { env, loadBodies, num, postBody } from './lib/ingest.js';

const bodies = loadBodies(env('INGEST_MANIFEST'));
const url = `${env('GATEWAY_URL')}/v1/batches`;

export const options = {
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate: num('RATE'),
      timeUnit: '1s',
      duration: env('DURATION', '5m'),
      preAllocatedVUs: num('PRE_VUS', 20),
      maxVUs: num('MAX_VUS', 200),
      gracefulStop: '10s',
    },
  },
  thresholds: {
    samples_accepted: [`rate>=${num('MIN_SAMPLES_PER_S')}`],
    'http_req_duration{scenario:soak}': [`p(99)<${num('MAX_P99_MS')}`],
    'http_req_failed{scenario:soak}': [`rate<=${num('MAX_ERROR_RATE', 0)}`],
  },
};

export default function () {
  postBody(url, bodies, exec.scenario.iterationInTest);
}
