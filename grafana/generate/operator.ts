// Operator network overview: which cell, TSN domain or flow is drifting now. Reads the base
// windows (flow_windows, 1 s), suited to ranges up to a few hours; longer audits use the
// enterprise and programme dashboards, which read the rollups.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { chTable, chTimeSeries, chVariable, columnUnits, Grid, statPanel } from './kit.ts';
import { AVAILABILITY, conditional, heatmapBin, LOSS_RATIO, MERGED_HIST_COLUMNS, mergedQuantile, QUANTILES, ratio, timeBucket, UNRELIABILITY } from './sql.ts';

export const OPERATOR_UID = 'isochron-operator';

/** The filters every panel applies: time range and the identity variables. */
const WHERE = [
  '$__timeFilter(window_start)',
  conditional('enterprise_id', 'enterprise'),
  conditional('toString(network_type)', 'network_type'),
  conditional('segment_id', 'segment'),
  conditional('flow_id', 'flow'),
].join('\n  AND ');

const TIME = `${timeBucket('window_start')} AS time`;

/** One time series per segment (cell or TSN domain): the plugin pivots the segment label. */
const perSegment = (valueSql: string, column: string) => `SELECT ${TIME}, segment_id AS segment, ${valueSql} AS ${column}
FROM flow_windows FINAL
WHERE ${WHERE}
GROUP BY time, segment
ORDER BY time, segment`;

const delayQuantilesSql = `SELECT time, ${QUANTILES.map(([level, c]) => `${mergedQuantile(level)} AS ${c}`).join(', ')}
FROM (
  SELECT time, ${MERGED_HIST_COLUMNS}
  FROM (
    SELECT ${TIME}, sumMap(owd_hist_keys, owd_hist_counts) AS m
    FROM flow_windows FINAL
    WHERE ${WHERE}
    GROUP BY time
  )
)
ORDER BY time`;

const heatmapSql = `SELECT time, toString(bin_ns) AS bucket, sum(n) AS count
FROM (
  SELECT ${TIME}, ${heatmapBin('key')} AS bin_ns, n
  FROM flow_windows FINAL
  ARRAY JOIN owd_hist_keys AS key, owd_hist_counts AS n
  WHERE ${WHERE}
)
GROUP BY time, bin_ns
ORDER BY time, bin_ns`;

/** Per-flow summary over the range with the flow's merged p99 and its share of the latency budget. */
const worstFlowsSql = `SELECT enterprise, network, segment, device, flow, sent, loss_ratio, unreliability, availability,
  ${mergedQuantile(0.99)} AS p99_ns, max_latency_ns,
  if(max_latency_ns > 0, p99_ns / max_latency_ns, NULL) AS latency_budget_used
FROM (
  SELECT enterprise, network, segment, device, flow, sent, loss_ratio, unreliability, availability, max_latency_ns, ${MERGED_HIST_COLUMNS}
  FROM (
    SELECT enterprise_id AS enterprise, toString(network_type) AS network, segment_id AS segment, device_id AS device, flow_id AS flow,
      sum(sent_packets) AS sent, ${LOSS_RATIO} AS loss_ratio, ${UNRELIABILITY} AS unreliability, ${AVAILABILITY} AS availability,
      max(max_latency_ns) AS max_latency_ns, sumMap(owd_hist_keys, owd_hist_counts) AS m
    FROM flow_windows FINAL
    WHERE ${WHERE}
    GROUP BY enterprise, network, segment, device, flow
  )
)
ORDER BY unreliability DESC, latency_budget_used DESC, enterprise, device, flow
LIMIT $top_n`;

const worstSegmentsSql = `SELECT network, segment, flows, sent, loss_ratio, unreliability, availability, ${mergedQuantile(0.99)} AS p99_ns
FROM (
  SELECT network, segment, flows, sent, loss_ratio, unreliability, availability, ${MERGED_HIST_COLUMNS}
  FROM (
    SELECT toString(network_type) AS network, segment_id AS segment, uniqExact(enterprise_id, device_id, flow_id) AS flows,
      sum(sent_packets) AS sent, ${LOSS_RATIO} AS loss_ratio, ${UNRELIABILITY} AS unreliability, ${AVAILABILITY} AS availability,
      sumMap(owd_hist_keys, owd_hist_counts) AS m
    FROM flow_windows FINAL
    WHERE ${WHERE}
    GROUP BY network, segment
  )
)
ORDER BY unreliability DESC, p99_ns DESC, segment`;

const totalsSql = (expr: string, column: string) => `SELECT ${expr} AS ${column}
FROM flow_windows FINAL
WHERE ${WHERE}`;

const TABLE_UNITS = { sent: 'none', loss_ratio: 'percentunit', unreliability: 'percentunit', availability: 'percentunit', p99_ns: 'ns', max_latency_ns: 'ns', latency_budget_used: 'percentunit' };

export function operatorDashboard(): dashboard.DashboardBuilder {
  const grid = new Grid();
  const identity = (column: string, extra: string[] = []) =>
    `SELECT DISTINCT ${column} AS value FROM flow_windows WHERE ${['$__timeFilter(window_start)', ...extra].join(' AND ')} ORDER BY value`;

  const b = new dashboard.DashboardBuilder('isochron: operator network overview')
    .uid(OPERATOR_UID)
    .tags(['isochron', 'operator'])
    .description('Delay, PDV, loss and availability per network segment (5G cell, TSN domain) and flow, from the 1 s base windows (flow_windows).')
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('utc')
    .editable()
    .withVariable(chVariable('enterprise', 'Enterprise', identity('enterprise_id')))
    .withVariable(chVariable('network_type', 'Network', identity('toString(network_type)', [conditional('enterprise_id', 'enterprise')])))
    .withVariable(chVariable('segment', 'Segment (cell / TSN domain)', identity('segment_id', [conditional('enterprise_id', 'enterprise'), conditional('toString(network_type)', 'network_type')])))
    .withVariable(
      chVariable('flow', 'Flow', identity('flow_id', [conditional('enterprise_id', 'enterprise'), conditional('toString(network_type)', 'network_type'), conditional('segment_id', 'segment')])),
    )
    .withVariable(
      new dashboard.CustomVariableBuilder('top_n')
        .label('Top N')
        .values('5,10,20,50')
        .current({ text: '10', value: '10', selected: true }),
    );

  b.withPanel(statPanel('Flows reporting').gridPos(grid.place(6, 4)).withTarget(chTable(totalsSql('uniqExact(enterprise_id, device_id, flow_id)', 'flows'))).unit('none'));
  b.withPanel(statPanel('Packets sent').gridPos(grid.place(6, 4)).withTarget(chTable(totalsSql('sum(sent_packets)', 'sent'))).unit('short'));
  b.withPanel(statPanel('Loss ratio').gridPos(grid.place(6, 4)).withTarget(chTable(totalsSql(LOSS_RATIO, 'loss_ratio'))).unit('percentunit').decimals(4));
  b.withPanel(
    statPanel('Not delivered in time (1 - reliability)')
      .description('Packets lost or later than their flow\'s maximum latency, over packets sent (TS 22.261 reliability, docs/metrics.md section 8).')
      .gridPos(grid.place(6, 4))
      .withTarget(chTable(totalsSql(UNRELIABILITY, 'unreliability')))
      .unit('percentunit')
      .decimals(4),
  );

  b.withPanel(
    new timeseries.PanelBuilder()
      .title('One-way delay quantiles (merged histograms)')
      .description('p50 / p90 / p99 / p99.9 of every sample in each time bucket, from the merged delay histograms (never an average of percentiles).')
      .gridPos(grid.place(12, 9))
      .withTarget(chTimeSeries(delayQuantilesSql))
      .unit('ns'),
  );
  b.withPanel(
    new heatmap.PanelBuilder()
      .title('One-way delay heatmap')
      .description('Samples per delay bin (four bins per decade, labelled by the upper bound in ns) and time bucket, from the merged histograms.')
      .gridPos(grid.place(12, 9))
      .withTarget(chTimeSeries(heatmapSql))
      .calculate(false),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('PDV p99 per segment (worst window)')
      .description('RFC 5481 PDV: the largest per-window p99 of delay minus the window minimum, per segment. Per-window quantiles cannot be merged, so this is the worst window in each bucket.')
      .gridPos(grid.place(8, 8))
      .withTarget(chTimeSeries(perSegment('max(pdv_p99_ns)', 'pdv_p99_ns')))
      .unit('ns'),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('Loss ratio per segment')
      .gridPos(grid.place(8, 8))
      .withTarget(chTimeSeries(perSegment(LOSS_RATIO, 'loss_ratio')))
      .unit('percentunit'),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('Availability per segment')
      .description('1 - downtime / expected time (TS 22.104 Annex C with the survival time), rolled up over the bucket.')
      .gridPos(grid.place(8, 8))
      .withTarget(chTimeSeries(perSegment(AVAILABILITY, 'availability')))
      .unit('percentunit'),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('Mean |IPDV| per segment')
      .description('RFC 3393 mean absolute inter-packet delay variation (mergeable: sum / count).')
      .gridPos(grid.place(12, 8))
      .withTarget(chTimeSeries(perSegment(ratio('sum(ipdv_abs_sum_ns)', 'sum(ipdv_count)'), 'ipdv_mean_abs_ns')))
      .unit('ns'),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('Late or lost per segment (1 - reliability)')
      .gridPos(grid.place(12, 8))
      .withTarget(chTimeSeries(perSegment(UNRELIABILITY, 'unreliability')))
      .unit('percentunit'),
  );
  b.withPanel(
    columnUnits(
      new table.PanelBuilder()
        .title('Worst segments')
        .description('Cells and TSN domains ranked by the share of packets not delivered in time, then by merged p99 delay.')
        .gridPos(grid.place(24, 8))
        .withTarget(chTable(worstSegmentsSql)),
      { network: 'string', segment: 'string', flows: 'none', sent: 'none', loss_ratio: 'percentunit', unreliability: 'percentunit', availability: 'percentunit', p99_ns: 'ns' },
    ),
  );
  b.withPanel(
    columnUnits(
      new table.PanelBuilder()
        .title('Top N worst flows')
        .description('Flows ranked by the share of packets not delivered in time, then by how much of their latency budget (maximum latency) the merged p99 uses. Click a segment to filter the dashboard on it.')
        .gridPos(grid.place(24, 10))
        .withTarget(chTable(worstFlowsSql))
        .overrideByName('segment', [
          { id: 'links', value: [{ title: 'Filter on this segment', url: '/d/isochron-operator?var-segment=${__value.raw}&${__url_time_range}' }] },
        ]),
      { enterprise: 'string', network: 'string', segment: 'string', device: 'string', flow: 'string', ...TABLE_UNITS },
    ),
  );
  return b;
}
