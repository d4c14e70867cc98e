// `npm run retention [-- --dry-run]`: the maintenance job that applies every table's retention
// (docs/retention.md). ClickHouse 18.16 has no TTL, so this drops the partitions whose every
// possible row is older than the table's retention (ISOCHRON_RETENTION_* settings). Run it from
// cron, once a day or more often: a run drops only what is due and a second run finds nothing.
// Logs one JSON object per line on stdout. Exit codes: 0 done; 1 a drop failed or a table is
// not laid out as expected (nothing dropped from it); 2 bad configuration or arguments.
import { createClickHouse } from '../adapters/clickhouse/client.ts';
import { runRetention, serverTimeZone } from '../adapters/clickhouse/retention.ts';
import { dayInTimeZone, isoDay } from '../core/retention/civil-date.ts';
import { IsochronError } from '../core/errors.ts';
import { loadMaintenanceConfig, retentionSettingName } from './config.ts';

const USAGE = 'usage: npm run retention [-- --dry-run]   (settings: ISOCHRON_CLICKHOUSE_*, ISOCHRON_RETENTION_*; see README)';

function log(level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'retention', event, ...fields })}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--dry-run' && a !== '--help');
  if (argv.includes('--help') || unknown.length > 0) {
    process.stderr.write(`${unknown.length > 0 ? `unknown argument ${unknown.join(' ')}\n` : ''}${USAGE}\n`);
    return unknown.length > 0 ? 2 : 0;
  }
  const dryRun = argv.includes('--dry-run');
  let config;
  try {
    config = loadMaintenanceConfig();
  } catch (e) {
    if (!(e instanceof IsochronError)) throw e;
    log('error', 'config_invalid', { code: e.code, problems: e.details?.problems });
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  const ch = createClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase, user: config.clickhouseUser, password: config.clickhousePassword, requestTimeoutMs: 300_000 });
  const timeZone = await serverTimeZone(ch);
  // Partitions are named by calendar days of the server's time zone; "today" is read there.
  const today = isoDay(dayInTimeZone(Date.now(), timeZone));
  log('info', 'retention_start', { database: config.clickhouseDatabase, dryRun, today, timeZone });
  const report = await runRetention(ch, {
    policy: config,
    today,
    dryRun,
    settingName: retentionSettingName,
    log: (event, fields) => log(event === 'partition_drop_failed' ? 'error' : fields.status === 'mismatch' ? 'warn' : 'info', event, fields),
  });
  const sum = (xs: readonly { rows: number; bytes: number }[]) => ({ rows: xs.reduce((a, x) => a + x.rows, 0), bytes: xs.reduce((a, x) => a + x.bytes, 0) });
  const done = dryRun ? sum(report.plan.drops) : sum(report.dropped);
  log(report.failed.length > 0 || report.plan.problems.length > 0 ? 'warn' : 'info', 'retention_done', {
    dryRun,
    [dryRun ? 'wouldDrop' : 'dropped']: dryRun ? report.plan.drops.length : report.dropped.length,
    rows: done.rows,
    bytes: done.bytes,
    failed: report.failed.length,
    problems: report.plan.problems,
  });
  return report.failed.length > 0 || report.plan.problems.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  log('error', 'retention_failed', { error: e instanceof Error ? e.message : String(e), ...(e instanceof IsochronError ? { code: e.code } : {}) });
  process.exitCode = 1;
}
