// The supervisor of `npm start`: the backoff schedule and exit classification as pure
// functions, then real child processes (`node -e` scripts, and one TypeScript entry run with
// `node --import tsx` like the services) that crash, get killed, finish, or ignore SIGTERM.
// Expected schedules are written out by hand from the policy (initial x 2^(n-1), capped).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, sleep, waitFor } from './process.ts';
import {
  backoffDelayMs,
  backoffPolicy,
  DEFAULT_BACKOFF,
  exitDecision,
  formatDelay,
  nextAttempt,
  prefixLine,
  supervise,
  superviseCommand,
  type SuperviseOptions,
  type Supervisor,
} from './supervisor.ts';

describe('backoff schedule (pure)', () => {
  it('defaults: 1 s doubling to 30 s, reset after 60 s up', () => {
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 1000, maxMs: 30_000, factor: 2, resetAfterMs: 60_000 });
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(DEFAULT_BACKOFF, n));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('stays capped for very long streaks (2^n overflows to Infinity)', () => {
    expect(backoffDelayMs(DEFAULT_BACKOFF, 2000)).toBe(30_000);
    expect(backoffDelayMs(backoffPolicy({ factor: 1 }), 50)).toBe(1000);
    expect(backoffDelayMs(backoffPolicy({ initialMs: 250, factor: 3, maxMs: 5000 }), 3)).toBe(2250);
    expect(backoffDelayMs(backoffPolicy({ initialMs: 250, factor: 3, maxMs: 5000 }), 4)).toBe(5000);
  });

  it('rejects nonsense', () => {
    expect(() => backoffDelayMs(DEFAULT_BACKOFF, 0)).toThrow(/attempt/);
    expect(() => backoffDelayMs(DEFAULT_BACKOFF, 1.5)).toThrow(/attempt/);
    expect(() => backoffPolicy({ initialMs: 0 })).toThrow(/initialMs/);
    expect(() => backoffPolicy({ initialMs: 5000, maxMs: 1000 })).toThrow(/maxMs/);
    expect(() => backoffPolicy({ factor: 0.5 })).toThrow(/factor/);
    expect(() => backoffPolicy({ resetAfterMs: -1 })).toThrow(/resetAfterMs/);
  });

  it('a process that stayed up resetAfterMs starts a new streak', () => {
    expect(nextAttempt(DEFAULT_BACKOFF, 0, 10)).toBe(1);
    expect(nextAttempt(DEFAULT_BACKOFF, 3, 59_999)).toBe(4);
    expect(nextAttempt(DEFAULT_BACKOFF, 3, 60_000)).toBe(1);
    // Crashes after 0.1 s, 0.1 s, 0.1 s, then 2 minutes up, then 0.1 s again.
    let attempt = 0;
    const delays = [100, 100, 100, 120_000, 100].map((upMs) => backoffDelayMs(DEFAULT_BACKOFF, (attempt = nextAttempt(DEFAULT_BACKOFF, attempt, upMs))));
    expect(delays).toEqual([1000, 2000, 4000, 1000, 2000]);
  });

  it('classifies exits', () => {
    expect(exitDecision({ code: null, signal: 'SIGKILL' }, false, true)).toBe('restart');
    expect(exitDecision({ code: null, signal: 'SIGKILL' }, false, false)).toBe('restart');
    expect(exitDecision({ code: 1, signal: null }, false, false)).toBe('restart');
    expect(exitDecision({ code: 0, signal: null }, false, true)).toBe('restart');
    expect(exitDecision({ code: 0, signal: null }, false, false)).toBe('finished');
    // spawn failure: neither code nor signal
    expect(exitDecision({ code: null, signal: null }, false, false)).toBe('restart');
    for (const exit of [{ code: 0, signal: null }, { code: 1, signal: null }, { code: null, signal: 'SIGKILL' }]) expect(exitDecision(exit, true, true)).toBe('stopped');
  });

  it('prefixes lines and formats delays', () => {
    expect(prefixLine('worker', 'assigned partitions 0,1')).toBe('[worker] assigned partitions 0,1');
    expect(prefixLine('worker', '[worker] assigned partitions 0,1')).toBe('[worker] assigned partitions 0,1');
    expect(prefixLine('sim', '[simulator] 5 batches')).toBe('[sim] 5 batches');
    expect(prefixLine('api', '{"level":30}')).toBe('[api] {"level":30}');
    expect(formatDelay(1000)).toBe('1.0 s');
    expect(formatDelay(30_000)).toBe('30.0 s');
    expect(formatDelay(250)).toBe('0.3 s');
  });
});

// ------------------------------------------------------------------ real processes

/** Prints who it is and waits (until killed). */
const LONG_RUNNING = `
console.log('pid=' + process.pid + ' value=' + process.env.ISO_SUPERVISOR_TEST + ' args=' + JSON.stringify(process.argv.slice(1)));
process.on('SIGTERM', () => { console.log('draining'); process.exit(0); });
setInterval(() => {}, 1000);
console.log('ready');`;
const IGNORES_SIGTERM = `
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
setInterval(() => {}, 1000);
console.log('ready');`;

describe('supervisor (real child processes)', () => {
  const started: Supervisor[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  function node(name: string, script: string, env: Record<string, string>, options: SuperviseOptions & { logs?: string[] } = {}): Supervisor {
    const { logs, ...rest } = options;
    const s = superviseCommand(name, process.execPath, ['-e', script, 'first-arg'], env, { echo: false, log: (l) => logs?.push(l), ...rest });
    started.push(s);
    return s;
  }
  const ready = (s: Supervisor, run: number) => waitFor(`run ${run} of ${s.name} ready`, async () => s.output(run).includes('ready'), 10_000);
  /** performance.now() of every spawn and exit of `s`, in order. */
  function timeline(s: Supervisor): { spawns: number[]; exits: number[] } {
    const t = { spawns: [performance.now()], exits: [] as number[] };
    s.on('spawn', () => t.spawns.push(performance.now()));
    s.on('exit', () => t.exits.push(performance.now()));
    return t;
  }

  it('restarts a process killed with SIGKILL, with the same command and environment, after the backoff', async () => {
    const logs: string[] = [];
    const s = node('worker', LONG_RUNNING, { ISO_SUPERVISOR_TEST: 'same-env' }, { logs, backoff: { initialMs: 300 } });
    const t = timeline(s);
    await ready(s, 0);
    const first = s.pid()!;
    expect(isAlive(first)).toBe(true);
    process.kill(first, 'SIGKILL');
    const second = await s.restarted(1);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(isAlive(first)).toBe(false);
    expect(s.pid()).toBe(second);
    expect(s.restarts()).toBe(1);
    expect(s.state()).toBe('running');
    expect(t.spawns[1] - t.exits[0]).toBeGreaterThanOrEqual(295);
    await ready(s, 1);
    expect(s.output(0)).toContain(`pid=${first} value=same-env args=["first-arg"]`);
    expect(s.output(1)).toContain(`pid=${second} value=same-env args=["first-arg"]`);
    expect(s.output(1)).not.toContain(`pid=${first}`);
    expect(logs).toEqual(['worker exited (SIGKILL); restarting in 0.3 s (restart 1)']);
    expect(s.exits()).toMatchObject([{ run: 0, pid: first, code: null, signal: 'SIGKILL', decision: 'restart', restartInMs: 300 }]);
    // It is supervised again: a second kill is restarted too.
    process.kill(second!, 'SIGKILL');
    const third = await s.restarted(2);
    expect(third).not.toBe(second);
    expect(logs[1]).toBe('worker exited (SIGKILL); restarting in 0.6 s (restart 2)');
  });

  it('grows the backoff for a process that keeps failing, up to the cap', async () => {
    const logs: string[] = [];
    const s = node('crashy', 'process.exit(3)', {}, { logs, backoff: { initialMs: 100, factor: 2, maxMs: 400, resetAfterMs: 10_000 } });
    const t = timeline(s);
    await s.restarted(6);
    await waitFor('seventh exit', async () => s.exits().length >= 7, 10_000);
    const exits = s.exits().slice(0, 7);
    expect(exits.map((e) => [e.code, e.decision])).toEqual(Array(7).fill([3, 'restart']));
    // 100 * 2^(n-1), capped at 400
    expect(exits.map((e) => e.restartInMs)).toEqual([100, 200, 400, 400, 400, 400, 400]);
    for (let n = 1; n <= 6; n++) expect(t.spawns[n] - t.exits[n - 1], `wait before restart ${n}`).toBeGreaterThanOrEqual(exits[n - 1].restartInMs! - 5);
    expect(logs.slice(0, 4)).toEqual([
      'crashy exited (3); restarting in 0.1 s (restart 1)',
      'crashy exited (3); restarting in 0.2 s (restart 2)',
      'crashy exited (3); restarting in 0.4 s (restart 3)',
      'crashy exited (3); restarting in 0.4 s (restart 4)',
    ]);
  });

  it('starts a new streak after a process stayed up resetAfterMs', async () => {
    const s = node('flaky', 'setTimeout(() => process.exit(1), 300)', {}, { backoff: { initialMs: 50, maxMs: 1000, resetAfterMs: 200 } });
    await s.restarted(3);
    await waitFor('third exit', async () => s.exits().length >= 3, 10_000);
    expect(s.exits().slice(0, 3).map((e) => e.restartInMs)).toEqual([50, 50, 50]);
    for (const e of s.exits()) expect(e.upMs).toBeGreaterThanOrEqual(290);
  });

  it('restarts after exit code 0 while not stopping, unless told the process may finish', async () => {
    const s = node('gateway', 'process.exit(0)', {}, { backoff: { initialMs: 30 } });
    await s.restarted(2);
    expect(s.exits()[0]).toMatchObject({ code: 0, signal: null, decision: 'restart' });

    const logs: string[] = [];
    const sim = node('simulator', 'console.log("done"); process.exit(0)', {}, { logs, restartOnCleanExit: false, backoff: { initialMs: 30 } });
    const pending = sim.restarted(1);
    await expect(pending).rejects.toThrow(/finished/);
    expect(sim.state()).toBe('finished');
    await sleep(200);
    expect(sim.restarts()).toBe(0);
    expect(sim.pid()).toBeUndefined();
    expect(sim.exits()).toMatchObject([{ run: 0, code: 0, decision: 'finished' }]);
    expect(logs).toEqual(['simulator finished (exit 0); not restarting']);
    await waitFor('output read', async () => sim.output().includes('done'), 5000);
    await sim.stop();
    expect(sim.state()).toBe('finished');
  });

  it('does not restart when stop() comes during a pending restart', async () => {
    const s = node('worker', 'process.exit(1)', {}, { backoff: { initialMs: 400 } });
    let spawns = 1;
    s.on('spawn', () => spawns++);
    const pending = s.restarted(1);
    pending.catch(() => undefined);
    await new Promise<void>((resolve) => s.on('exit', () => resolve()));
    expect(s.state()).toBe('backoff');
    await s.stop();
    await expect(pending).rejects.toThrow(/stopped before restart 1/);
    await sleep(700);
    expect(spawns).toBe(1);
    expect(s.restarts()).toBe(0);
    expect(s.pid()).toBeUndefined();
    expect(s.state()).toBe('stopped');
    await expect(s.restarted()).rejects.toThrow(/stopped/);
  });

  it('stop() sends SIGTERM, then SIGKILL to a process that ignores it, and restarts neither', async () => {
    const logs: string[] = [];
    const polite = node('worker', LONG_RUNNING, {}, { logs, stopTimeoutMs: 5000, backoff: { initialMs: 50 } });
    const stubborn = node('gateway', IGNORES_SIGTERM, {}, { logs, stopTimeoutMs: 400, backoff: { initialMs: 50 } });
    await Promise.all([ready(polite, 0), ready(stubborn, 0)]);
    const pids = [polite.pid()!, stubborn.pid()!];
    const t0 = performance.now();
    await Promise.all([polite.stop(), stubborn.stop()]);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(395);
    expect(elapsed).toBeLessThan(4000);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(polite.exits()).toMatchObject([{ code: 0, signal: null, decision: 'stopped' }]);
    expect(polite.output()).toContain('draining');
    expect(stubborn.exits()).toMatchObject([{ code: null, signal: 'SIGKILL', decision: 'stopped' }]);
    expect(stubborn.output()).toContain('ignoring SIGTERM');
    expect(logs).toEqual(['gateway did not stop within 0.4 s of SIGTERM; sending SIGKILL']);
    await sleep(200);
    expect([polite.restarts(), stubborn.restarts()]).toEqual([0, 0]);
    expect([polite.state(), stubborn.state()]).toEqual(['stopped', 'stopped']);
    // Idempotent.
    await polite.stop();
  });

  it('prefixes every output line, also lines split across writes and a last line without newline', async () => {
    const lines: string[] = [];
    const script = `
process.stdout.write('[worker] assigned part');
setTimeout(() => {
  process.stdout.write('itions 0,1\\nsecond line\\n\\nlast without newline');
  process.stderr.write('[worker] on stderr\\n');
  setTimeout(() => process.exit(0), 50);
}, 100);`;
    const s = node('worker', script, {}, { echo: (l) => lines.push(l), restartOnCleanExit: false });
    await waitFor('all lines', async () => lines.length >= 4, 5000);
    expect(lines.sort()).toEqual(['[worker] assigned partitions 0,1', '[worker] last without newline', '[worker] on stderr', '[worker] second line']);
    expect(s.output()).toContain('[worker] assigned partitions 0,1\nsecond line\n\nlast without newline');
  });

  it('keeps only the newest outputLimitChars of output', async () => {
    const s = node('chatty', 'for (let i = 0; i < 100; i++) console.log(String(i).padStart(9, "0")); process.exit(0)', {}, { restartOnCleanExit: false, outputLimitChars: 100 });
    await waitFor('all output', async () => s.output().includes('000000099'), 5000);
    expect(s.output()).toHaveLength(100);
    expect(s.output()).toBe(Array.from({ length: 10 }, (_, i) => `0000000${90 + i}\n`).join(''));
  });

  it('supervise() runs a TypeScript entry with node --import tsx, like the services', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-supervisor-'));
    try {
      const entry = path.join(dir, 'service.ts');
      fs.writeFileSync(entry, "const value: string = process.env.ISO_SUPERVISOR_TEST ?? 'unset';\nconsole.log(`[svc] ready pid=${process.pid} value=${value}`);\nsetInterval(() => {}, 1000);\n");
      const lines: string[] = [];
      const s = supervise('svc', entry, { ISO_SUPERVISOR_TEST: 'from-ts' }, { echo: (l) => lines.push(l), log: () => undefined, backoff: { initialMs: 100 } });
      started.push(s);
      await ready(s, 0);
      const first = s.pid()!;
      process.kill(first, 'SIGKILL');
      const second = await s.restarted(1);
      await ready(s, 1);
      expect(lines).toEqual([`[svc] ready pid=${first} value=from-ts`, `[svc] ready pid=${second} value=from-ts`]);
      await s.stop();
      expect(s.exits().map((e) => [e.signal, e.decision])).toEqual([['SIGKILL', 'restart'], ['SIGTERM', 'stopped']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
