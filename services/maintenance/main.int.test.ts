// `npm run retention` as an operator (or cron) runs it: a child process with the
// ISOCHRON_CLICKHOUSE_* and ISOCHRON_RETENTION_* settings in its environment, against a fresh,
// migrated database on the test ClickHouse, on the real clock. Rows are placed far from every
// cut (days before today in the server's time zone, UTC on the test stack), so the run's own
// "today" decides the same way whenever the test runs.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { loadMigrations, migrate } from '../adapters/clickhouse/migrate.ts';
import { clickhouseUrl, freshDatabase } from '../../test/support/stack.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const DAY_S = 86_400;

let ch: ClickHouse;
let database: string;
let drop: () => Promise<void>;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  events: Record<string, unknown>[];
}

async function retention(extraEnv: Record<string, string>, ...args: string[]): Promise<Result> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ISOCHRON_')) env[k] = v;
  Object.assign(env, { ISOCHRON_CLICKHOUSE_URL: clickhouseUrl(), ISOCHRON_CLICKHOUSE_DATABASE: database }, extraEnv);
  let r: { code: number; stdout: string; stderr: string };
  try {
    const out = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'services/maintenance/main.ts'), ...args], { env, cwd: ROOT });
    r = { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    r = { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
  const events = r.stdout.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...r, events };
}

const nowS = Math.floor(Date.now() / 1000);
const daysAgo = (d: number) => nowS - d * DAY_S;
const ymd = (s: number) => Number(new Date(s * 1000).toISOString().slice(0, 10).replace(/-/g, ''));
const ym = (s: number) => Math.floor(ymd(s) / 100);
const identity = { enterprise_id: 'ent-1', site_id: 's', network_type: 'tsn', segment_id: 'g', device_id: 'd', flow_id: 'f' };

async function rowsBy(table: string, key: string): Promise<Record<string, number>> {
  const rows = await ch.query<{ p: number; n: string }>(`SELECT ${key} AS p, count() AS n FROM ${table} GROUP BY p ORDER BY p`);
  return Object.fromEntries(rows.map((r) => [String(r.p), Number(r.n)]));
}

// 400 days ago: past the 35-day windows and the 90-day 1 min rollups, within the 730-day 1 h
// rollups. 800 days ago: past the 1 h rollups too (its month ended long before the cut).
const OLD = daysAgo(400);
const ANCIENT = daysAgo(800);
const RECENT = daysAgo(2);

beforeAll(async () => {
  ({ ch, database, drop } = await freshDatabase('retention_cli'));
  await migrate(ch, database, loadMigrations(path.join(ROOT, 'sql')));
  await ch.insert('flow_windows', [OLD, RECENT, nowS].map((t) => ({ ...identity, window_start: t, window_start_ns: `${t}000000000` })));
  await ch.insert('flow_rollups_1m', [OLD, RECENT].map((t) => ({ ...identity, period_start: t, period_start_ns: `${t}000000000`, windows: 60 })));
  await ch.insert('flow_rollups_1h', [ANCIENT, OLD, RECENT].map((t) => ({ ...identity, period_start: t, period_start_ns: `${t}000000000`, windows: 3600 })));
  await ch.insert('flow_rollups_1d', [ANCIENT].map((t) => ({ ...identity, period_start: t, period_start_ns: `${t}000000000`, windows: 86_400 })));
});
afterAll(async () => {
  await drop?.();
});

describe('npm run retention', () => {
  it('--dry-run logs what it would drop as JSON lines and drops nothing; the real run drops exactly that; a second run finds nothing', async () => {
    const before = { w: await rowsBy('flow_windows', 'toYYYYMMDD(window_start)'), h: await rowsBy('flow_rollups_1h', 'toYYYYMM(period_start)') };
    expect(before.w).toEqual({ [ymd(OLD)]: 1, [ymd(RECENT)]: 1, [ymd(nowS)]: 1 });

    const dry = await retention({}, '--dry-run');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.events[0]).toMatchObject({ level: 'info', service: 'retention', event: 'retention_start', database, dryRun: true, timeZone: expect.stringMatching(/UTC/) });
    const would = dry.events.filter((e) => e.event === 'partition_would_drop').map((e) => `${e.table}/${e.partition}`);
    expect(would).toEqual([`flow_windows/${ymd(OLD)}`, `flow_rollups_1m/${ymd(OLD)}`, `flow_rollups_1h/${ym(ANCIENT)}`]);
    expect(dry.events.at(-1)).toMatchObject({ event: 'retention_done', dryRun: true, wouldDrop: 3, rows: 3, failed: 0, problems: [] });
    expect(await rowsBy('flow_windows', 'toYYYYMMDD(window_start)')).toEqual(before.w);
    expect(await rowsBy('flow_rollups_1h', 'toYYYYMM(period_start)')).toEqual(before.h);

    const real = await retention({});
    expect(real.code, real.stdout + real.stderr).toBe(0);
    expect(real.events.filter((e) => e.event === 'partition_dropped').map((e) => `${e.table}/${e.partition}`)).toEqual(would);
    expect(real.events.at(-1)).toMatchObject({ event: 'retention_done', dryRun: false, dropped: 3, rows: 3, failed: 0 });
    expect(await rowsBy('flow_windows', 'toYYYYMMDD(window_start)')).toEqual({ [ymd(RECENT)]: 1, [ymd(nowS)]: 1 });
    expect(await rowsBy('flow_rollups_1m', 'toYYYYMMDD(period_start)')).toEqual({ [ymd(RECENT)]: 1 });
    expect(await rowsBy('flow_rollups_1h', 'toYYYYMM(period_start)')).toEqual({ [ym(OLD)]: 1, [ym(RECENT)]: 1 });
    expect(await rowsBy('flow_rollups_1d', 'toYear(period_start)')).toEqual({ [String(Math.floor(ymd(ANCIENT) / 10000))]: 1 });

    const again = await retention({});
    expect(again.code).toBe(0);
    expect(again.events.filter((e) => e.event === 'partition_dropped')).toEqual([]);
    expect(again.events.at(-1)).toMatchObject({ event: 'retention_done', dropped: 0 });
  });

  it('follows the settings: a shorter 1 h retention drops more, keep-forever drops nothing', async () => {
    const forever = await retention({
      ISOCHRON_RETENTION_WINDOWS_DAYS: '0',
      ISOCHRON_RETENTION_ROLLUPS_1M_DAYS: '0',
      ISOCHRON_RETENTION_ROLLUPS_1H_DAYS: '0',
      ISOCHRON_RETENTION_REPLAY_HORIZON_DAYS: '0',
    });
    expect(forever.code, forever.stdout + forever.stderr).toBe(0);
    expect(forever.events.filter((e) => e.event === 'retention_table').map((e) => e.status)).toEqual(['keep_forever', 'keep_forever', 'keep_forever', 'keep_forever', 'keep_forever', 'expire']);
    expect(forever.events.at(-1)).toMatchObject({ dropped: 0 });

    const short = await retention({ ISOCHRON_RETENTION_ROLLUPS_1H_DAYS: '100' }, '--dry-run');
    expect(short.code).toBe(0);
    expect(short.events.filter((e) => e.event === 'partition_would_drop').map((e) => `${e.table}/${e.partition}`)).toEqual([`flow_rollups_1h/${ym(OLD)}`]);
  });

  it('refuses a configuration that breaks the rules, naming every problem and its fix, and drops nothing', async () => {
    const before = await rowsBy('flow_windows', 'toYYYYMMDD(window_start)');
    const bad = await retention({ ISOCHRON_RETENTION_WINDOWS_DAYS: '7', ISOCHRON_RETENTION_ROLLUPS_1D_DAYS: '30', ISOCHRON_RETENTION_WINDOW_DAYS: '40' });
    expect(bad.code).toBe(2);
    expect(bad.events).toHaveLength(1);
    expect(bad.events[0]).toMatchObject({ level: 'error', event: 'config_invalid', code: 'ISO_CONFIG_INVALID' });
    const problems = bad.events[0].problems as string[];
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('ISOCHRON_RETENTION_WINDOW_DAYS is not a known setting: check its spelling (see README, Configuration)');
    expect(problems[1]).toMatch(/^ISOCHRON_RETENTION_WINDOWS_DAYS=7 is shorter than ISOCHRON_RETENTION_REPLAY_HORIZON_DAYS=14 \+ 1: .* set ISOCHRON_RETENTION_WINDOWS_DAYS to 15 or more/);
    expect(problems[2]).toMatch(/^ISOCHRON_RETENTION_ROLLUPS_1D_DAYS=30 drops 1 day rollups before the 1 h rollups .* set ISOCHRON_RETENTION_ROLLUPS_1D_DAYS to 730 or more, or 0 \(forever\)/);
    expect(bad.stderr).toContain('retention: invalid configuration:');
    expect(await rowsBy('flow_windows', 'toYYYYMMDD(window_start)')).toEqual(before);

    const usage = await retention({}, '--dryrun');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown argument --dryrun\nusage: npm run retention/);
  });

  it('exits 1 and says so when ClickHouse cannot be reached', async () => {
    const down = await retention({ ISOCHRON_CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.events.at(-1)).toMatchObject({ level: 'error', event: 'retention_failed', code: 'ISO_CLICKHOUSE_UNAVAILABLE' });
  });
});
