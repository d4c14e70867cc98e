// Ports and folders of a local stack. Two profiles can run side by side: `demo` (npm start)
// and `test` (npm test). Every value can be overridden from the environment.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type StackProfile = 'demo' | 'test';

export interface StackConfig {
  readonly profile: StackProfile;
  /** Folder holding this stack's data, logs and rendered configs (git-ignored). */
  readonly dir: string;
  /** Folder holding installed artefacts shared by all stacks (Kafka jars). */
  readonly homeDir: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly kafkaHeapMb: number;
  readonly clickhouseHttpPort: number;
  readonly clickhouseTcpPort: number;
}

const DEFAULT_PORTS: Record<StackProfile, [number, number, number, number]> = {
  demo: [29092, 29093, 28123, 29000],
  test: [39092, 39093, 38123, 39000],
};

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) {
    throw new Error(`${name}=${raw} is not a valid port/number; unset it or give an integer`);
  }
  return n;
}

export function stackConfig(profile: StackProfile, env: NodeJS.ProcessEnv = process.env): StackConfig {
  const homeDir = env.ISOCHRON_HOME || path.join(REPO_ROOT, '.stack');
  const [kp, kcp, chp, ctp] = DEFAULT_PORTS[profile];
  return Object.freeze({
    profile,
    homeDir,
    dir: env.ISOCHRON_STACK_DIR || path.join(homeDir, profile),
    kafkaPort: intFromEnv(env, 'ISOCHRON_KAFKA_PORT', kp),
    kafkaControllerPort: intFromEnv(env, 'ISOCHRON_KAFKA_CONTROLLER_PORT', kcp),
    kafkaHeapMb: intFromEnv(env, 'ISOCHRON_KAFKA_HEAP_MB', 768),
    clickhouseHttpPort: intFromEnv(env, 'ISOCHRON_CLICKHOUSE_HTTP_PORT', chp),
    clickhouseTcpPort: intFromEnv(env, 'ISOCHRON_CLICKHOUSE_TCP_PORT', ctp),
  });
}

/** Environment the services and tests need to reach this stack. Same names as docker-compose.yml. */
export function serviceEnv(c: StackConfig): { ISOCHRON_KAFKA_BROKERS: string; ISOCHRON_CLICKHOUSE_URL: string } {
  return {
    ISOCHRON_KAFKA_BROKERS: `127.0.0.1:${c.kafkaPort}`,
    ISOCHRON_CLICKHOUSE_URL: `http://127.0.0.1:${c.clickhouseHttpPort}`,
  };
}
