// The benchmark's own Kafka + ClickHouse: its own folder and ports (never the demo stack on
// 29092/28123 nor the test stack on 39092/38123), started once, stopped on exit, on failure
// and on Ctrl-C, together with every child process the benchmark started.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, stackConfig, type StackConfig } from '../../../scripts/stack/config.ts';
import { ensureTopics } from '../../../scripts/stack/kafka.ts';
import { stackDown, stackUp } from '../../../scripts/stack/stack.ts';

export interface BenchStack {
  readonly config: StackConfig;
  readonly brokers: string;
  readonly clickhouseUrl: string;
  createTopics(topics: { name: string; partitions: number }[]): Promise<void>;
  /** Children are killed (SIGKILL, by pid) before the stack stops. */
  track(child: ChildProcess): void;
  down(): Promise<void>;
}

export interface BenchStackOptions {
  readonly dir?: string;
  readonly kafkaPort?: number;
  readonly kafkaControllerPort?: number;
  readonly clickhouseHttpPort?: number;
  readonly clickhouseTcpPort?: number;
  readonly kafkaHeapMb?: number;
  /** Keep the stack folder (data and logs) after stopping. */
  readonly keep?: boolean;
}

export async function startBenchStack(o: BenchStackOptions, log: (line: string) => void): Promise<BenchStack> {
  const dir = o.dir ?? path.join(REPO_ROOT, '.stack', 'bench-worker');
  const config = stackConfig('test', {
    ...process.env,
    ISOCHRON_STACK_DIR: dir,
    ISOCHRON_KAFKA_PORT: String(o.kafkaPort ?? 45092),
    ISOCHRON_KAFKA_CONTROLLER_PORT: String(o.kafkaControllerPort ?? 45093),
    ISOCHRON_CLICKHOUSE_HTTP_PORT: String(o.clickhouseHttpPort ?? 45123),
    ISOCHRON_CLICKHOUSE_TCP_PORT: String(o.clickhouseTcpPort ?? 45000),
    ISOCHRON_KAFKA_HEAP_MB: String(o.kafkaHeapMb ?? 1024),
  });
  // A folder left over from an interrupted run holds gigabytes of old topics: stop what its
  // pid files name (only this stack's own daemons) and start clean.
  await stackDown(config);
  if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
  const children = new Set<ChildProcess>();
  let stopped: Promise<void> | undefined;
  const down = (): Promise<void> =>
    (stopped ??= (async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
      await stackDown(config);
      if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
      log(`stack stopped${o.keep ? ` (kept ${dir})` : ''}`);
    })());
  const onSignal = (sig: NodeJS.Signals) => {
    log(`${sig}: stopping the benchmark stack`);
    void down().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A stray rejection must not leave the stack and the worker running.
  process.once('unhandledRejection', (e) => {
    log(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`);
    void down().finally(() => process.exit(1));
  });
  log(`starting own stack in ${dir}: Kafka 127.0.0.1:${config.kafkaPort}, ClickHouse http://127.0.0.1:${config.clickhouseHttpPort}`);
  try {
    await stackUp(config);
  } catch (e) {
    await down();
    throw e;
  }
  return {
    config,
    brokers: `127.0.0.1:${config.kafkaPort}`,
    clickhouseUrl: `http://127.0.0.1:${config.clickhouseHttpPort}`,
    createTopics: (topics) => ensureTopics(config, topics),
    track: (child) => void children.add(child),
    down,
  };
}
