// Pipeline health from Prometheus: what the gateway accepts, what the workers consume and
// write, how far behind they are, what is discarded or dead-lettered, and how long ClickHouse
// inserts take. Metric names are the ones services/gateway/app.ts and services/worker/metrics.ts
// export (a test checks); the alerts on the same series are in prometheus/rules.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { Grid, promQuery, statPanel } from './kit.ts';

export const PIPELINE_UID = 'isochron-pipeline';

type Series = readonly [expr: string, legend: string];

function panel(grid: Grid, title: string, unit: string, series: readonly Series[], description?: string, w = 12) {
  const p = new timeseries.PanelBuilder().title(title).gridPos(grid.place(w, 8)).unit(unit);
  if (description) p.description(description);
  series.forEach(([expr, legend], i) => p.withTarget(promQuery(expr, legend, String.fromCharCode(65 + i))));
  return p;
}

export function pipelineDashboard(): dashboard.DashboardBuilder {
  const grid = new Grid();
  const b = new dashboard.DashboardBuilder('isochron: pipeline health')
    .uid(PIPELINE_UID)
    .tags(['isochron', 'pipeline'])
    .description('Gateway, Kafka consumption and ClickHouse writes, from the services\' /metrics (Prometheus).')
    .time({ from: 'now-3h', to: 'now' })
    .refresh('30s')
    .timezone('utc')
    .editable();

  b.withPanel(statPanel('Targets up').gridPos(grid.place(6, 4)).withTarget(promQuery('sum(up{job=~"isochron-.*"})', 'up')).unit('none'));
  b.withPanel(
    statPanel('Ingest errors (5xx share, 5 min)')
      .gridPos(grid.place(6, 4))
      .withTarget(promQuery('isochron:gateway_batch_errors:ratio_rate5m', 'error share'))
      .unit('percentunit'),
  );
  b.withPanel(
    statPanel('Consumer lag now (records)').gridPos(grid.place(6, 4)).withTarget(promQuery('sum(isochron_worker_consumer_lag_records)', 'lag')).unit('none'),
  );
  b.withPanel(
    statPanel('Paused partitions').gridPos(grid.place(6, 4)).withTarget(promQuery('sum(isochron_worker_paused_partitions)', 'paused')).unit('none'),
  );

  b.withPanel(
    panel(grid, 'Throughput (samples/s)', 'short', [
      ['sum(rate(isochron_gateway_samples_accepted_total[$__rate_interval]))', 'gateway accepted'],
      ['sum(rate(isochron_worker_samples_total[$__rate_interval]))', 'workers decoded'],
    ]),
  );
  b.withPanel(
    panel(grid, 'Batches by outcome (per s)', 'reqps', [['sum by (outcome) (rate(isochron_gateway_batches_total[$__rate_interval]))', '{{outcome}}']]),
  );
  b.withPanel(
    panel(grid, 'Window rows (per s)', 'short', [
      ['sum(rate(isochron_worker_windows_closed_total[$__rate_interval]))', 'closed'],
      ['sum(rate(isochron_worker_window_rows_written_total[$__rate_interval]))', 'written'],
    ]),
  );
  b.withPanel(
    panel(grid, 'Consumer lag (records)', 'none', [['sum by (partition) (isochron_worker_consumer_lag_records)', 'partition {{partition}}']], 'Records behind the high watermark, per partition.'),
  );
  b.withPanel(
    panel(
      grid,
      'Lag (seconds)',
      's',
      [
        ['max by (partition) (isochron_worker_consumer_lag_seconds)', 'consumer p{{partition}}'],
        ['max by (partition) (isochron_worker_watermark_lag_seconds)', 'watermark p{{partition}}'],
      ],
      'Consumer lag: age of the newest record read while records are waiting. Watermark lag: wall clock minus the event-time watermark (includes the allowed lateness).',
    ),
  );
  b.withPanel(
    panel(grid, 'Late and discarded samples (per s)', 'short', [['sum by (reason) (rate(isochron_worker_discarded_samples_total[$__rate_interval]))', '{{reason}}']], 'Samples in no window, by reason (too_late is the allowed lateness run out).'),
  );
  b.withPanel(
    panel(grid, 'Dead-lettered records (per s)', 'short', [['sum by (reason) (rate(isochron_worker_dead_lettered_total[$__rate_interval]))', '{{reason}}']]),
  );
  b.withPanel(
    panel(grid, 'ClickHouse insert latency', 's', [
      ['histogram_quantile(0.5, sum by (le) (rate(isochron_worker_insert_duration_seconds_bucket[$__rate_interval])))', 'p50'],
      ['histogram_quantile(0.99, sum by (le) (rate(isochron_worker_insert_duration_seconds_bucket[$__rate_interval])))', 'p99'],
    ]),
  );
  b.withPanel(
    panel(grid, 'ClickHouse insert trouble (per s)', 'short', [
      ['sum(rate(isochron_worker_insert_retries_total[$__rate_interval]))', 'retries'],
      ['sum(rate(isochron_worker_insert_rejected_rows_total[$__rate_interval]))', 'rejected rows'],
    ]),
  );
  b.withPanel(
    panel(grid, 'Gateway produce latency (Kafka acks)', 's', [
      ['histogram_quantile(0.99, sum by (le) (rate(isochron_gateway_produce_duration_seconds_bucket[$__rate_interval])))', 'p99'],
    ]),
  );
  b.withPanel(
    panel(grid, 'Backpressure', 'none', [
      ['sum(isochron_worker_pending_rows)', 'pending rows'],
      ['sum(isochron_gateway_in_flight_batches)', 'gateway in-flight batches'],
    ]),
  );
  return b;
}
