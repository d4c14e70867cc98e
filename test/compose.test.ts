// docker-compose.yml cannot run here (no Docker engine); this keeps it consistent with the
// local stack and the code: the same topics and partitions, only known environment variables,
// the settings' default ports (published, scraped by Prometheus), migrations applied by the
// same runner before the workers start, every service entry point existing, and Grafana with
// the ClickHouse plugin and the provisioning mounted where the provisioning expects it.
// The structural checks read the model the Compose client resolves (`docker compose config`
// when the Docker CLI has the compose plugin, else Debian's docker-compose 1.29, which
// scripts/setup.sh installs); neither needs an engine.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../services/adapters/kafka/topics.ts';
import { ALL_ENV_VARS, API_SETTINGS, GATEWAY_SETTINGS, SIMULATOR_SETTINGS, WORKER_SETTINGS } from '../services/config/settings.ts';

const compose = fs.readFileSync('docker-compose.yml', 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | null>;
  ports?: (string | { target: number; published: number | string })[];
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }> | string[];
}

function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The resolved compose model (anchors merged, defaults filled) from the Compose client. */
function resolvedModel(): { services: Record<string, Service> } {
  try {
    run('docker', ['compose', 'version']);
    return JSON.parse(run('docker', ['compose', '-f', 'docker-compose.yml', 'config', '--format', 'json']));
  } catch {
    // No compose plugin: Debian's docker-compose validates against the compose schema too.
  }
  let yaml: string;
  try {
    yaml = run('docker-compose', ['-f', 'docker-compose.yml', 'config']);
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new Error('neither "docker compose" nor docker-compose found: run "npm run setup" (installs Debian\'s docker-compose)');
    throw new Error(`docker-compose config rejected docker-compose.yml:\n${err.stderr ?? ''}`);
  }
  // docker-compose depends on PyYAML, so the system Python can read its output.
  return JSON.parse(run('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], yaml));
}

const env = (s: Service) => Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
const published = (s: Service) => (s.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.published}:${p.target}`));
const mounts = (s: Service) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.replace(/:(ro|rw)$/, '') : `${v.source}:${v.target}`));
const dependsOn = (s: Service) => (Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, { condition: 'service_started' }])) : (s.depends_on ?? {}));
const entry = (s: Service) => (s.command ?? []).find((c) => /^services\/.+\.ts$/.test(c));

describe('docker-compose.yml', () => {
  const model = resolvedModel();
  const services = model.services;

  it('is accepted by the Compose client and has the whole production-like stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'clickhouse', 'gateway', 'grafana', 'kafka', 'kafka-topics', 'migrate', 'prometheus', 'provision', 'simulator', 'worker-1', 'worker-2'].sort(),
    );
    expect(env(services.kafka).KAFKA_PROCESS_ROLES).toBe('broker,controller'); // KRaft, no ZooKeeper
  });

  it('creates every topic with the partitions the local stack uses', () => {
    for (const t of Object.values(TOPICS)) {
      expect(compose).toMatch(new RegExp(`--topic ${t.defaultName.replace(/\./g, '\\.')} --partitions ${t.partitions}\\b`));
    }
  });

  it('sets only environment variables the services know', () => {
    const used = new Set(Object.values(services).flatMap((s) => Object.keys(env(s)).filter((k) => k.startsWith('ISOCHRON_'))));
    expect(used.size).toBeGreaterThan(5);
    for (const v of used) expect(ALL_ENV_VARS.has(v), `${v} is not a known setting`).toBe(true);
  });

  it('runs entry points that exist: migrations, gateway, two workers, the API and the simulator', () => {
    const entries = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, entry(s)]));
    expect(entries).toMatchObject({
      migrate: 'services/adapters/clickhouse/migrate-cli.ts',
      gateway: 'services/gateway/main.ts',
      'worker-1': 'services/worker/main.ts',
      'worker-2': 'services/worker/main.ts',
      api: 'services/api/main.ts',
      simulator: 'services/simulator/main.ts',
    });
    for (const e of Object.values(entries)) if (e !== undefined) expect(fs.existsSync(e), e).toBe(true);
  });

  it('provisions the simulated fleet before the simulator starts, with the simulator\'s fleet settings, and hands it the keys', () => {
    const cmd = services.provision.command ?? [];
    expect(cmd.slice(-4, -2)).toEqual(['scripts/admin.ts', 'provision-simulator']);
    expect(fs.existsSync('scripts/admin.ts')).toBe(true);
    const keysFile = cmd[cmd.length - 1];
    expect(env(services.simulator).ISOCHRON_SIMULATOR_CREDENTIALS_FILE).toBe(keysFile);
    expect(dependsOn(services.provision).migrate?.condition).toBe('service_completed_successfully');
    expect(dependsOn(services.simulator).provision?.condition).toBe('service_completed_successfully');
    const fleetVars = Object.values(SIMULATOR_SETTINGS).map((s) => s.env).filter((v) => /SEED|ENTERPRISES|PER_/.test(v));
    expect(fleetVars.length).toBe(5);
    for (const v of fleetVars) expect(env(services.provision)[v], v).toBe(env(services.simulator)[v]);
    const mountOf = (s: Service) => JSON.stringify(s.volumes ?? []);
    expect(mountOf(services.provision)).toContain(path.posix.dirname(keysFile));
    expect(mountOf(services.simulator)).toContain(path.posix.dirname(keysFile));
  });

  it('applies the migrations once ClickHouse is healthy, before the gateway, the workers and the API start', () => {
    expect(dependsOn(services.migrate).clickhouse?.condition).toBe('service_healthy');
    for (const name of ['gateway', 'worker-1', 'worker-2', 'api']) expect(dependsOn(services[name]).migrate?.condition, name).toBe('service_completed_successfully');
    for (const name of ['gateway', 'worker-1', 'worker-2']) expect(dependsOn(services[name])['kafka-topics']?.condition, name).toBe('service_completed_successfully');
    // Every ISOCHRON service talks to the same database the migrations are applied to.
    const databases = new Set(Object.values(services).map((s) => env(s).ISOCHRON_CLICKHOUSE_DATABASE).filter((d) => d !== undefined));
    expect([...databases]).toEqual([env(services.clickhouse).CLICKHOUSE_DB]);
    expect(fs.readFileSync('Dockerfile', 'utf8')).toMatch(/^COPY \. \.$/m);
    expect(fs.readFileSync('.dockerignore', 'utf8').split('\n')).not.toContain('sql');
  });

  it('listens on the settings\' default ports, publishes them, and Prometheus scrapes them', () => {
    const gw = env(services.gateway);
    expect(gw.ISOCHRON_GATEWAY_PORT).toBe(String(GATEWAY_SETTINGS.port.default));
    expect(gw.ISOCHRON_GATEWAY_HOST).toBe('0.0.0.0');
    expect(published(services.gateway)).toContain(`${GATEWAY_SETTINGS.port.default}:${GATEWAY_SETTINGS.port.default}`);
    const api = env(services.api);
    expect(api.ISOCHRON_API_PORT).toBe(String(API_SETTINGS.port.default));
    expect(api.ISOCHRON_API_HOST).toBe('0.0.0.0');
    expect(published(services.api)).toContain(`${API_SETTINGS.port.default}:${API_SETTINGS.port.default}`);
    const prom = fs.readFileSync('prometheus/prometheus.yml', 'utf8');
    expect(prom).toContain(`"gateway:${GATEWAY_SETTINGS.port.default}"`);
    for (const w of ['worker-1', 'worker-2']) {
      expect(env(services[w]).ISOCHRON_WORKER_METRICS_PORT).toBe(String(WORKER_SETTINGS.metricsPort.default));
      expect(env(services[w]).ISOCHRON_WORKER_METRICS_HOST, 'reachable by Prometheus').toBe('0.0.0.0');
      expect(prom).toContain(`"${w}:${WORKER_SETTINGS.metricsPort.default}"`);
    }
    // One consumer group: the two workers share the partitions.
    expect(env(services['worker-1']).ISOCHRON_WORKER_GROUP_ID).toBe(env(services['worker-2']).ISOCHRON_WORKER_GROUP_ID);
    expect(env(services.simulator).ISOCHRON_SIMULATOR_GATEWAY_URL).toBe(`http://gateway:${GATEWAY_SETTINGS.port.default}`);
  });

  it('runs Prometheus with the rules and Grafana with the ClickHouse plugin and the provisioning', () => {
    expect(mounts(services.prometheus).some((m) => /\/prometheus:\/etc\/prometheus$/.test(m))).toBe(true);
    const g = env(services.grafana);
    expect(g.GF_INSTALL_PLUGINS.split(',')).toContain('grafana-clickhouse-datasource');
    const m = mounts(services.grafana);
    expect(m.some((x) => /\/grafana\/provisioning:\/etc\/grafana\/provisioning$/.test(x))).toBe(true);
    const provider = /path: (\S+?) ?\}/.exec(fs.readFileSync('grafana/provisioning/dashboards/dashboards.yml', 'utf8'))![1];
    expect(m.some((x) => x.endsWith(`/grafana/dashboards:${provider}`))).toBe(true);
    // The datasource points at the compose services, with the credentials the services use.
    const ds = fs.readFileSync('grafana/provisioning/datasources/datasources.yml', 'utf8');
    expect(ds).toMatch(/host: clickhouse\n\s+port: 8123\n\s+protocol: http/);
    expect(ds).toContain(`defaultDatabase: ${env(services.clickhouse).CLICKHOUSE_DB}`);
    expect(ds).toContain('url: http://prometheus:9090');
    expect(g.CLICKHOUSE_USER).toBe(env(services.gateway).ISOCHRON_CLICKHOUSE_USER);
    expect(g.CLICKHOUSE_PASSWORD).toBe(env(services.gateway).ISOCHRON_CLICKHOUSE_PASSWORD);
  });
});
