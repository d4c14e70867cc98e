// Keeps one service process of `npm start` running: restarts it after an unexpected exit,
// with a bounded exponential backoff, so a crashed worker does not take Kafka, ClickHouse and
// the other services down with it. stop() ends supervision: SIGTERM, SIGKILL after a grace
// period, and no restart afterwards.
//
// The backoff schedule and the exit classification are pure functions (time enters as data);
// the Supervisor applies them to real child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './config.ts';

// ------------------------------------------------------------------ pure logic

export interface BackoffPolicy {
  /** Delay before the first restart of a streak of failures. */
  readonly initialMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
  /** Each further restart of the streak waits this many times longer. */
  readonly factor: number;
  /** A process that stayed up this long starts a new streak (its restart waits initialMs). */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, factor: 2, resetAfterMs: 60_000 };

export function backoffPolicy(overrides: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const p = { ...DEFAULT_BACKOFF, ...overrides };
  const finite = (v: number) => Number.isFinite(v) && v >= 0;
  if (!finite(p.initialMs) || p.initialMs === 0) throw new Error(`backoff initialMs must be > 0, got ${p.initialMs}`);
  if (!finite(p.maxMs) || p.maxMs < p.initialMs) throw new Error(`backoff maxMs must be >= initialMs (${p.initialMs}), got ${p.maxMs}`);
  if (!Number.isFinite(p.factor) || p.factor < 1) throw new Error(`backoff factor must be >= 1, got ${p.factor}`);
  if (!finite(p.resetAfterMs)) throw new Error(`backoff resetAfterMs must be >= 0, got ${p.resetAfterMs}`);
  return p;
}

/** Delay before the `attempt`-th restart of a streak (1-based): initial * factor^(attempt-1), capped. */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt must be an integer >= 1, got ${attempt}`);
  // factor^(attempt-1) overflows to Infinity for long streaks; min() caps that too.
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** (attempt - 1));
}

/**
 * Attempt number of the restart after an exit: a process that stayed up `upMs` >= resetAfterMs
 * was healthy, so its failure starts a new streak; otherwise the streak goes on.
 * `previousAttempt` is 0 before the first restart.
 */
export function nextAttempt(policy: BackoffPolicy, previousAttempt: number, upMs: number): number {
  return upMs >= policy.resetAfterMs ? 1 : previousAttempt + 1;
}

/** What happens after an exit: stop() asked for it, it finished for good, or it is restarted. */
export type ExitDecision = 'stopped' | 'finished' | 'restart';

export function exitDecision(exit: { code: number | null; signal: string | null }, stopping: boolean, restartOnCleanExit: boolean): ExitDecision {
  if (stopping) return 'stopped';
  if (exit.signal === null && exit.code === 0 && !restartOnCleanExit) return 'finished';
  return 'restart';
}

/** `[name] line`, without the service's own `[name] ` prefix if it printed one. */
export function prefixLine(name: string, line: string): string {
  return `[${name}] ${line.replace(/^\[[a-z]+\] /, '')}`;
}

/** `1.0 s` */
export const formatDelay = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ------------------------------------------------------------------ processes

export interface SuperviseOptions {
  /** Overrides of DEFAULT_BACKOFF (1 s doubling to 30 s, reset after 60 s up). */
  backoff?: Partial<BackoffPolicy>;
  /** After stop()'s SIGTERM, SIGKILL follows after this long. Default 15 000. */
  stopTimeoutMs?: number;
  /**
   * Restart after exit code 0 while not stopping. Default true: a service that ends by itself
   * is as unexpected as a crash. False for a job that may finish (the simulator with a duration).
   */
  restartOnCleanExit?: boolean;
  /** The supervisor's own lines (restarts, SIGKILL). Default: `[start] line` on stderr. */
  log?: (line: string) => void;
  /** Each output line of the process, already prefixed `[name] `. Default console.log; false: none. */
  echo?: ((prefixedLine: string) => void) | false;
  /** output() keeps at most this many characters (the newest). Default 4 000 000. */
  outputLimitChars?: number;
  /** Working directory. Default the repository root. */
  cwd?: string;
}

export interface ExitInfo {
  /** Which run ended: 0 the first, n after restart n. */
  readonly run: number;
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (spawn error). */
  readonly error?: string;
  readonly upMs: number;
  readonly decision: ExitDecision;
  /** For decision 'restart': the delay before restart `run + 1`. */
  readonly restartInMs?: number;
}

export type SupervisorState = 'running' | 'backoff' | 'stopping' | 'stopped' | 'finished';

export interface SupervisorEvents {
  /** A process was started: run 0 first, then one per restart. */
  spawn: (run: number, pid: number | undefined) => void;
  exit: (info: ExitInfo) => void;
}

export interface Supervisor {
  readonly name: string;
  /** Pid of the running process; undefined while waiting to restart, or after the end. */
  pid(): number | undefined;
  /** Restarts so far (the first start is not one). */
  restarts(): number;
  state(): SupervisorState;
  /** Everything the process printed (stdout and stderr), from run `fromRun` on (default 0). */
  output(fromRun?: number): string;
  /** Every exit so far, oldest first. */
  exits(): readonly ExitInfo[];
  /**
   * Resolves with the pid of restart `n` (default: the next one) once it is spawned, at once if
   * it already was; rejects if supervision ends first.
   */
  restarted(n?: number): Promise<number | undefined>;
  on<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): () => void;
  /**
   * Ends supervision: cancels a pending restart, sends SIGTERM, SIGKILL after stopTimeoutMs;
   * resolves when no process is left. Idempotent.
   */
  stop(): Promise<void>;
}

/** Supervises `node --import tsx <entry>` (entry relative to the repository root) with `env` over process.env. */
export function supervise(name: string, entry: string, env: Record<string, string>, options: SuperviseOptions = {}): Supervisor {
  return superviseCommand(name, process.execPath, ['--import', 'tsx', path.resolve(REPO_ROOT, entry)], env, options);
}

/** Supervises any command; every run gets the same arguments and environment. */
export function superviseCommand(name: string, command: string, args: readonly string[], env: Record<string, string>, options: SuperviseOptions = {}): Supervisor {
  return new ProcessSupervisor(name, command, [...args], { ...process.env, ...env }, options);
}

interface Run {
  readonly run: number;
  readonly child: ChildProcess;
  readonly startedAt: number;
  text: string;
  ended: boolean;
}

class ProcessSupervisor implements Supervisor {
  private readonly policy: BackoffPolicy;
  private readonly stopTimeoutMs: number;
  private readonly restartOnCleanExit: boolean;
  private readonly log: (line: string) => void;
  private readonly echo: ((line: string) => void) | false;
  private readonly outputLimitChars: number;
  private readonly cwd: string;
  private readonly runs: Run[] = [];
  private readonly exitLog: ExitInfo[] = [];
  private readonly listeners: { [E in keyof SupervisorEvents]: Set<SupervisorEvents[E]> } = { spawn: new Set(), exit: new Set() };
  private waiters: { n: number; resolve: (pid: number | undefined) => void; reject: (e: Error) => void }[] = [];
  private current: Run | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private status: SupervisorState = 'running';
  private stopping: Promise<void> | undefined;
  private onCurrentExit: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    options: SuperviseOptions,
  ) {
    this.policy = backoffPolicy(options.backoff);
    this.stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
    this.restartOnCleanExit = options.restartOnCleanExit ?? true;
    this.log = options.log ?? ((line) => console.error(`[start] ${line}`));
    this.echo = options.echo ?? ((line) => console.log(line));
    this.outputLimitChars = options.outputLimitChars ?? 4_000_000;
    this.cwd = options.cwd ?? REPO_ROOT;
    this.start();
  }

  pid(): number | undefined {
    return this.current?.child.pid;
  }

  restarts(): number {
    return Math.max(0, this.runs.length - 1);
  }

  state(): SupervisorState {
    return this.status;
  }

  output(fromRun = 0): string {
    return this.runs
      .filter((r) => r.run >= fromRun)
      .map((r) => r.text)
      .join('');
  }

  exits(): readonly ExitInfo[] {
    return [...this.exitLog];
  }

  restarted(n = this.restarts() + 1): Promise<number | undefined> {
    if (n <= this.restarts()) return Promise.resolve(this.runs[n].child.pid);
    if (this.status === 'stopping' || this.status === 'stopped' || this.status === 'finished') {
      return Promise.reject(new Error(`${this.name}: supervision ended (${this.status}) before restart ${n}`));
    }
    return new Promise((resolve, reject) => this.waiters.push({ n, resolve, reject }));
  }

  on<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): () => void {
    const set = this.listeners[event] as Set<SupervisorEvents[E]>;
    set.add(listener);
    return () => void set.delete(listener);
  }

  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    const ended = this.status === 'finished';
    this.status = ended ? 'finished' : 'stopping';
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.rejectWaiters((n) => `${this.name}: stopped before restart ${n}`);
    const run = this.current;
    if (run !== undefined && !run.ended) {
      await new Promise<void>((resolve) => {
        const killTimer = setTimeout(() => {
          this.log(`${this.name} did not stop within ${formatDelay(this.stopTimeoutMs)} of SIGTERM; sending SIGKILL`);
          run.child.kill('SIGKILL');
        }, this.stopTimeoutMs);
        this.onCurrentExit = () => {
          clearTimeout(killTimer);
          resolve();
        };
        run.child.kill('SIGTERM');
      });
    }
    if (!ended) this.status = 'stopped';
  }

  private start(): void {
    const runNo = this.runs.length;
    const child = spawn(this.command, this.args, { cwd: this.cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { run: runNo, child, startedAt: performance.now(), text: '', ended: false };
    this.runs.push(run);
    this.current = run;
    this.status = 'running';
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        this.append(run, chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const l of lines) this.print(l);
      });
      stream.on('end', () => {
        if (partial.length > 0) this.print(partial);
        partial = '';
      });
    }
    child.on('exit', (code, signal) => this.exited(run, code, signal));
    // A process that cannot be started emits 'error' (and not always 'exit').
    child.on('error', (err) => {
      if (child.pid === undefined) this.exited(run, null, null, err.message);
    });
    for (const l of this.listeners.spawn) l(runNo, child.pid);
    for (const w of this.waiters.filter((w) => w.n <= runNo)) w.resolve(this.runs[w.n].child.pid);
    this.waiters = this.waiters.filter((w) => w.n > runNo);
  }

  private print(line: string): void {
    if (line.length > 0 && this.echo !== false) this.echo(prefixLine(this.name, line));
  }

  private append(run: Run, chunk: string): void {
    run.text += chunk;
    let total = this.runs.reduce((a, r) => a + r.text.length, 0);
    for (const r of this.runs) {
      if (total <= this.outputLimitChars) break;
      const cut = Math.min(r.text.length, total - this.outputLimitChars);
      r.text = r.text.slice(cut);
      total -= cut;
    }
  }

  private exited(run: Run, code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (run.ended) return;
    run.ended = true;
    const upMs = performance.now() - run.startedAt;
    const stopping = this.status === 'stopping';
    const decision = exitDecision({ code, signal }, stopping, this.restartOnCleanExit);
    let restartInMs: number | undefined;
    const what = error !== undefined ? `could not be started (${error})` : `exited (${signal ?? code})`;
    if (decision === 'restart') {
      this.attempt = nextAttempt(this.policy, this.attempt, upMs);
      restartInMs = backoffDelayMs(this.policy, this.attempt);
      this.status = 'backoff';
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.status === 'backoff') this.start();
      }, restartInMs);
      this.log(`${this.name} ${what}; restarting in ${formatDelay(restartInMs)} (restart ${this.runs.length})`);
    } else if (decision === 'finished') {
      this.status = 'finished';
      this.log(`${this.name} finished (exit 0); not restarting`);
      this.rejectWaiters((n) => `${this.name}: finished (exit 0); restart ${n} will not happen`);
    }
    const info: ExitInfo = { run: run.run, pid: run.child.pid, code, signal, ...(error !== undefined ? { error } : {}), upMs, decision, ...(restartInMs !== undefined ? { restartInMs } : {}) };
    this.exitLog.push(info);
    if (this.current === run) this.current = undefined;
    for (const l of this.listeners.exit) l(info);
    if (decision === 'stopped') {
      this.onCurrentExit?.();
      this.onCurrentExit = undefined;
    }
  }

  private rejectWaiters(message: (n: number) => string): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject(new Error(message(w.n)));
  }
}
