// Programme compliance: every registered enterprise (the versioned registry, sql/004_tenancy.sql)
// with what its flows measured in the time range, and the same by region and industry. The
// profile verdict (pass / fail / insufficient data per requirement profile) is the API's audit
// (services/core/compliance/evaluate.ts); this dashboard shows who reports and the evidence:
// share of packets not delivered in time against each flow's declared maximum latency,
// availability and loss. Reads the 1 h rollups, so months stay cheap.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { chTable, chVariable, columnUnits, Grid, statPanel } from './kit.ts';
import { conditional, ratio } from './sql.ts';

export const PROGRAMME_UID = 'isochron-programme';

/** The registry as of now: per enterprise the row with the highest version, unless deleted. */
const REGISTRY = `SELECT enterprise_id, argMax(name, registry_version) AS name, argMax(region, registry_version) AS region,
    argMax(industry, registry_version) AS industry, argMax(deleted, registry_version) AS is_deleted
  FROM enterprises
  GROUP BY enterprise_id
  HAVING is_deleted = 0`;

/** Additive sums per enterprise over the range (ratios are formed from these sums only). */
const MEASURED = `SELECT enterprise_id, uniqExact(device_id, flow_id) AS e_flows, sum(windows) AS e_windows, sum(sent_packets) AS e_sent,
    sum(lost_packets) AS e_lost, sum(deadline_sent_packets) AS e_deadline_sent, sum(deadline_met_packets) AS e_deadline_met,
    sum(avail_expected_ns) AS e_expected_ns, sum(downtime_ns) AS e_downtime_ns
  FROM flow_rollups_1h FINAL
  WHERE $__timeFilter(period_start)
  GROUP BY enterprise_id`;

const FILTER = [conditional('region', 'region'), conditional('industry', 'industry')].join(' AND ');

const JOINED = `(${REGISTRY}) AS registry ANY LEFT JOIN (${MEASURED}) AS measured USING (enterprise_id)
WHERE ${FILTER}`;

const enterprisesSql = `SELECT enterprise_id AS enterprise, name, region, industry, if(e_windows = 0, 'no data', 'reporting') AS status,
  e_flows AS flows, e_sent AS sent, ${ratio('e_lost', 'e_sent')} AS loss_ratio, ${ratio('e_deadline_sent - e_deadline_met', 'e_deadline_sent')} AS unreliability,
  ${ratio('e_expected_ns - e_downtime_ns', 'e_expected_ns')} AS availability
FROM ${JOINED}
ORDER BY status DESC, unreliability DESC, enterprise`;

const byDimensionSql = (dimension: 'region' | 'industry') => `SELECT ${dimension}, count() AS enterprises, countIf(e_windows > 0) AS reporting, countIf(e_windows = 0) AS silent,
  sum(e_sent) AS sent, ${ratio('sum(e_lost)', 'sum(e_sent)')} AS loss_ratio,
  ${ratio('sum(e_deadline_sent) - sum(e_deadline_met)', 'sum(e_deadline_sent)')} AS unreliability,
  ${ratio('sum(e_expected_ns) - sum(e_downtime_ns)', 'sum(e_expected_ns)')} AS availability
FROM ${JOINED}
GROUP BY ${dimension}
ORDER BY ${dimension}`;

const countSql = (expr: string, column: string) => `SELECT ${expr} AS ${column}
FROM ${JOINED}`;

const RATIOS = { sent: 'none', loss_ratio: 'percentunit', unreliability: 'percentunit', availability: 'percentunit' };

export function programmeDashboard(): dashboard.DashboardBuilder {
  const grid = new Grid();
  const dimension = (column: 'region' | 'industry') => `SELECT DISTINCT ${column} AS value FROM (${REGISTRY}) ORDER BY value`;
  const b = new dashboard.DashboardBuilder('isochron: programme compliance')
    .uid(PROGRAMME_UID)
    .tags(['isochron', 'programme'])
    .description('Registered enterprises, who reports telemetry and the evidence per enterprise, region and industry. Reads the 1 h rollups.')
    .time({ from: 'now-30d', to: 'now' })
    .timezone('utc')
    .editable()
    .withVariable(chVariable('region', 'Region', dimension('region')))
    .withVariable(chVariable('industry', 'Industry', dimension('industry')));

  b.withPanel(statPanel('Enterprises registered').gridPos(grid.place(8, 4)).withTarget(chTable(countSql('count()', 'enterprises'))).unit('none'));
  b.withPanel(statPanel('Reporting').gridPos(grid.place(8, 4)).withTarget(chTable(countSql('countIf(e_windows > 0)', 'reporting'))).unit('none'));
  b.withPanel(
    statPanel('Silent (no data in range)')
      .description('Registered, but no window in the time range: nothing can be said about their compliance.')
      .gridPos(grid.place(8, 4))
      .withTarget(chTable(countSql('countIf(e_windows = 0)', 'silent')))
      .unit('none'),
  );
  b.withPanel(
    columnUnits(new table.PanelBuilder().title('By region').gridPos(grid.place(12, 8)).withTarget(chTable(byDimensionSql('region'))), {
      region: 'string',
      enterprises: 'none',
      reporting: 'none',
      silent: 'none',
      ...RATIOS,
    }),
  );
  b.withPanel(
    columnUnits(new table.PanelBuilder().title('By industry').gridPos(grid.place(12, 8)).withTarget(chTable(byDimensionSql('industry'))), {
      industry: 'string',
      enterprises: 'none',
      reporting: 'none',
      silent: 'none',
      ...RATIOS,
    }),
  );
  b.withPanel(
    columnUnits(
      new table.PanelBuilder()
        .title('Enterprises')
        .description('Status: reporting or no data in the range. Late-or-lost share is measured against each flow\'s declared maximum latency; the profile verdict comes from the API audit.')
        .gridPos(grid.place(24, 12))
        .withTarget(chTable(enterprisesSql))
        .overrideByName('enterprise', [
          { id: 'links', value: [{ title: 'Upgrade validation for this enterprise', url: '/d/isochron-upgrade?var-enterprise=${__value.raw}&${__url_time_range}' }] },
        ]),
      { enterprise: 'string', name: 'string', region: 'string', industry: 'string', status: 'string', flows: 'none', ...RATIOS },
    ),
  );
  return b;
}
