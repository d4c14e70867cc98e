// Seeded simulator telemetry with scheduled faults (services/simulator: fleet, fault schedule,
// generateInterval with its ledger), pushed through the real decoder, metric engine, column
// mapping and rollups into a ClickHouse database: what the dashboards' queries run against in
// grafana/dashboards.int.test.ts.
import type { ClickHouse } from '../../services/adapters/clickhouse/client.ts';
import { rebuildRollups } from '../../services/adapters/clickhouse/rollups.ts';
import { windowRecord } from '../../services/adapters/clickhouse/window-columns.ts';
import type { WindowRow } from '../../services/core/engine/window-row.ts';
import { runEngine } from '../../services/importer/run-engine.ts';
import type { FaultSchedule } from '../../services/simulator/faults.ts';
import { buildFleet, type EnterpriseInfo, type Fleet } from '../../services/simulator/fleet.ts';
import { createSimulation, generateInterval, type Ledger } from '../../services/simulator/generate.ts';

const S = 1_000_000_000;

export interface InjectedFaults {
  /** A URLLC cell that degrades from startNs to the end of the run (delay x20 at full strength, extra loss). */
  readonly degradingCell: { readonly enterpriseId: string; readonly segmentId: string; readonly startNs: bigint; readonly endNs: bigint };
  /** Every packet of one TSN stream sent in [startNs, endNs) is lost. */
  readonly lossBurst: { readonly enterpriseId: string; readonly segmentId: string; readonly deviceId: string; readonly flowId: string; readonly startNs: bigint; readonly endNs: bigint };
}

export interface SeededData {
  readonly fleet: Fleet;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly windows: readonly WindowRow[];
  /** Samples the engine put in no window (expected 0: batches arrive in order, within lateness). */
  readonly discardedSamples: number;
  readonly faults: InjectedFaults;
  /** The simulator's own record of what it injected. */
  readonly ledger: Ledger;
}

export interface SeedOptions {
  readonly seed: number;
  readonly enterprises: number;
  /** Aligned to a whole hour so the rollups' periods line up with the run. */
  readonly startNs: bigint;
  readonly durationS: number;
}

/** Generates the run with its faults and runs the engine over it (no I/O). */
export function seededWindows(opts: SeedOptions): SeededData {
  const fleet = buildFleet({ seed: opts.seed, enterprises: opts.enterprises, sitesPerEnterprise: 1, devicesPerSite: 3, flowsPerDevice: 1 });
  const device = (enterprise: number, kind: 'urllc' | 'tsn') => fleet.devices.filter((d) => d.identity.enterpriseId === fleet.enterprises[enterprise].enterpriseId && d.kind === kind)[0];
  const cell = device(1, 'urllc');
  const tsn = device(2, 'tsn');
  const durationNs = opts.durationS * S;
  const schedule: FaultSchedule = {
    periodNs: 0,
    faults: [
      { kind: 'degrading_cell', target: { segmentId: cell.identity.segmentId }, startNs: 120 * S, endNs: durationNs },
      { kind: 'loss_burst', target: { deviceId: tsn.identity.deviceId, flowId: tsn.flows[0].flowId }, startNs: 150 * S, endNs: 160 * S },
    ],
  };
  const sim = createSimulation({ fleet, schedule, originNs: opts.startNs, batchIntervalNs: S });
  const endNs = opts.startNs + BigInt(durationNs);
  const out = generateInterval(sim, opts.startNs, endNs);
  const run = runEngine(out.batches);
  const at = (ns: number) => opts.startNs + BigInt(ns);
  return {
    fleet,
    startNs: opts.startNs,
    endNs,
    windows: run.windows,
    discardedSamples: run.discards.reduce((n, d) => n + d.count, 0),
    faults: {
      degradingCell: { enterpriseId: cell.identity.enterpriseId, segmentId: cell.identity.segmentId, startNs: at(120 * S), endNs },
      lossBurst: {
        enterpriseId: tsn.identity.enterpriseId,
        segmentId: tsn.identity.segmentId,
        deviceId: tsn.identity.deviceId,
        flowId: tsn.flows[0].flowId,
        startNs: at(150 * S),
        endNs: at(160 * S),
      },
    },
    ledger: out.ledger,
  };
}

/** Inserts the windows and rebuilds the rollups from them. */
export async function loadSeeded(ch: ClickHouse, data: SeededData): Promise<void> {
  const rows = data.windows.map(windowRecord);
  for (let i = 0; i < rows.length; i += 5000) await ch.insert('flow_windows', rows.slice(i, i + 5000));
  await rebuildRollups(ch, data.startNs, data.endNs);
}

/** Registry rows (sql/004_tenancy.sql) for the fleet's enterprises, as the API would write them. */
export function enterpriseRows(enterprises: readonly EnterpriseInfo[], registryVersion: number): Record<string, unknown>[] {
  return enterprises.map((e) => ({
    enterprise_id: e.enterpriseId,
    name: e.name,
    region: e.region,
    industry: e.industry,
    identifier_prefix: e.identifierPrefix,
    registry_version: registryVersion,
    deleted: 0,
  }));
}
