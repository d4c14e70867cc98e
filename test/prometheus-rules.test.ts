// The Prometheus config and alert rules pass promtool (config and rule syntax, and the unit
// tests in prometheus/rules/isochron.rules.test.yml), and stay in step with the code and the
// docs: every metric they name is exported, the 5xx outcomes are the ones the gateway counts,
// every alert is tested firing and not firing, and docs/alerts.md explains every alert.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../services/core/errors.ts';
import { DEFAULT_WIRE_LIMITS } from '../services/core/wire/limits.ts';
import { createClickHouse } from '../services/adapters/clickhouse/client.ts';
import { createWorkerMetrics } from '../services/worker/metrics.ts';
import { REPO_ROOT } from '../scripts/stack/config.ts';
import { renderPrometheusConfig } from '../scripts/stack/prometheus.ts';
import { buildTestGateway } from './support/gateway.ts';

const COMPOSE_CONFIG = 'prometheus/prometheus.yml';
const RULES = 'prometheus/rules/isochron.rules.yml';
const RULE_TESTS = 'prometheus/rules/isochron.rules.test.yml';
const read = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');

function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stdout?: string; stderr?: string; message: string };
    if (err.code === 'ENOENT') throw new Error('promtool not found: run "npm run setup" (installs Debian\'s prometheus)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/** Rule files promtool loaded while checking a config, as absolute paths. */
const checkedRuleFiles = (out: string) => [...out.matchAll(/^Checking (.+\.rules\.yml)$/gm)].map((m) => path.resolve(REPO_ROOT, m[1])).sort();
const jobNames = (yaml: string) => [...yaml.matchAll(/job_name: (\S+)/g)].map((m) => m[1]).sort();

/** `- alert:` blocks of the rules file, each with its name and text. */
function alertBlocks(): { name: string; text: string }[] {
  return read(RULES)
    .split(/^ {6}- (?=alert:|record:)/m)
    .filter((b) => b.startsWith('alert:'))
    .map((text) => ({ name: /^alert: (\w+)/.exec(text)![1], text }));
}

describe('Prometheus config and rules', () => {
  it('the docker-compose config passes promtool check config and loads the rules', () => {
    const out = promtool('check', 'config', COMPOSE_CONFIG);
    expect(checkedRuleFiles(out)).toEqual([path.join(REPO_ROOT, RULES)]);
  });

  it('the local-stack config passes promtool check config with the same jobs and rules', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-promconfig-'));
    try {
      const local = renderPrometheusConfig({ gateway: '127.0.0.1:8088', worker: '127.0.0.1:9464', api: '127.0.0.1:8090' });
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), local);
      const out = promtool('check', 'config', path.join(dir, 'prometheus.yml'));
      expect(checkedRuleFiles(out)).toEqual([path.join(REPO_ROOT, RULES)]);
      expect(jobNames(local)).toEqual(jobNames(read(COMPOSE_CONFIG)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the rules pass promtool check rules', () => {
    expect(promtool('check', 'rules', RULES)).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('the rules pass their promtool unit tests', () => {
    expect(promtool('test', 'rules', RULE_TESTS)).toMatch(/SUCCESS/);
  });

  it('every alert is tested firing and not firing', () => {
    const cases = read(RULE_TESTS)
      .split(/^ {6}- eval_time: /m)
      .slice(1)
      .map((c) => ({ alert: /alertname: (\w+)/.exec(c)?.[1], fires: /exp_alerts:/.test(c) }));
    for (const { name } of alertBlocks()) {
      expect(cases.some((c) => c.alert === name && c.fires), `${name}: no case where it fires`).toBe(true);
      expect(cases.some((c) => c.alert === name && !c.fires), `${name}: no case where it stays quiet`).toBe(true);
    }
  });

  it('every alert has a severity, a summary, a description and its runbook in docs/alerts.md', () => {
    const docs = read('docs/alerts.md');
    const documented = [...docs.matchAll(/^### (\w+)$/gm)].map((m) => m[1]).sort();
    const alerts = alertBlocks();
    expect(documented).toEqual(alerts.map((a) => a.name).sort());
    for (const { name, text } of alerts) {
      expect(text, name).toMatch(/\n {10}severity: (critical|warning)\n/);
      expect(text, name).toMatch(/\n {10}summary: /);
      expect(text, name).toMatch(/\n {10}description: /);
      expect(text, name).toContain(`runbook_url: docs/alerts.md#${name.toLowerCase()}\n`);
    }
  });

  it('every metric the rules and docs name is exported by the gateway or the worker', async () => {
    const registry = new client.Registry();
    createWorkerMetrics(registry);
    // Neither the producer nor ClickHouse is called: the gateway is built only to read its
    // metric registry.
    const gateway = buildTestGateway({
      ch: createClickHouse({ url: 'http://127.0.0.1:9', database: 'unused' }),
      producer: { send: () => Promise.reject(new Error('not used')), disconnect: async () => undefined },
      topic: 'unused',
      limits: DEFAULT_WIRE_LIMITS,
      maxBodyBytes: 1024,
      maxInFlightBatches: 1,
      metrics: registry,
    });
    await gateway.close();
    const exported = new Set<string>();
    for (const m of await registry.getMetricsAsJSON()) {
      exported.add(m.name);
      if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(m.name + s);
    }
    // The docs' last section proposes metrics that do not exist yet.
    const docs = read('docs/alerts.md').split('\n## Proposed worker metrics')[0];
    const named = new Set([...`${read(RULES)}\n${docs}`.matchAll(/\bisochron_[a-z0-9_]+/g)].map((m) => m[0]));
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((n) => !exported.has(n))).toEqual([]);
  });

  it('the 5xx outcomes in the rules are exactly the 5xx codes the gateway counts', () => {
    // Codes the gateway counts in isochron_gateway_batches_total besides decode errors.
    const gatewaySource = read('services/gateway/app.ts');
    const counted = [
      ...[...gatewaySource.matchAll(/batches\.inc\(\{ outcome: ERRORS\.(\w+)\.code \}\)/g)].map((m) => m[1]),
      // reject(reply, 'NAME', ...) answers and counts one code
      ...[...gatewaySource.matchAll(/reject\(reply, '(\w+)'/g)].map((m) => m[1]),
    ] as (keyof typeof ERRORS)[];
    // auth failures are counted under the authenticator's result code
    counted.push('AUTH_MISSING', 'AUTH_INVALID');
    expect(counted.length).toBeGreaterThan(0);
    const serverErrors = [...new Set(counted.filter((n) => ERRORS[n].httpStatus >= 500).map((n) => ERRORS[n].code))].sort();
    // Decode errors are counted under their own code: all of them must be client errors.
    for (const spec of Object.values(ERRORS)) if (spec.code.startsWith('ISO_WIRE_')) expect(spec.httpStatus, spec.code).toBeLessThan(500);

    const selectors = new Set([...read(RULES).matchAll(/outcome=~"([^"]+)"/g)].map((m) => m[1]));
    for (const s of selectors) {
      const codes = s.split('|').sort();
      if (codes.includes('accepted')) expect(codes).toEqual(['accepted', ...serverErrors].sort());
      else expect(codes).toEqual(serverErrors);
    }
    const allCodes = new Set(Object.values(ERRORS).map((s) => s.code));
    for (const m of read(RULES).matchAll(/\bISO_[A-Z_]+/g)) expect(allCodes.has(m[0]), m[0]).toBe(true);
  });
});
