// The local Prometheus starts on a free port, scrapes two static targets, loads the
// repository's rules and evaluates them against what it scraped, and leaves nothing behind.
// The worker target serves the worker's real metric registry, so an alert going pending here
// proves the rule reads a series under the name and job the worker really exports.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import client from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from '../../services/worker/metrics.ts';
import { stackConfig } from './config.ts';
import { isAlive, portInUse, readPid, waitFor } from './process.ts';
import { prometheusDaemon, startPrometheus, stopPrometheus } from './prometheus.ts';

const API_TEXT = ['# HELP isochron_api_requests_total API answers', '# TYPE isochron_api_requests_total counter', 'isochron_api_requests_total{route="/v1/compliance",method="GET",status="200"} 3', ''].join('\n');
const GATEWAY_TEXT = [
  '# HELP isochron_gateway_batches_total Batches answered by the gateway, by outcome code',
  '# TYPE isochron_gateway_batches_total counter',
  'isochron_gateway_batches_total{outcome="accepted"} 12',
  '',
].join('\n');

function serve(body: () => Promise<string>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    void body().then((text) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(text));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const target = (s: http.Server) => `127.0.0.1:${(s.address() as AddressInfo).port}`;

async function freePort(): Promise<number> {
  const s = await serve(async () => '');
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface RulesResponse {
  data: { groups: { name: string; rules: { name: string; type: 'alerting' | 'recording'; health: string; state?: string }[] }[] };
}

describe('local Prometheus (scripts/stack/prometheus.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-prometheus-'));
  const c = stackConfig('test', { ISOCHRON_STACK_DIR: dir });
  let gateway: http.Server;
  let worker: http.Server;
  let api: http.Server;
  let port: number;
  let url: string;

  beforeAll(async () => {
    const registry = new client.Registry();
    const metrics = createWorkerMetrics(registry);
    // Backpressure engaged: IsochronWorkerPausedTooLong becomes pending at its first evaluation.
    metrics.paused.set(2);
    gateway = await serve(async () => GATEWAY_TEXT);
    worker = await serve(() => registry.metrics());
    api = await serve(async () => API_TEXT);
    port = await freePort();
    ({ url } = await startPrometheus(c, { gateway: target(gateway), worker: target(worker), api: target(api) }, { port, scrapeIntervalSeconds: 1 }));
  });

  afterAll(async () => {
    await stopPrometheus(c);
    await Promise.all([gateway, worker, api].map((s) => new Promise((r) => s?.close(r))));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes every target', async () => {
    await waitFor(
      'gateway, worker and API targets scraped and up',
      async () => {
        const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string }; health: string }[] } };
        const up = body.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job);
        return up.includes('isochron-gateway') && up.includes('isochron-worker') && up.includes('isochron-api');
      },
      20_000,
      prometheusDaemon(c).logFile,
    );
  });

  it('loads the rules and evaluates them on the scraped series', async () => {
    let groups: RulesResponse['data']['groups'] = [];
    await waitFor(
      'IsochronWorkerPausedTooLong pending and the SLO recording rules evaluated',
      async () => {
        groups = ((await (await fetch(`${url}/api/v1/rules`)).json()) as RulesResponse).data.groups;
        const rules = groups.flatMap((g) => g.rules);
        const paused = rules.find((r) => r.name === 'IsochronWorkerPausedTooLong');
        const recording = rules.filter((r) => r.type === 'recording');
        return paused?.state === 'pending' && recording.length > 0 && recording.every((r) => r.health === 'ok');
      },
      20_000,
      prometheusDaemon(c).logFile,
    );
    expect(groups.map((g) => g.name).sort()).toEqual(['isochron-gateway', 'isochron-ingest-slo', 'isochron-worker']);
    expect(groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok' && r.health !== 'unknown')).toEqual([]);
  });

  it('takes new targets from a second start by reloading, not restarting', async () => {
    const pid = readPid(prometheusDaemon(c));
    const other = await serve(async () => GATEWAY_TEXT);
    try {
      await startPrometheus(c, { gateway: target(other), worker: target(worker), api: target(api) }, { port, scrapeIntervalSeconds: 1 });
      expect(readPid(prometheusDaemon(c))).toBe(pid);
      const body = (await (await fetch(`${url}/api/v1/status/config`)).json()) as { data: { yaml: string } };
      expect(body.data.yaml).toContain(target(other));
      expect(body.data.yaml).not.toContain(target(gateway));
      await expect(startPrometheus(c, { gateway: target(other), worker: target(worker), api: target(api) }, { port: port + 1 })).rejects.toThrow(/already runs on port/);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('stops and leaves no process or port behind', async () => {
    const pid = readPid(prometheusDaemon(c));
    expect(pid).toBeDefined();
    expect(await stopPrometheus(c)).toBe(true);
    expect(isAlive(pid!)).toBe(false);
    expect(fs.existsSync(prometheusDaemon(c).pidFile)).toBe(false);
    expect(await portInUse(port)).toBe(false);
  });
});
