// Starting and stopping long-running stack processes that outlive the script that started
// them (pid files), and the small waits around that.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface Daemon {
  readonly name: string;
  readonly pidFile: string;
  readonly logFile: string;
}

export function daemon(dir: string, name: string): Daemon {
  return { name, pidFile: path.join(dir, `${name}.pid`), logFile: path.join(dir, 'logs', `${name}.out`) };
}

export function readPid(d: Daemon): number | undefined {
  try {
    const pid = Number(fs.readFileSync(d.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningPid(d: Daemon): number | undefined {
  const pid = readPid(d);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Starts `cmd` detached in its own process group, output appended to the daemon's log. */
export function startDaemon(d: Daemon, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  fs.mkdirSync(path.dirname(d.logFile), { recursive: true });
  const out = fs.openSync(d.logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], env });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`${d.name}: could not start ${cmd}`);
  child.unref();
  fs.writeFileSync(d.pidFile, String(child.pid));
  return child.pid;
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`. Resolves when it is gone. */
export async function stopDaemon(d: Daemon, graceMs = 15_000): Promise<boolean> {
  const pid = readPid(d);
  if (pid === undefined || !isAlive(pid)) {
    fs.rmSync(d.pidFile, { force: true });
    return false;
  }
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  fs.rmSync(d.pidFile, { force: true });
  return true;
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(true));
    srv.once('listening', () => srv.close(() => resolve(false)));
    srv.listen(port, '127.0.0.1');
  });
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = e;
    }
    await sleep(250);
  }
  const tail = logFile ? `\n--- last lines of ${logFile} ---\n${tailFile(logFile, 20)}` : '';
  throw new Error(`${what} not ready after ${timeoutMs} ms${lastErr ? ` (${String(lastErr)})` : ''}${tail}`);
}

export function tailFile(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

export function render(template: string, values: Record<string, string | number>): string {
  return template.replace(/@@([A-Z_]+)@@/g, (m, k: string) => {
    if (!(k in values)) throw new Error(`template placeholder ${m} has no value`);
    return String(values[k]);
  });
}
