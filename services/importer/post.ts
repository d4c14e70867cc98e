// Sends encoded batches to a gateway (POST /v1/batches, application/x-protobuf), one at a time
// and in order: a flow's batches must reach its Kafka partition in arrival order. A retriable
// answer (503: Kafka busy or unavailable, the gateway draining) is retried with a bounded backoff;
// any other refusal stops the import, because later batches would only fail the same way.
import type { EncodedBatch } from './capture-batches.ts';

export interface PostReport {
  url: string;
  batches: number;
  samples: number;
  acceptedBatches: number;
  acceptedSamples: number;
  retries: number;
  /** Set when the import stopped: the gateway's error code and message, or the network error. */
  failure: { batch: number; status: number | null; code: string; message: string } | null;
}

export interface PostOptions {
  /** The enterprise's ingest key, sent as "Authorization: Bearer <key>" (docs/tenancy.md). */
  apiKey?: string;
  maxAttempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

interface GatewayAnswer {
  accepted?: { flows: number; samples: number };
  error?: { code: string; message: string; retriable: boolean };
}

export async function postBatches(url: string, batches: readonly EncodedBatch[], opts: PostOptions = {}): Promise<PostReport> {
  const maxAttempts = opts.maxAttempts ?? 6;
  const backoffMs = opts.backoffMs ?? 200;
  const report: PostReport = { url, batches: batches.length, samples: batches.reduce((a, b) => a + b.samples, 0), acceptedBatches: 0, acceptedSamples: 0, retries: 0, failure: null };
  for (let i = 0; i < batches.length; i++) {
    for (let attempt = 1; ; attempt++) {
      let status: number | null = null;
      let answer: GatewayAnswer = {};
      let networkError: string | null = null;
      try {
        const res = await fetch(url, {
          method: 'POST',
          body: batches[i].bytes,
          headers: { 'content-type': 'application/x-protobuf', ...(opts.apiKey !== undefined ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
        status = res.status;
        const text = await res.text();
        try {
          answer = JSON.parse(text) as GatewayAnswer;
        } catch {
          answer = { error: { code: 'NON_JSON_ANSWER', message: text.slice(0, 200), retriable: status >= 500 } };
        }
      } catch (e) {
        // fetch() hides the reason (ECONNREFUSED, timeout) in the cause.
        const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
        networkError = `${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
      }
      if (status === 202) {
        report.acceptedBatches++;
        report.acceptedSamples += answer.accepted?.samples ?? 0;
        break;
      }
      const retriable = networkError !== null || answer.error?.retriable === true || status === 503;
      if (retriable && attempt < maxAttempts) {
        report.retries++;
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
        continue;
      }
      report.failure = {
        batch: i,
        status,
        code: answer.error?.code ?? (networkError !== null ? 'NETWORK' : `HTTP_${status}`),
        message: networkError ?? answer.error?.message ?? `unexpected status ${status}`,
      };
      return report;
    }
  }
  return report;
}
