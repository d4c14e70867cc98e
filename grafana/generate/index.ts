// Every provisioned dashboard, built from code. `npm run gen:dashboards` writes them to
// grafana/dashboards/<uid>.json; a test fails when a committed file differs from this output.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { operatorDashboard } from './operator.ts';
import { pipelineDashboard } from './pipeline.ts';
import { programmeDashboard } from './programme.ts';
import { upgradeDashboard } from './upgrade.ts';

const BUILDERS: readonly (() => dashboard.DashboardBuilder)[] = [operatorDashboard, upgradeDashboard, programmeDashboard, pipelineDashboard];

export interface GeneratedDashboard {
  /** Path relative to the repository root. */
  readonly file: string;
  readonly json: string;
}

export function generateDashboards(): GeneratedDashboard[] {
  return BUILDERS.map((build) => {
    const d = build().build();
    // Stable panel ids in layout order, and the panel's datasource is its queries' (one each).
    (d.panels ?? []).forEach((panel, i) => {
      const p = panel as { id?: number; datasource?: unknown; targets?: { datasource?: unknown }[] };
      p.id = i + 1;
      p.datasource = p.targets?.[0]?.datasource;
    });
    // schemaVersion comes from the SDK; the file carries a do-not-edit note Grafana ignores.
    const json = JSON.stringify({ __generated: 'by grafana/generate (npm run gen:dashboards); do not edit', ...d }, null, 2) + '\n';
    return { file: `grafana/dashboards/${d.uid}.json`, json };
  });
}
