// The worker as its own OS process, configured only through its ISOCHRON_* variables, with
// the tail of its output kept for error messages and a reader of its /metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../../scripts/stack/config.ts';
import { promValue } from './probe.ts';

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly metricsUrl: string;
  tail(): string;
  /** True once the worker logged a partition assignment. */
  assigned(): boolean;
  /** isochron_worker_samples_total and the process RSS metric, or undefined while not serving. */
  scrape(): Promise<{ samples: number; rssBytes: number | undefined; text: string } | undefined>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface WorkerTarget {
  readonly brokers: string;
  readonly clickhouseUrl: string;
  readonly database: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  readonly metricsPort: number;
  /** Extra ISOCHRON_* settings; everything else stays at the worker's defaults. */
  readonly env?: Record<string, string>;
  /** Write a V8 CPU profile of the worker into this folder when it exits. */
  readonly cpuProfDir?: string;
}

/** Where the worker spent its time, from its own histograms (totals since start). */
export function workerTimeSplit(metricsText: string): Record<string, number | null> {
  const v = (name: string) => {
    const x = promValue(metricsText, name);
    return x === undefined ? null : +x.toFixed(3);
  };
  return {
    inserts: v('isochron_worker_insert_duration_seconds_count'),
    insertSeconds: v('isochron_worker_insert_duration_seconds_sum'),
    insertRows: v('isochron_worker_insert_rows_sum'),
    checkpoints: v('isochron_worker_checkpoint_duration_seconds_count'),
    checkpointSeconds: v('isochron_worker_checkpoint_duration_seconds_sum'),
    checkpointMiB: (() => {
      const b = v('isochron_worker_checkpoint_bytes_sum');
      return b === null ? null : +(b / 2 ** 20).toFixed(1);
    })(),
    pausedPartitionsNow: v('isochron_worker_paused_partitions'),
    insertRetries: v('isochron_worker_insert_retries_total'),
  };
}

export function startWorkerProcess(t: WorkerTarget): WorkerProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only the benchmark's own settings reach the worker (it rejects unknown ISOCHRON_* names,
  // and a value inherited from the shell must not silently change what is measured).
  for (const k of Object.keys(env)) if (k.startsWith('ISOCHRON_')) delete env[k];
  Object.assign(env, {
    ISOCHRON_KAFKA_BROKERS: t.brokers,
    ISOCHRON_TOPIC_TELEMETRY: t.topic,
    ISOCHRON_TOPIC_DEAD_LETTER: t.deadLetterTopic,
    ISOCHRON_CLICKHOUSE_URL: t.clickhouseUrl,
    ISOCHRON_CLICKHOUSE_DATABASE: t.database,
    ISOCHRON_WORKER_GROUP_ID: t.groupId,
    ISOCHRON_WORKER_METRICS_HOST: '127.0.0.1',
    ISOCHRON_WORKER_METRICS_PORT: String(t.metricsPort),
    ...t.env,
  });
  const profile = t.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${t.cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(REPO_ROOT, 'services/worker/main.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start the worker process');
  const lines: string[] = [];
  let assigned = false;
  const keep = (d: Buffer) => {
    for (const l of d.toString().split('\n')) {
      if (l.length === 0) continue;
      if (l.includes('assigned partitions')) assigned = true;
      lines.push(l);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const metricsUrl = `http://127.0.0.1:${t.metricsPort}/metrics`;
  return {
    child,
    pid: child.pid,
    metricsUrl,
    tail: () => lines.slice(-40).join('\n'),
    assigned: () => assigned,
    async scrape() {
      try {
        const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) return undefined;
        const text = await res.text();
        return { samples: promValue(text, 'isochron_worker_samples_total') ?? 0, rssBytes: promValue(text, 'isochron_worker_process_resident_memory_bytes'), text };
      } catch {
        return undefined;
      }
    },
    stop(graceMs = 40_000) {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      });
    },
  };
}
