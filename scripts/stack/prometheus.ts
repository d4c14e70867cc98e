// Local Prometheus from Debian's `prometheus` package (2.42): scrapes the gateway, the worker
// and the query API at the addresses it is given and evaluates prometheus/rules/ in place, with its
// config and data inside the stack folder.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type StackConfig } from './config.ts';
import { daemon, portInUse, render, runningPid, startDaemon, stopDaemon, waitFor } from './process.ts';

const TEMPLATE = path.join(REPO_ROOT, 'scripts/stack/prometheus/prometheus.yml');
const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const RULE_FILES: readonly string[] = [path.join(REPO_ROOT, 'prometheus/rules/isochron.rules.yml')];
export const DEFAULT_PROMETHEUS_PORT = 29090;

export interface PrometheusTargets {
  /** host:port of the gateway's /metrics */
  readonly gateway: string;
  /** host:port of the worker's /metrics */
  readonly worker: string;
  /** host:port of the query API's /metrics */
  readonly api: string;
}

export interface PrometheusOptions {
  readonly port?: number;
  /** Scrape and rule evaluation interval; the rules' windows assume at most 15 s. */
  readonly scrapeIntervalSeconds?: number;
}

export const prometheusDaemon = (c: StackConfig) => daemon(c.dir, 'prometheus');
const configFile = (c: StackConfig) => path.join(c.dir, 'prometheus.yml');
const portFile = (c: StackConfig) => path.join(c.dir, 'prometheus.port');

/** The local config: the docker-compose jobs with these targets, and the repository's rule files. */
export function renderPrometheusConfig(targets: PrometheusTargets, scrapeIntervalSeconds = 5): string {
  if (!Number.isInteger(scrapeIntervalSeconds) || scrapeIntervalSeconds < 1 || scrapeIntervalSeconds > 15) {
    throw new Error(`scrapeIntervalSeconds=${scrapeIntervalSeconds}: give a whole number of seconds from 1 to 15 (the alert windows assume at most 15 s)`);
  }
  for (const [job, target] of Object.entries(targets)) {
    if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(target)) throw new Error(`${job} target "${target}" is not host:port`);
  }
  // JSON strings are YAML double-quoted scalars, so any path or host stays one value.
  return render(fs.readFileSync(TEMPLATE, 'utf8'), {
    SCRAPE_INTERVAL: `${scrapeIntervalSeconds}s`,
    RULE_FILE: RULE_FILES.map((f) => JSON.stringify(f)).join('\n  - '),
    GATEWAY_TARGET: JSON.stringify(targets.gateway),
    WORKER_TARGET: JSON.stringify(targets.worker),
    API_TARGET: JSON.stringify(targets.api),
  });
}

/**
 * Starts Prometheus for this stack (or, when it already runs, loads the new targets with a
 * SIGHUP reload) and resolves with its base URL once it is ready and runs this config.
 */
export async function startPrometheus(c: StackConfig, targets: PrometheusTargets, options: PrometheusOptions = {}): Promise<{ url: string }> {
  const port = options.port ?? DEFAULT_PROMETHEUS_PORT;
  const url = `http://127.0.0.1:${port}`;
  const d = prometheusDaemon(c);
  const text = renderPrometheusConfig(targets, options.scrapeIntervalSeconds);
  const pid = runningPid(d);
  if (pid !== undefined) {
    const runningPort = Number(fs.readFileSync(portFile(c), 'utf8'));
    if (runningPort !== port) {
      throw new Error(`Prometheus of stack ${c.dir} already runs on port ${runningPort}: stop it first (stopPrometheus) to move it to ${port}`);
    }
    fs.writeFileSync(configFile(c), text);
    process.kill(pid, 'SIGHUP');
  } else {
    if (!fs.existsSync(PROMETHEUS_BIN)) {
      throw new Error(`${PROMETHEUS_BIN} not found: run "npm run setup" (installs Debian's prometheus)`);
    }
    if (await portInUse(port)) throw new Error(`port ${port} is in use: stop what uses it, or give startPrometheus another port`);
    const dataDir = path.join(c.dir, 'prometheus-data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(configFile(c), text);
    fs.writeFileSync(portFile(c), String(port));
    startDaemon(d, PROMETHEUS_BIN, [
      `--config.file=${configFile(c)}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
  }
  await waitFor(
    `Prometheus on ${url} with targets ${targets.gateway}, ${targets.worker}, ${targets.api}`,
    async () => {
      if (!(await fetch(`${url}/-/ready`)).ok) return false;
      // After a reload the old config may still answer for a moment.
      const body = (await (await fetch(`${url}/api/v1/status/config`)).json()) as { data: { yaml: string } };
      return Object.values(targets).every((t) => body.data.yaml.includes(t));
    },
    30_000,
    d.logFile,
  );
  return { url };
}

export async function stopPrometheus(c: StackConfig): Promise<boolean> {
  const stopped = await stopDaemon(prometheusDaemon(c), 15_000);
  fs.rmSync(portFile(c), { force: true });
  return stopped;
}
