// Shared by ingest.js and soak.js: the pre-encoded device batches (scripts/load/generate.ts)
// and one POST of them to the gateway. k6 runs this in every VU's init context.
import http from 'k6/http';
import { Counter } from 'k6/metrics';

export function env(name, fallback) {
  const v = __ENV[name];
  if (v === undefined || v === '') {
    if (fallback === undefined) throw new Error(`${name} is not set (pass -e ${name}=...; scripts/load/run.ts sets every variable)`);
    return fallback;
  }
  return v;
}

export function num(name, fallback) {
  const raw = env(name, fallback === undefined ? undefined : String(fallback));
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name}=${raw} is not a number`);
  return n;
}

/** Request headers: Protobuf body, and the enterprise's ingest key when one is given. */
export function ingestHeaders() {
  const headers = { 'Content-Type': 'application/x-protobuf' };
  const key = __ENV.INGEST_KEY;
  if (key) headers.Authorization = `Bearer ${key}`;
  return headers;
}

export const samplesAccepted = new Counter('samples_accepted');
export const batchesAccepted = new Counter('batches_accepted');
export const batchesRejected = new Counter('batches_rejected');

/** Loads the bodies named by the manifest (call in the init context). */
export function loadBodies(manifestPath) {
  const manifest = JSON.parse(open(manifestPath));
  const all = open(manifest.file, 'b');
  return manifest.bodies.map((b) => ({ body: all.slice(b.offset, b.offset + b.length), samples: b.samples }));
}

let warned = 0;
/** Posts body number `i` (mod the number of bodies); counts samples the gateway accepted. */
export function postBody(url, bodies, i, headers) {
  const b = bodies[i % bodies.length];
  const res = http.post(url, b.body, { headers, tags: { name: 'POST /v1/batches' }, timeout: '10s' });
  if (res.status === 202) {
    samplesAccepted.add(b.samples);
    batchesAccepted.add(1);
  } else {
    batchesRejected.add(1, { status: String(res.status) });
    if (warned++ < 5) console.warn(`gateway answered ${res.status}: ${String(res.body).slice(0, 300)}`);
  }
  return res;
}
