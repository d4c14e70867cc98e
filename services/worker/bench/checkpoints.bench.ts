// npm run bench:checkpoints — the checkpoint store (services/adapters/clickhouse/checkpoints.ts,
// table partition_checkpoints) written as the worker writes it, side by side with the legacy
// store it replaces (worker_checkpoints read with FINAL over its whole history, issue 10), on
// the ClickHouse at ISOCHRON_CLICKHOUSE_URL (the running test stack), in a private database that
// is dropped at the end. Not a test: prints one JSON line per measurement on stdout and a
// summary on stderr. These machines are shared and noisy: compare the two stores measured in
// the same run, and read the machine load printed with them.
//
//   npm run bench:checkpoints
//   npm run bench:checkpoints -- --small-budget-s 60 --large-budget-s 20 --baseline-budget-s 30 --min-hours 0.25
//
// One "round" is one checkpoint interval (default 5 s of simulated time): every partition
// (default 8) saves its state once, one after the other, as pipeline.checkpoint() does; the
// states are seeded random bytes (incompressible, the worst case for storage) of a fixed size
// with the round number written into their first bytes, so every checkpoint differs.
//   small  2 MiB states: at least --min-hours (1 h = 720 rounds), then on towards --max-hours
//          (24 h) while the phase is within --small-budget-s of wall time.
//   large  20 MiB states: at least 2 rounds, then as many as fit in --large-budget-s.
//   legacy the old store's SQL (copied below: plain INSERT, latest() with FINAL) with the small
//          states under another topic: --legacy-insert-rounds rounds written by the old INSERT,
//          then the history doubled by server-side copies (INSERT ... SELECT with the offsets
//          and times shifted: the same rows and bytes per checkpoint, written faster than over
//          HTTP) until the old restore fails, the phase passes --baseline-budget-s, or the table
//          has as many checkpoints as the small phase wrote. At the same points the new store
//          restores the same partitions from that legacy table (its one-time upgrade fallback:
//          key columns first, no FINAL).
// Restores are measured at fixed simulated times with a fresh store (a restarted worker), for
// every partition: wall time, the bench process's resident-memory growth (peak during the
// restore over the resident set before it, VmHWM reset through /proc/self/clear_refs), and the
// server's peak query memory sampled from system.processes (the bench's own queries, told from
// other clients' by a comment with the database name; short queries may fall between samples).
// How far the small phase gets does not change the bound: a save empties the slot it writes,
// so from the second save per partition on the table holds two checkpoints per partition;
// the probes at 2, 12, 60, ... 720 rounds show the same rows and bytes.
//
// One run on 18.16.1 (2 cores, load 2.5-6.4 from other test runs; --small-budget-s 200, 325 s):
// 2 MiB x 8 partitions for 730 rounds (1.01 h): 16 checkpoints, 42.9 MiB on disk at every
// probe; restore p50 28-43 ms, max 61 ms, RSS +6 MiB max. 20 MiB: 428 MiB on disk, restore
// p50 221-259 ms, RSS +43-98 MiB. Legacy FINAL restore: p50 0.6 s at 96 checkpoints (257 MiB),
// 1.8-2.1 s at 192-384, failed with code 241 (memory limit, 4 GiB) at 768 (2 GiB); the new
// store's fallback read the same legacy tables in 0.4-1.6 s p50 at 21 MiB server memory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CheckpointStore } from '../../adapters/clickhouse/checkpoints.ts';
import { createClickHouse, type ClickHouse } from '../../adapters/clickhouse/client.ts';
import { sqlInt, sqlString } from '../../adapters/clickhouse/literal.ts';
import { loadMigrations, migrate } from '../../adapters/clickhouse/migrate.ts';
import { mulberry32 } from '../../core/random.ts';
import { machineLoad, mib, sleep, weightedPercentile } from './probe.ts';

const { values: a } = parseArgs({
  options: {
    partitions: { type: 'string', default: '8' },
    'interval-s': { type: 'string', default: '5' },
    'small-mib': { type: 'string', default: '2' },
    'large-mib': { type: 'string', default: '20' },
    'min-hours': { type: 'string', default: '1' },
    'max-hours': { type: 'string', default: '24' },
    'small-budget-s': { type: 'string', default: '150' },
    'large-budget-s': { type: 'string', default: '15' },
    'baseline-budget-s': { type: 'string', default: '90' },
    'legacy-insert-rounds': { type: 'string', default: '12' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const positive = (name: string, raw: string) => {
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} ${raw}: give a positive number`);
  return n;
};
const PARTITIONS = Math.round(positive('partitions', a.partitions!));
const INTERVAL_S = Math.round(positive('interval-s', a['interval-s']!));
const SMALL_BYTES = Math.round(positive('small-mib', a['small-mib']!) * 2 ** 20);
const LARGE_BYTES = Math.round(positive('large-mib', a['large-mib']!) * 2 ** 20);
const MIN_ROUNDS = Math.ceil((positive('min-hours', a['min-hours']!) * 3600) / INTERVAL_S);
const MAX_ROUNDS = Math.ceil((positive('max-hours', a['max-hours']!) * 3600) / INTERVAL_S);
const SMALL_BUDGET_MS = positive('small-budget-s', a['small-budget-s']!) * 1000;
const LARGE_BUDGET_MS = positive('large-budget-s', a['large-budget-s']!) * 1000;
const BASELINE_BUDGET_MS = positive('baseline-budget-s', a['baseline-budget-s']!) * 1000;
const LEGACY_INSERT_ROUNDS = Math.round(positive('legacy-insert-rounds', a['legacy-insert-rounds']!));
// One legacy probe restores partitions one after another until it has spent this long.
const BASELINE_PROBE_MS = 20_000;

const CLICKHOUSE_URL = process.env.ISOCHRON_CLICKHOUSE_URL;
if (!CLICKHOUSE_URL) {
  process.stderr.write(
    'bench:checkpoints needs a ClickHouse: set ISOCHRON_CLICKHOUSE_URL (e.g. the test stack: export ISOCHRON_CLICKHOUSE_URL=http://127.0.0.1:38123)\n',
  );
  process.exit(2);
}
const DATABASE = `bench_checkpoints_${Date.now().toString(36)}`;
const TOPIC = 'isochron.telemetry.v1';
const LEGACY_TOPIC = 'bench.legacy';
const T0_S = 1_750_000_000;
const OFFSETS_PER_ROUND = 20_000n;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const log = (line: string) => process.stderr.write(`[bench:checkpoints] ${line}\n`);
function emit(obj: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...obj, load: machineLoad() })}\n`);
}
const r1 = (x: number) => Math.round(x * 10) / 10;

// ---- the legacy store, as services/worker/checkpoints.ts had it (the baseline) --------------

const LEGACY_CHUNK_BYTES = 4 * 1024 * 1024;

async function legacySave(ch: ClickHouse, topic: string, partition: number, offset: bigint, state: Uint8Array, nowSeconds: number): Promise<void> {
  const chunks = Math.max(1, Math.ceil(state.length / LEGACY_CHUNK_BYTES));
  const rows = [];
  for (let i = 0; i < chunks; i++) {
    const part = state.subarray(i * LEGACY_CHUNK_BYTES, (i + 1) * LEGACY_CHUNK_BYTES);
    rows.push({ topic, partition, offset: offset.toString(), chunk: i, chunks, data: Buffer.from(part).toString('base64'), created_at: nowSeconds });
  }
  await ch.insert('worker_checkpoints', rows);
}

async function legacyLatest(ch: ClickHouse, topic: string, partition: number): Promise<{ offset: bigint; state: Uint8Array } | undefined> {
  const where = `topic = ${sqlString(topic)} AND partition = ${sqlInt(partition, 'UInt32')}`;
  const found = await ch.query<{ offset: string }>(
    `SELECT offset FROM worker_checkpoints FINAL WHERE ${where} GROUP BY offset HAVING uniqExact(chunk) = any(chunks) ORDER BY offset DESC LIMIT 1`,
  );
  if (found.length === 0) return undefined;
  const offset = BigInt(found[0].offset);
  const parts = await ch.query<{ data: string }>(
    `SELECT data FROM worker_checkpoints FINAL WHERE ${where} AND offset = ${sqlInt(offset, 'UInt64')} ORDER BY chunk`,
  );
  const buffers = parts.map((p) => Buffer.from(p.data, 'base64'));
  return { offset, state: new Uint8Array(Buffer.concat(buffers)) };
}

// ---- measurement helpers ---------------------------------------------------------------------

function procKb(field: 'VmRSS' | 'VmHWM'): number {
  const s = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
}

/** The same client, every query starting with a comment that names this run. */
function tagged(ch: ClickHouse): ClickHouse {
  return {
    query: <T>(sql: string) => ch.query<T>(`/* ${DATABASE} */ ${sql}`),
    command: (sql: string) => ch.command(sql),
    insert: (table: string, rows: readonly object[]) => ch.insert(table, rows),
    withDatabase: (database: string) => tagged(ch.withDatabase(database)),
  };
}

/** Samples the server's peak memory of this run's running queries (not the sampler's) until stopped. */
function serverMemorySampler(root: ClickHouse): () => Promise<number> {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const r = await root.query<{ m: string }>(
          `SELECT max(peak_memory_usage) AS m FROM system.processes WHERE query LIKE ${sqlString(`/* ${DATABASE} */%`)} AND query NOT LIKE '%system.processes%'`,
        );
        peak = Math.max(peak, Number(r[0]?.m ?? 0));
      } catch {
        // A sample that fails is a sample missed; the measurement is "at least".
      }
      await sleep(15);
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peak;
  };
}

interface RestoreResult {
  readonly partition: number;
  readonly ms: number;
  readonly rssDeltaBytes: number;
  readonly serverPeakBytes: number;
  readonly ok: boolean;
  readonly error?: string;
}

/** One restore as a restarted worker does it, with its time and memory. */
async function measureRestore(
  root: ClickHouse,
  partition: number,
  restore: () => Promise<{ offset: bigint; state: Uint8Array } | undefined>,
  expect: { offset: bigint; state: Uint8Array } | undefined,
): Promise<RestoreResult> {
  gc();
  const rssBefore = procKb('VmRSS');
  fs.writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current resident set
  const stop = serverMemorySampler(root);
  const t0 = performance.now();
  try {
    const got = await restore();
    const ms = performance.now() - t0;
    const rssDeltaBytes = procKb('VmHWM') - rssBefore;
    const serverPeakBytes = await stop();
    const ok = got !== undefined && expect !== undefined && got.offset === expect.offset && Buffer.from(got.state).equals(Buffer.from(expect.state));
    return { partition, ms, rssDeltaBytes, serverPeakBytes, ok };
  } catch (e) {
    const ms = performance.now() - t0;
    const serverPeakBytes = await stop();
    return { partition, ms, rssDeltaBytes: procKb('VmHWM') - rssBefore, serverPeakBytes, ok: false, error: (e as Error).message.slice(0, 300) };
  }
}

function summarise(results: readonly RestoreResult[]) {
  const done = results.filter((r) => r.ok);
  const pct = (xs: number[], q: number) => weightedPercentile(xs.map((x) => [x, 1] as const), q);
  return {
    partitions: results.length,
    ok: done.length,
    failed: results.length - done.length,
    error: results.find((r) => r.error)?.error,
    restoreMsP50: done.length ? r1(pct(done.map((r) => r.ms), 0.5)!) : null,
    restoreMsMax: done.length ? r1(Math.max(...done.map((r) => r.ms))) : null,
    rssDeltaMiBP50: done.length ? r1(pct(done.map((r) => r.rssDeltaBytes), 0.5)! / 2 ** 20) : null,
    rssDeltaMiBMax: done.length ? r1(Math.max(...done.map((r) => r.rssDeltaBytes)) / 2 ** 20) : null,
    serverPeakMiBMax: r1(Math.max(0, ...results.map((r) => r.serverPeakBytes)) / 2 ** 20),
    failedAfterMsMax: results.some((r) => !r.ok) ? r1(Math.max(...results.filter((r) => !r.ok).map((r) => r.ms))) : null,
  };
}

async function tableStats(root: ClickHouse, table: string) {
  const r = await root.query<Record<string, string>>(
    // Aliases differ from the column names: 18.16 resolves an alias before the column.
    `SELECT countIf(active) AS n_parts, sumIf(rows, active) AS n_rows, sumIf(bytes_on_disk, active) AS n_bytes,` +
      ` countIf(NOT active) AS n_inactive_parts, sumIf(bytes_on_disk, NOT active) AS n_inactive_bytes` +
      ` FROM system.parts WHERE database = ${sqlString(DATABASE)} AND table = ${sqlString(table)}`,
  );
  const s = r[0];
  return {
    activeParts: Number(s.n_parts),
    rows: Number(s.n_rows),
    bytesOnDiskMiB: r1(Number(s.n_bytes) / 2 ** 20),
    inactiveParts: Number(s.n_inactive_parts),
    inactiveMiB: r1(Number(s.n_inactive_bytes) / 2 ** 20),
  };
}

/** The state of one partition in one round: a fixed random body, the round in its first bytes. */
function states(bytes: number): { at(partition: number, round: number): Uint8Array } {
  const bodies: Buffer[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const next = mulberry32(0xc0ffee + p);
    const b = Buffer.allocUnsafe(bytes);
    for (let i = 0; i + 4 <= bytes; i += 4) b.writeUInt32LE(Math.floor(next() * 4294967296), i);
    bodies.push(b);
  }
  return {
    at(partition, round) {
      const b = bodies[partition];
      b.writeUInt32LE(round, 0);
      b.writeUInt32LE(partition, 4);
      return b;
    },
  };
}

const offsetOf = (partition: number, round: number) => BigInt(round) * OFFSETS_PER_ROUND + BigInt(partition);
const simulated = (round: number) => `${((round * INTERVAL_S) / 3600).toFixed(2)} h`;

// ---- phases ------------------------------------------------------------------------------------

interface PhaseResult {
  readonly rounds: number;
  readonly saveMsP50: number | null;
  readonly saveMsMax: number | null;
}

/** The new store: rounds of saves with restores and table sizes at the given rounds. */
async function newStorePhase(
  root: ClickHouse,
  db: ClickHouse,
  name: string,
  stateBytes: number,
  minRounds: number,
  maxRounds: number,
  budgetMs: number,
  probeAt: (round: number) => boolean,
): Promise<PhaseResult> {
  const st = states(stateBytes);
  const store = new CheckpointStore(db, TOPIC);
  const saveMs: number[] = [];
  const start = performance.now();
  let round = 0;
  log(`${name}: ${PARTITIONS} partitions, ${mib(stateBytes)} MiB states, at least ${minRounds} rounds (${simulated(minRounds)}), then up to ${simulated(maxRounds)} within ${budgetMs / 1000} s`);
  for (;;) {
    round++;
    for (let p = 0; p < PARTITIONS; p++) {
      const t = performance.now();
      await store.save(p, offsetOf(p, round), st.at(p, round), T0_S + round * INTERVAL_S);
      saveMs.push(performance.now() - t);
    }
    const last = round >= maxRounds || (round >= minRounds && performance.now() - start > budgetMs);
    if (probeAt(round) || last) {
      const table = await tableStats(root, 'partition_checkpoints');
      const checkpoints = Number((await db.query<{ n: string }>('SELECT uniqExact(topic, partition, offset) AS n FROM partition_checkpoints'))[0].n);
      const results: RestoreResult[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        results.push(await measureRestore(root, p, () => new CheckpointStore(db, TOPIC).latest(p), { offset: offsetOf(p, round), state: st.at(p, round) }));
      }
      const s = summarise(results);
      emit({ bench: `checkpoints.${name}`, store: 'partition_checkpoints', stateMiB: mib(stateBytes), round, simulatedHours: +((round * INTERVAL_S) / 3600).toFixed(3), savesPerPartition: round, checkpointsInTable: checkpoints, ...table, restore: s, wallS: r1((performance.now() - start) / 1000) });
      log(
        `${name} ${simulated(round)} (${round} saves/partition): table ${checkpoints} checkpoints, ${table.rows} rows, ${table.activeParts} parts, ${table.bytesOnDiskMiB} MiB on disk (+${table.inactiveMiB} MiB inactive); restore p50 ${s.restoreMsP50} ms, max ${s.restoreMsMax} ms, RSS +${s.rssDeltaMiBMax} MiB max, server peak >= ${s.serverPeakMiBMax} MiB, ok ${s.ok}/${s.partitions}`,
      );
    }
    if (last) break;
  }
  const pct = (q: number) => weightedPercentile(saveMs.map((x) => [x, 1] as const), q);
  const res = { rounds: round, saveMsP50: r1(pct(0.5)!), saveMsMax: r1(Math.max(...saveMs)) };
  emit({ bench: `checkpoints.${name}.saves`, store: 'partition_checkpoints', stateMiB: mib(stateBytes), ...res, saveMsP99: r1(pct(0.99)!), wallS: r1((performance.now() - start) / 1000) });
  return res;
}

/** The legacy store on the same states, with its restore and the new store's fallback. */
async function legacyPhase(root: ClickHouse, db: ClickHouse, maxRounds: number, probeAt: (round: number) => boolean): Promise<number> {
  const st = states(SMALL_BYTES);
  const start = performance.now();
  // The checkpoint at round r holds the state written at round sourceOf(r): a copy of rounds
  // 1 .. k placed after round R (a multiple of `written`) repeats them with period `written`.
  const written = Math.min(LEGACY_INSERT_ROUNDS, maxRounds);
  const sourceOf = (round: number) => ((round - 1) % written) + 1;
  log(
    `legacy: the old store's INSERT for ${written} rounds, then doubled by server-side copies; FINAL restore, ${PARTITIONS} partitions, ${mib(SMALL_BYTES)} MiB states,` +
      ` until it fails, ${BASELINE_BUDGET_MS / 1000} s or ${maxRounds} rounds`,
  );
  let round = 0;
  let filledBy = 'insert';
  for (;;) {
    if (round < written) {
      round++;
      for (let p = 0; p < PARTITIONS; p++) await legacySave(db, LEGACY_TOPIC, p, offsetOf(p, round), st.at(p, round), T0_S + round * INTERVAL_S);
      if (round < written && !probeAt(round)) continue;
    } else {
      // Rounds round+1 .. 2*round: a copy of rounds 1 .. round, later by `round` intervals.
      const add = Math.min(round, maxRounds - round);
      const t = performance.now();
      await db.command(
        `INSERT INTO worker_checkpoints SELECT topic, partition, offset + ${sqlInt(BigInt(round) * OFFSETS_PER_ROUND, 'UInt64')}, chunk, chunks, data,` +
          ` created_at + ${sqlInt(round * INTERVAL_S, 'UInt32')} FROM worker_checkpoints WHERE topic = ${sqlString(LEGACY_TOPIC)} AND offset <= ${sqlInt(offsetOf(PARTITIONS - 1, add), 'UInt64')}`,
      );
      log(`legacy: copied ${add * PARTITIONS} checkpoints in ${r1((performance.now() - t) / 1000)} s`);
      round += add;
      filledBy = 'insert, then server-side copies';
    }
    const last = round >= maxRounds || performance.now() - start > BASELINE_BUDGET_MS;
    const table = await tableStats(root, 'worker_checkpoints');
    const expected = (p: number) => ({ offset: offsetOf(p, round), state: Buffer.from(st.at(p, sourceOf(round))) });
    const probeStart = performance.now();
    const legacy: RestoreResult[] = [];
    const fallback: RestoreResult[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const want = expected(p);
      legacy.push(await measureRestore(root, p, () => legacyLatest(db, LEGACY_TOPIC, p), want));
      fallback.push(await measureRestore(root, p, () => new CheckpointStore(db, LEGACY_TOPIC).latest(p), want));
      if (performance.now() - probeStart > BASELINE_PROBE_MS) break;
    }
    const ls = summarise(legacy);
    const fs_ = summarise(fallback);
    const common = { stateMiB: mib(SMALL_BYTES), round, simulatedHours: +((round * INTERVAL_S) / 3600).toFixed(3), checkpointsInTable: round * PARTITIONS, filledBy, ...table, wallS: r1((performance.now() - start) / 1000) };
    emit({ bench: 'checkpoints.legacy', store: 'worker_checkpoints FINAL (old latest)', ...common, restore: ls });
    emit({ bench: 'checkpoints.legacy_fallback', store: 'partition_checkpoints store reading worker_checkpoints (upgrade path)', ...common, restore: fs_ });
    log(
      `legacy ${simulated(round)} (${round * PARTITIONS} checkpoints, ${table.bytesOnDiskMiB} MiB on disk, ${table.activeParts} parts): old FINAL restore p50 ${ls.restoreMsP50} ms, max ${ls.restoreMsMax} ms, server peak >= ${ls.serverPeakMiBMax} MiB, ok ${ls.ok}/${ls.partitions}` +
        `${ls.error ? ` (failed after ${ls.failedAfterMsMax} ms: ${ls.error.slice(0, 160)})` : ''}; new store's fallback p50 ${fs_.restoreMsP50} ms, max ${fs_.restoreMsMax} ms, RSS +${fs_.rssDeltaMiBMax} MiB, server peak >= ${fs_.serverPeakMiBMax} MiB, ok ${fs_.ok}/${fs_.partitions}`,
    );
    if (ls.failed > 0 || last) break;
  }
  return round;
}

// ---- main ----------------------------------------------------------------------------------------

const root = createClickHouse({ url: CLICKHOUSE_URL, database: 'default', requestTimeoutMs: 300_000 });
let created = false;
const dropDatabase = async () => {
  if (created && !a.keep) await root.command(`DROP DATABASE IF EXISTS ${DATABASE}`);
  created = false;
};
process.once('SIGINT', () => {
  void dropDatabase().finally(() => process.exit(130));
});

try {
  const started = performance.now();
  emit({ bench: 'checkpoints.start', database: DATABASE, partitions: PARTITIONS, intervalS: INTERVAL_S, smallMiB: mib(SMALL_BYTES), largeMiB: mib(LARGE_BYTES), minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, node: process.version });
  created = true;
  await migrate(root, DATABASE, loadMigrations(path.join(ROOT, 'sql')));
  const db = tagged(root.withDatabase(DATABASE));
  const version = (await root.query<{ v: string }>('SELECT version() AS v'))[0].v;
  log(`ClickHouse ${version} at ${CLICKHOUSE_URL}, database ${DATABASE}`);

  // Simulated 0, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, ... 24 h.
  const hoursToRound = (h: number) => Math.round((h * 3600) / INTERVAL_S);
  const smallProbes = new Set([2, hoursToRound(1 / 60), hoursToRound(5 / 60), hoursToRound(0.25), hoursToRound(0.5), ...[1, 2, 4, 8, 12, 16, 20, 24].map(hoursToRound)]);
  const small = await newStorePhase(root, db, 'small', SMALL_BYTES, MIN_ROUNDS, MAX_ROUNDS, SMALL_BUDGET_MS, (r) => smallProbes.has(r));
  const large = await newStorePhase(root, db, 'large', LARGE_BYTES, 2, MAX_ROUNDS, LARGE_BUDGET_MS, (r) => r === 2);
  const legacyRounds = await legacyPhase(root, db, small.rounds, (r) => r === hoursToRound(1 / 60));
  emit({ bench: 'checkpoints.done', smallRounds: small.rounds, smallSimulatedHours: +((small.rounds * INTERVAL_S) / 3600).toFixed(2), largeRounds: large.rounds, legacyRounds, wallS: r1((performance.now() - started) / 1000) });
  log(`done in ${r1((performance.now() - started) / 1000)} s: small ${simulated(small.rounds)}, large ${simulated(large.rounds)}, legacy ${simulated(legacyRounds)}`);
} catch (e) {
  log(`FAILED: ${(e as Error).stack ?? String(e)}`);
  emit({ bench: 'checkpoints.error', error: (e as Error).message.slice(0, 2000) });
  process.exitCode = 1;
} finally {
  await dropDatabase();
}
