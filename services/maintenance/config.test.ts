import { describe, expect, it } from 'vitest';
import { loadMaintenanceConfig } from './config.ts';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadMaintenanceConfig(env);
  } catch (e) {
    expect(e).toMatchObject({ code: 'ISO_CONFIG_INVALID' });
    return (e as { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected ISO_CONFIG_INVALID');
}

describe('maintenance configuration', () => {
  it('has defaults that satisfy the cross-table rules', () => {
    expect(loadMaintenanceConfig({})).toMatchObject({ windowsDays: 35, rollups1mDays: 90, rollups1hDays: 730, rollups1dDays: 0, legacyCheckpointsDays: 7, replayHorizonDays: 14 });
    expect(Object.isFrozen(loadMaintenanceConfig({}))).toBe(true);
  });

  it('reports range errors, unknown variables and cross-table rules together, each naming the fix', () => {
    const found = problems({
      ISOCHRON_CLICKHOUSE_URL: 'not-a-url',
      ISOCHRON_RETENTION_WINDOWS_DAYS: '10',
      ISOCHRON_RETENTION_ROLLUPS_1H_DAYS: '60',
      ISOCHRON_RETENTION_ROLLUP_1D_DAYS: '3',
    });
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^ISOCHRON_CLICKHOUSE_URL=not-a-url: must match/);
    expect(found[1]).toBe('ISOCHRON_RETENTION_ROLLUP_1D_DAYS is not a known setting: check its spelling (see README, Configuration)');
    expect(found[2]).toMatch(/^ISOCHRON_RETENTION_WINDOWS_DAYS=10 is shorter than ISOCHRON_RETENTION_REPLAY_HORIZON_DAYS=14 \+ 1: .*set ISOCHRON_RETENTION_WINDOWS_DAYS to 15 or more/);
    expect(found[3]).toMatch(/^ISOCHRON_RETENTION_ROLLUPS_1H_DAYS=60 drops 1 h rollups before the 1 min rollups they are computed from \(ISOCHRON_RETENTION_ROLLUPS_1M_DAYS=90\); set ISOCHRON_RETENTION_ROLLUPS_1H_DAYS to 90 or more, or 0 \(forever\)/);
  });

  it('checks the cross-table rules only on retention settings that parse', () => {
    expect(problems({ ISOCHRON_RETENTION_WINDOWS_DAYS: 'soon', ISOCHRON_RETENTION_ROLLUPS_1M_DAYS: '5' })).toEqual([
      'ISOCHRON_RETENTION_WINDOWS_DAYS=soon: expected an integer from 0 to 36600 (days flow_windows and flow_discards keep (0: forever); at least the replay horizon + 1)',
    ]);
  });

  it('accepts keep-forever everywhere when the topic keeps records forever', () => {
    const zero = { ISOCHRON_RETENTION_WINDOWS_DAYS: '0', ISOCHRON_RETENTION_ROLLUPS_1M_DAYS: '0', ISOCHRON_RETENTION_ROLLUPS_1H_DAYS: '0', ISOCHRON_RETENTION_REPLAY_HORIZON_DAYS: '0' };
    expect(loadMaintenanceConfig(zero)).toMatchObject({ windowsDays: 0, replayHorizonDays: 0 });
    expect(problems({ ...zero, ISOCHRON_RETENTION_WINDOWS_DAYS: '400' })[0]).toMatch(/^ISOCHRON_RETENTION_WINDOWS_DAYS=400 with ISOCHRON_RETENTION_REPLAY_HORIZON_DAYS=0: /);
  });
});
