// `npm start`: the main job. Starts the local stack (Kafka + ClickHouse), applies the SQL
// migrations, registers the simulated fleet, starts the gateway, the worker, the query API,
// Prometheus with the alert rules and the
// simulator, and prints where to look.
// A service that exits on its own (crash, kill) is restarted with backoff while everything
// else stays up (scripts/stack/supervisor.ts); the simulator may finish (a set duration).
// Ctrl-C (or SIGTERM) stops everything it started, stack included.
import path from 'node:path';
import { createClickHouse } from '../services/adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../services/adapters/clickhouse/migrate.ts';
import { latestWindowsSql } from '../services/adapters/clickhouse/queries.ts';
import { TOPICS } from '../services/adapters/kafka/topics.ts';
import { createRegistry } from '../services/adapters/tenancy/registry.ts';
import { loadConfig } from '../services/config/config.ts';
import { ALL_ENV_VARS, SIMULATOR_SETTINGS } from '../services/config/settings.ts';
import { writeSecretFile } from '../services/adapters/tenancy/secret-file.ts';
import { provisionSimulatedFleet } from '../services/simulator/provision.ts';
import { ensureTopics } from './stack/kafka.ts';
import { REPO_ROOT, serviceEnv, stackConfig } from './stack/config.ts';
import { sleep } from './stack/process.ts';
import { startPrometheus, stopPrometheus } from './stack/prometheus.ts';
import { stackDown, stackUp } from './stack/stack.ts';
import { supervise, type SuperviseOptions, type Supervisor } from './stack/supervisor.ts';

const c = stackConfig('demo');
const database = process.env.ISOCHRON_CLICKHOUSE_DATABASE ?? 'isochron';
const gatewayPort = Number(process.env.ISOCHRON_GATEWAY_PORT ?? 8088);
const workerMetricsPort = Number(process.env.ISOCHRON_WORKER_METRICS_PORT ?? 9464);
const apiPort = Number(process.env.ISOCHRON_API_PORT ?? 8090);
const services: Supervisor[] = [];
let stopping = false;

function startService(name: string, entry: string, env: Record<string, string>, options: SuperviseOptions = {}): void {
  services.push(supervise(name, entry, env, options));
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\n[start] stopping the simulator, worker, gateway and the stack ...');
    // SIGTERM to every service at once, SIGKILL after 15 s; pending restarts are cancelled.
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all([stackDown(c), stopPrometheus(c)]);
    console.log('[start] stopped; nothing left running');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const t0 = Date.now();
  await stackUp(c);
  const env = { ...serviceEnv(c), ISOCHRON_CLICKHOUSE_DATABASE: database };
  await ensureTopics(c, [
    { name: TOPICS.telemetry.defaultName, partitions: TOPICS.telemetry.partitions },
    { name: TOPICS.deadLetter.defaultName, partitions: TOPICS.deadLetter.partitions },
  ]);
  const ch = createClickHouse({ url: env.ISOCHRON_CLICKHOUSE_URL, database });
  const res = await migrate(ch, database, loadMigrations(path.join(REPO_ROOT, 'sql')));
  console.log(`[start] stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s; migrations applied [${res.applied.join(', ')}]`);
  // The simulated fleet's enterprises in the registry, each with a fresh ingest key the
  // simulator reads from a file (only the keys' hashes are in ClickHouse; docs/tenancy.md).
  const sim = loadConfig('simulator', SIMULATOR_SETTINGS, ALL_ENV_VARS);
  const fleet = { seed: sim.seed, enterprises: sim.enterprises, sitesPerEnterprise: sim.sitesPerEnterprise, devicesPerSite: sim.devicesPerSite, flowsPerDevice: sim.flowsPerDevice };
  const { keys, assignments } = await provisionSimulatedFleet(createRegistry(ch), fleet, 'npm start simulator');
  const credentialsFile = path.join(c.dir, 'simulator-credentials.json');
  writeSecretFile(credentialsFile, JSON.stringify(keys, null, 2));
  console.log(`[start] registered ${Object.keys(keys).length} simulated enterprises with ingest keys (${credentialsFile}) and ${assignments} profile assignments`);
  startService('gateway', 'services/gateway/main.ts', { ...env, ISOCHRON_GATEWAY_PORT: String(gatewayPort) });
  startService('worker', 'services/worker/main.ts', { ...env, ISOCHRON_WORKER_METRICS_PORT: String(workerMetricsPort) });
  // The query API, and a demo auditor key in a file (mode 0600) to try it with (docs/api.md).
  startService('api', 'services/api/main.ts', { ...env, ISOCHRON_API_PORT: String(apiPort) });
  const auditorKeyFile = path.join(c.dir, 'api-auditor-key.txt');
  writeSecretFile(auditorKeyFile, (await createRegistry(ch).createCredential({ role: 'auditor', enterpriseId: '', label: 'npm start demo auditor' })).apiKey);
  const prom = await startPrometheus(c, { gateway: `127.0.0.1:${gatewayPort}`, worker: `127.0.0.1:${workerMetricsPort}`, api: `127.0.0.1:${apiPort}` });
  await sleep(2000);
  // With ISOCHRON_SIMULATOR_DURATION_MS set the simulator ends with exit 0: that is not restarted.
  startService('simulator', 'services/simulator/main.ts', { ISOCHRON_SIMULATOR_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`, ISOCHRON_SIMULATOR_CREDENTIALS_FILE: credentialsFile }, { restartOnCleanExit: false });
  const query = latestWindowsSql(10).replace(/\s+/g, ' ').replace('FROM flow_windows', `FROM ${database}.flow_windows`);
  console.log(`
isochron is running (a service that exits is restarted; Ctrl-C stops everything):
  gateway          POST http://127.0.0.1:${gatewayPort}/v1/batches   metrics http://127.0.0.1:${gatewayPort}/metrics
  worker           metrics http://127.0.0.1:${workerMetricsPort}/metrics   health /healthz /readyz
  API              http://127.0.0.1:${apiPort}/openapi.json   (docs/api.md; demo auditor key in ${auditorKeyFile})
    curl -s -H "Authorization: Bearer $(cat ${auditorKeyFile})" 'http://127.0.0.1:${apiPort}/v1/programme/audit?from=${new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString()}&to=${new Date((Math.floor(Date.now() / 3_600_000) + 1) * 3_600_000).toISOString()}'
  Prometheus       ${prom.url}/alerts   targets ${prom.url}/targets   (rules: docs/alerts.md)
  Kafka            127.0.0.1:${c.kafkaPort}  topics ${TOPICS.telemetry.defaultName}, ${TOPICS.deadLetter.defaultName}
  ClickHouse       ${env.ISOCHRON_CLICKHOUSE_URL}  database ${database}
  windows arriving:
    clickhouse-client --port ${c.clickhouseTcpPort} --query "${query}"
    curl -s '${env.ISOCHRON_CLICKHOUSE_URL}/' --data-binary "${query}"
`);
  // Show windows arriving, every 10 s.
  for (;;) {
    await sleep(10_000);
    if (stopping) break;
    try {
      const [row] = await ch.query<{ windows: string; flows: string; latest: string }>(
        'SELECT count() AS windows, uniqExact(enterprise_id, device_id, flow_id) AS flows, toString(max(window_start)) AS latest FROM flow_windows',
      );
      console.log(`[start] ClickHouse: ${row.windows} window rows over ${row.flows} flows, latest window ${row.latest}`);
    } catch (e) {
      console.log(`[start] ClickHouse not answering: ${(e as Error).message}`);
    }
  }
} catch (e) {
  console.error(`[start] ${e instanceof Error ? e.message : String(e)}`);
  await shutdown(1);
}
