// Enterprise upgrade validation: one enterprise's flows before and after the moment its plant
// network was upgraded (the upgrade_at variable splits the dashboard's time range). Reads the
// 1 min rollups (flow_rollups_1m), so a comparison over weeks stays cheap; the split is exact to
// the minute.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { chTable, chTimeSeries, chVariable, columnUnits, Grid } from './kit.ts';
import { AVAILABILITY, conditional, LOSS_RATIO, MERGED_HIST_COLUMNS, mergedQuantile, QUANTILES, ROLLUP_UNRELIABILITY, timeBucket } from './sql.ts';

export const UPGRADE_UID = 'isochron-upgrade';

const WHERE = [
  '$__timeFilter(period_start)',
  'enterprise_id = ${enterprise:sqlstring}',
  conditional('site_id', 'site'),
  conditional('toString(network_type)', 'network_type'),
].join('\n  AND ');

const PHASE = "if(period_start < toDateTime(${upgrade_at:sqlstring}, 'UTC'), 'before', 'after') AS phase";
const SUMS = `sum(sent_packets) AS sent, ${LOSS_RATIO} AS loss_ratio, ${ROLLUP_UNRELIABILITY} AS unreliability, ${AVAILABILITY} AS availability, sumMap(owd_hist_keys, owd_hist_counts) AS m`;
const QUANTILE_COLUMNS = QUANTILES.map(([level, c]) => `${mergedQuantile(level)} AS ${c}`).join(', ');

const perFlowSql = `SELECT site, network, segment, device, flow, phase, minutes, sent, loss_ratio, unreliability, availability, ${QUANTILE_COLUMNS}
FROM (
  SELECT site, network, segment, device, flow, phase, minutes, sent, loss_ratio, unreliability, availability, ${MERGED_HIST_COLUMNS}
  FROM (
    SELECT site_id AS site, toString(network_type) AS network, segment_id AS segment, device_id AS device, flow_id AS flow, ${PHASE},
      count() AS minutes, ${SUMS}
    FROM flow_rollups_1m FINAL
    WHERE ${WHERE}
    GROUP BY site, network, segment, device, flow, phase
  )
)
ORDER BY site, device, flow, phase DESC`;

const summarySql = `SELECT phase, flows, sent, loss_ratio, unreliability, availability, ${QUANTILE_COLUMNS}
FROM (
  SELECT phase, flows, sent, loss_ratio, unreliability, availability, ${MERGED_HIST_COLUMNS}
  FROM (
    SELECT ${PHASE}, uniqExact(device_id, flow_id) AS flows, ${SUMS}
    FROM flow_rollups_1m FINAL
    WHERE ${WHERE}
    GROUP BY phase
  )
)
ORDER BY phase DESC`;

const TIME = `${timeBucket('period_start', 60)} AS time`;

const delayOverTimeSql = `SELECT time, ${mergedQuantile(0.5)} AS p50_ns, ${mergedQuantile(0.99)} AS p99_ns
FROM (
  SELECT time, ${MERGED_HIST_COLUMNS}
  FROM (
    SELECT ${TIME}, sumMap(owd_hist_keys, owd_hist_counts) AS m
    FROM flow_rollups_1m FINAL
    WHERE ${WHERE}
    GROUP BY time
  )
)
ORDER BY time`;

const reliabilityOverTimeSql = `SELECT ${TIME}, ${LOSS_RATIO} AS loss_ratio, ${ROLLUP_UNRELIABILITY} AS unreliability
FROM flow_rollups_1m FINAL
WHERE ${WHERE}
GROUP BY time
ORDER BY time`;

const UNITS = { sent: 'none', loss_ratio: 'percentunit', unreliability: 'percentunit', availability: 'percentunit', ...Object.fromEntries(QUANTILES.map(([, c]) => [c, 'ns'])) };

export function upgradeDashboard(): dashboard.DashboardBuilder {
  const grid = new Grid();
  const b = new dashboard.DashboardBuilder('isochron: enterprise upgrade validation')
    .uid(UPGRADE_UID)
    .tags(['isochron', 'enterprise'])
    .description('One enterprise, before and after its network upgrade: set "Upgrade at" (UTC) and a time range that spans both sides. Reads the 1 min rollups.')
    .time({ from: 'now-7d', to: 'now' })
    .timezone('utc')
    .editable()
    .withVariable(chVariable('enterprise', 'Enterprise', 'SELECT DISTINCT enterprise_id AS value FROM flow_rollups_1m WHERE $__timeFilter(period_start) ORDER BY value', { single: true }))
    .withVariable(chVariable('site', 'Site', 'SELECT DISTINCT site_id AS value FROM flow_rollups_1m WHERE $__timeFilter(period_start) AND enterprise_id = ${enterprise:sqlstring} ORDER BY value'))
    .withVariable(
      chVariable('network_type', 'Network', 'SELECT DISTINCT toString(network_type) AS value FROM flow_rollups_1m WHERE $__timeFilter(period_start) AND enterprise_id = ${enterprise:sqlstring} ORDER BY value'),
    )
    .withVariable(
      new dashboard.TextBoxVariableBuilder('upgrade_at')
        .label('Upgrade at (UTC, YYYY-MM-DD hh:mm:ss)')
        .defaultValue('2026-01-01 00:00:00')
        .current({ text: '2026-01-01 00:00:00', value: '2026-01-01 00:00:00' }),
    );

  b.withPanel(
    columnUnits(
      new table.PanelBuilder()
        .title('Before vs after: all selected flows')
        .description('Every sample before and after the upgrade: delay quantiles from the merged histograms, loss, share not delivered in time, availability.')
        .gridPos(grid.place(24, 5))
        .withTarget(chTable(summarySql)),
      { phase: 'string', flows: 'none', ...UNITS },
    ),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('Delay p50 / p99 over time')
      .description('Merged per bucket (at least 1 min, the rollup resolution). The upgrade shows as a step.')
      .gridPos(grid.place(12, 8))
      .withTarget(chTimeSeries(delayOverTimeSql))
      .unit('ns'),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('Loss and late-or-lost share over time')
      .gridPos(grid.place(12, 8))
      .withTarget(chTimeSeries(reliabilityOverTimeSql))
      .unit('percentunit'),
  );
  b.withPanel(
    columnUnits(
      new table.PanelBuilder()
        .title('Before vs after per flow')
        .gridPos(grid.place(24, 12))
        .withTarget(chTable(perFlowSql)),
      { site: 'string', network: 'string', segment: 'string', device: 'string', flow: 'string', phase: 'string', minutes: 'm', ...UNITS },
    ),
  );
  return b;
}
