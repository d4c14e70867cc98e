// Runs an isochron service as its own OS process for integration tests, with its output
// kept for the failure message.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `niceness` > 0 runs the service at a lower CPU priority (`nice -n`): a starved process. */
export function startService(entry: string, env: Record<string, string>, niceness = 0): ServiceProcess {
  const command = [process.execPath, '--import', 'tsx', path.join(ROOT, entry)];
  if (niceness > 0) command.unshift('nice', '-n', String(niceness));
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, context?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${context ? `\n--- output ---\n${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
