// The processes a load run drives: the gateway and the worker as child processes of the runner
// (or of the smoke test), each stopped by its own pid, and what the runner reads about them.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../stack/config.ts';

export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  output(): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startNodeService(name: string, entry: string, env: Record<string, string>, url: string, onLine?: (line: string) => void): Service {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    const text = d.toString();
    out = (out + text).slice(-64 * 1024);
    if (onLine) for (const l of text.split('\n')) if (l.length > 0) onLine(l);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const pid = child.pid;
  return {
    name,
    child,
    pid,
    url,
    output: () => out,
    stop(graceMs = 15_000) {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** Resolves once GET url answers 200 (fails early when the process exits). */
export async function waitReady(s: Service, probePath: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) throw new Error(`${s.name} exited (${s.child.exitCode ?? s.child.signalCode}) before it was ready:\n${s.output().slice(-4000)}`);
    try {
      const res = await fetch(`${s.url}${probePath}`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${s.name} not ready at ${s.url}${probePath} within ${timeoutMs} ms:\n${s.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface GatewayOptions {
  readonly port: number;
  readonly brokers: string;
  readonly topic: string;
  readonly clickhouseUrl: string;
  readonly database: string;
  readonly env?: Record<string, string>;
}

export function startGateway(o: GatewayOptions, onLine?: (line: string) => void): Service {
  return startNodeService(
    'gateway',
    'services/gateway/main.ts',
    {
      ISOCHRON_KAFKA_BROKERS: o.brokers,
      ISOCHRON_TOPIC_TELEMETRY: o.topic,
      // The gateway authenticates against the registry in this database.
      ISOCHRON_CLICKHOUSE_URL: o.clickhouseUrl,
      ISOCHRON_CLICKHOUSE_DATABASE: o.database,
      ISOCHRON_GATEWAY_HOST: '127.0.0.1',
      ISOCHRON_GATEWAY_PORT: String(o.port),
      ...o.env,
    },
    `http://127.0.0.1:${o.port}`,
    onLine,
  );
}

export interface WorkerOptions {
  readonly metricsPort: number;
  readonly brokers: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly clickhouseUrl: string;
  readonly database: string;
  readonly groupId: string;
  readonly env?: Record<string, string>;
}

export function startWorker(o: WorkerOptions, onLine?: (line: string) => void): Service {
  return startNodeService(
    'worker',
    'services/worker/main.ts',
    {
      ISOCHRON_KAFKA_BROKERS: o.brokers,
      ISOCHRON_TOPIC_TELEMETRY: o.topic,
      ISOCHRON_TOPIC_DEAD_LETTER: o.deadLetterTopic,
      ISOCHRON_CLICKHOUSE_URL: o.clickhouseUrl,
      ISOCHRON_CLICKHOUSE_DATABASE: o.database,
      ISOCHRON_WORKER_GROUP_ID: o.groupId,
      ISOCHRON_WORKER_METRICS_HOST: '127.0.0.1',
      ISOCHRON_WORKER_METRICS_PORT: String(o.metricsPort),
      ...o.env,
    },
    `http://127.0.0.1:${o.metricsPort}`,
    onLine,
  );
}

/**
 * Resident memory of the gateway: its process_resident_memory_bytes from /metrics when it
 * exports one (prom-client's default process metrics), else VmRSS from /proc/<pid>/status.
 */
export async function residentBytes(s: Service): Promise<{ bytes: number; source: 'metrics' | 'proc' } | undefined> {
  try {
    const res = await fetch(`${s.url}/metrics`, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    const m = /^(?:[a-z_]*_)?process_resident_memory_bytes(?:\{[^}]*\})? ([0-9.eE+]+)$/m.exec(text);
    if (m) return { bytes: Number(m[1]), source: 'metrics' };
  } catch {
    /* fall back to /proc */
  }
  try {
    const status = fs.readFileSync(`/proc/${s.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (kb) return { bytes: Number(kb[1]) * 1024, source: 'proc' };
  } catch {
    /* process gone */
  }
  return undefined;
}

/** Value of an unlabelled sample in Prometheus text, or undefined. */
export async function scrape(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(2000) })).text();
  const m = new RegExp(`^${name}(?:\\{\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}
