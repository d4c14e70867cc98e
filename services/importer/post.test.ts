// The POST client against a plain local HTTP server that answers like the gateway does
// (202 / retriable 503 / permanent 400 bodies from docs/errors.md). This checks the client's
// order, retry and stop rules only; the gateway itself is tested in services/gateway.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postBatches } from './post.ts';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** Serves answers[i] for the i-th request; records bodies and content types. */
async function fakeGateway(answers: [number, unknown][]): Promise<{ url: string; bodies: Buffer[]; types: string[]; auth: string[] }> {
  const bodies: Buffer[] = [];
  const types: string[] = [];
  const auth: string[] = [];
  let i = 0;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      types.push(String(req.headers['content-type']));
      auth.push(String(req.headers.authorization));
      const [status, body] = answers[Math.min(i++, answers.length - 1)];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1/batches`, bodies, types, auth };
}

const batch = (b: number, samples: number) => ({ bytes: new Uint8Array([b]), samples });
const accepted = (samples: number): [number, unknown] => [202, { accepted: { flows: 1, samples } }];

describe('postBatches', () => {
  it('sends the batches in order as application/x-protobuf and sums the accepted samples', async () => {
    const gw = await fakeGateway([accepted(3), accepted(2)]);
    const r = await postBatches(gw.url, [batch(1, 3), batch(2, 2)]);
    expect(r).toMatchObject({ batches: 2, samples: 5, acceptedBatches: 2, acceptedSamples: 5, retries: 0, failure: null });
    expect(gw.bodies.map((b) => b[0])).toEqual([1, 2]);
    expect(gw.types).toEqual(['application/x-protobuf', 'application/x-protobuf']);
    expect(gw.auth).toEqual(['undefined', 'undefined']);
  });

  it('sends the ingest key as a Bearer token', async () => {
    const gw = await fakeGateway([accepted(3)]);
    const key = `iso_0123456789abcdef_${'A'.repeat(43)}`;
    await postBatches(gw.url, [batch(1, 3)], { apiKey: key });
    expect(gw.auth).toEqual([`Bearer ${key}`]);
  });

  it('retries a retriable 503 and then goes on', async () => {
    const gw = await fakeGateway([[503, { error: { code: 'ISO_KAFKA_QUEUE_FULL', message: 'busy', retriable: true } }], accepted(3), accepted(2)]);
    const r = await postBatches(gw.url, [batch(1, 3), batch(2, 2)], { backoffMs: 1 });
    expect(r).toMatchObject({ acceptedBatches: 2, acceptedSamples: 5, retries: 1, failure: null });
    expect(gw.bodies.map((b) => b[0])).toEqual([1, 1, 2]);
  });

  it('stops at a permanent refusal and reports the gateway code', async () => {
    const gw = await fakeGateway([accepted(3), [400, { error: { code: 'ISO_WIRE_INVALID', message: 'flows[0].delay_ns[0]: bad', retriable: false } }]]);
    const r = await postBatches(gw.url, [batch(1, 3), batch(2, 2), batch(3, 1)], { backoffMs: 1 });
    expect(r.acceptedBatches).toBe(1);
    expect(r.failure).toEqual({ batch: 1, status: 400, code: 'ISO_WIRE_INVALID', message: 'flows[0].delay_ns[0]: bad' });
    expect(gw.bodies).toHaveLength(2);
  });

  it('gives up after the bounded number of attempts when nothing answers', async () => {
    const r = await postBatches('http://127.0.0.1:9/v1/batches', [batch(1, 1)], { maxAttempts: 2, backoffMs: 1, timeoutMs: 2000 });
    expect(r.failure).toMatchObject({ batch: 0, status: null, code: 'NETWORK' });
    expect(r.retries).toBe(1);
  });
});
