// Small helpers over @grafana/grafana-foundation-sdk: the datasource references provisioned in
// grafana/provisioning/datasources/datasources.yml, a query builder for the ClickHouse plugin
// (the SDK has none), query variables, and a grid that places panels row by row.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';

export const CLICKHOUSE = { type: 'grafana-clickhouse-datasource', uid: 'isochron-clickhouse' } as const;
export const PROMETHEUS = { type: 'prometheus', uid: 'isochron-prometheus' } as const;

/**
 * The plugin's SQL-editor query (src/types/sql.ts: editorType 'sql', rawSql, queryType) with
 * the backend's format option (sqlutil: 0 time series, 1 table). Time series format turns a
 * long result (time, string label, value) into one series per label value.
 */
export class ClickHouseQuery implements cog.Builder<cog.Dataquery> {
  constructor(
    private readonly refId: string,
    private readonly rawSql: string,
    private readonly kind: 'timeseries' | 'table',
  ) {}

  build(): cog.Dataquery {
    return {
      refId: this.refId,
      datasource: { ...CLICKHOUSE },
      editorType: 'sql',
      queryType: this.kind === 'timeseries' ? 'timeseries' : 'table',
      format: this.kind === 'timeseries' ? 0 : 1,
      rawSql: this.rawSql,
      _implementsDataqueryVariant() {},
    } as cog.Dataquery;
  }
}

export const chTimeSeries = (sql: string, refId = 'A') => new ClickHouseQuery(refId, sql, 'timeseries');
export const chTable = (sql: string, refId = 'A') => new ClickHouseQuery(refId, sql, 'table');

export const promQuery = (expr: string, legend: string, refId = 'A') =>
  new prometheus.DataqueryBuilder().datasource({ ...PROMETHEUS }).expr(expr).legendFormat(legend).range().refId(refId);

/** A ClickHouse query variable: multi-value with "All" unless single is asked for. */
export function chVariable(name: string, label: string, sql: string, opts: { single?: boolean } = {}): dashboard.QueryVariableBuilder {
  const v = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource({ ...CLICKHOUSE })
    .query({ refId: `var-${name}`, editorType: 'sql', rawSql: sql, format: 1 })
    .definition(sql)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (!opts.single) v.multi(true).includeAll(true).current({ text: 'All', value: '$__all', selected: true });
  return v;
}

/** Places panels left to right, wrapping at 24 columns (Grafana's grid width). */
export class Grid {
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  place(w: number, h: number): { x: number; y: number; w: number; h: number } {
    if (this.x + w > 24) {
      this.x = 0;
      this.y += this.rowHeight;
      this.rowHeight = 0;
    }
    const pos = { x: this.x, y: this.y, w, h };
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return pos;
  }
}

/** Units for table columns and series, as field overrides by name (the test reads these names). */
export function columnUnits<T extends { overrideByName(name: string, props: { id: string; value?: unknown }[]): T }>(panel: T, units: Record<string, string>): T {
  for (const [name, unit] of Object.entries(units)) panel.overrideByName(name, [{ id: 'unit', value: unit }]);
  return panel;
}

/** A single-number panel showing the last non-null value of its one query. */
export const statPanel = (title: string) => new stat.PanelBuilder().title(title).reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
