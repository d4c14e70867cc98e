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
export function ingestHeaders(key) {
  const headers = { 'Content-Type': 'application/x-protobuf' };
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
  // INGEST_KEYS: the ingest key of each enterprise of the manifest, comma-separated, in order.
  const keys = (__ENV.INGEST_KEYS || '').split(',').filter((k) => k !== '');
  if (keys.length > 0 && keys.length < manifest.enterprises) throw new Error(`INGEST_KEYS has ${keys.length} keys for ${manifest.enterprises} enterprises`);
  return manifest.bodies.map((b) => ({ body: all.slice(b.offset, b.offset + b.length), samples: b.samples, headers: ingestHeaders(keys[b.tenant]) }));
}

let warned = 0;
/** Posts body number `i` (mod the number of bodies) with its enterprise's key; counts samples the gateway accepted. */
export function postBody(url, bodies, i) {
  const b = bodies[i % bodies.length];
  const res = http.post(url, b.body, { headers: b.headers, tags: { name: 'POST /v1/batches' }, timeout: '10s' });
  if (res.status === 202) {
    samplesAccepted.add(b.samples);
    batchesAccepted.add(1);
  } else {
    batchesRejected.add(1, { status: String(res.status) });
    if (warned++ < 2) console.warn(`gateway answered ${res.status}: ${String(res.body).slice(0, 300)}`);
  }
  return res;
}
