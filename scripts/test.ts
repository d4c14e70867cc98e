// `npm test`: type-check, start an isolated stack (own ports and folders, see
// scripts/stack/config.ts profile "test"), run the whole vitest suite against it, and stop
// the stack again, also when tests fail or the run is interrupted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { REPO_ROOT, serviceEnv, stackConfig } from './stack/config.ts';
import { stackDown, stackUp } from './stack/stack.ts';

const c = stackConfig('test');
const SOLO = ['test/e2e/recovery.int.test.ts'];
const extraArgs = process.argv.slice(2);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env, cwd: REPO_ROOT });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= stackDown(c).catch((e) => console.error('[test] stopping the stack failed:', e)));
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void stop().then(() => process.exit(130));
  });
}

const t0 = Date.now();
let code = await run('npx', ['tsc', '--noEmit'], process.env);
if (code !== 0) {
  console.error('[test] type check failed');
  process.exit(code);
}
try {
  // A fresh stack each run: no state leaks between runs.
  await stackDown(c);
  fs.rmSync(c.dir, { recursive: true, force: true });
  await stackUp(c);
  console.log(`[test] stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s (Kafka 127.0.0.1:${c.kafkaPort}, ClickHouse 127.0.0.1:${c.clickhouseHttpPort})`);
  const env = { ...process.env, ...serviceEnv(c), ISOCHRON_STACK_DIR: c.dir, ISOCHRON_TEST_STACK: '1' };
  if (extraArgs.length > 0) code = await run('npx', ['vitest', 'run', ...extraArgs], env);
  else {
    // The suite, then the files that must have the machine to themselves: their failure cases
    // are timed against real load (a producer kept on schedule, restores against an idleness
    // timeout), which another test file running beside them would disturb.
    code = await run('npx', ['vitest', 'run', ...SOLO.flatMap((f) => ['--exclude', f])], env);
    const solo = await run('npx', ['vitest', 'run', ...SOLO], env);
    if (code === 0) code = solo;
  }
} catch (e) {
  console.error('[test] could not start the test stack:', e instanceof Error ? e.message : e);
  code = 1;
} finally {
  await stop();
}
console.log(`[test] finished in ${((Date.now() - t0) / 1000).toFixed(1)} s, exit code ${code}`);
process.exit(code);
