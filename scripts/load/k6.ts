// Where scripts/setup-k6.sh put k6 (the same version and cache folder), and running it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../stack/config.ts';

/** The k6 release scripts/setup-k6.sh builds (its K6_VERSION default). */
export function k6Version(): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'setup-k6.sh'), 'utf8');
  const m = /^K6_VERSION=\$\{ISOCHRON_K6_VERSION:-(v[0-9][^}]*)\}$/m.exec(text);
  if (!m) throw new Error('scripts/setup-k6.sh: no K6_VERSION default found');
  return process.env.ISOCHRON_K6_VERSION || m[1];
}

export function k6Path(): string {
  const cache = process.env.ISOCHRON_K6_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'isochron');
  return path.join(cache, `k6-${k6Version()}`, 'k6');
}

/** The k6 binary, or an error that says how to get it (never a silent skip). */
export function requireK6(): string {
  const bin = k6Path();
  const version = k6Version();
  const hint = `run "npm run setup" (scripts/setup.sh builds k6 ${version} with "go install go.k6.io/k6@${version}" into ${path.dirname(bin)})`;
  if (!fs.existsSync(bin)) throw new Error(`k6 not found at ${bin}: ${hint}`);
  const out = spawnSync(bin, ['version'], { encoding: 'utf8' });
  if (out.status !== 0 || !out.stdout.startsWith(`k6 ${version} `)) throw new Error(`${bin} does not report k6 ${version} (${(out.stdout || out.stderr || '').trim().slice(0, 200)}): ${hint}`);
  return bin;
}

export interface K6Run {
  readonly code: number;
  readonly output: string;
  /** The --summary-export JSON (metrics by name), or null when k6 wrote none. */
  readonly summary: K6Summary | null;
}

export interface K6Summary {
  metrics: Record<string, Record<string, number> & { thresholds?: Record<string, boolean> }>;
}

/**
 * Runs `k6 run` on a script with -e variables, writes the summary JSON to summaryPath and
 * returns it. Output lines are passed to onLine as they come (k6's progress bar is off).
 */
export function runK6(
  script: string,
  vars: Record<string, string | number>,
  summaryPath: string,
  o: { onLine?: (line: string) => void; onSpawn?: (pid: number) => void; signal?: AbortSignal } = {},
): Promise<K6Run> {
  const { onLine, onSpawn, signal } = o;
  const bin = requireK6();
  const args = ['run', '--quiet', '--no-color', '--no-usage-report', '--summary-export', summaryPath];
  for (const [k, v] of Object.entries(vars)) args.push('-e', `${k}=${v}`);
  args.push(script);
  fs.rmSync(summaryPath, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    const abort = () => child.kill('SIGINT');
    signal?.addEventListener('abort', abort, { once: true });
    let output = '';
    let partial = '';
    const onData = (d: Buffer) => {
      const text = d.toString();
      output += text;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onLine?.(l);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      signal?.removeEventListener('abort', abort);
      if (partial) onLine?.(partial);
      let summary: K6Summary | null = null;
      try {
        summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as K6Summary;
      } catch {
        summary = null;
      }
      resolve({ code: code ?? (sig ? 128 : 1), output, summary });
    });
  });
}
