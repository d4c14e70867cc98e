// Rows and queries for the portability test: a few windows computed by the metric engine
// from a small synthetic stream, and every query of queries.ts with fitting arguments.
import { MetricEngine } from '../../core/engine/engine.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, type DecodedBatch } from '../../core/wire/batch.ts';
import { flowDelayQuantilesSql, flowSummarySql, flowWindowSql, latestWindowsSql, type FlowKey } from './queries.ts';
import { discardRecord, windowRecord } from './window-columns.ts';
import { flowRollupSeriesSql, flowRollupSummarySql, latestRollupsSql, segmentRollupSummarySql } from './rollup-queries.ts';
import { rebuildStatements, refreshStatements } from './rollups.ts';

const T0 = 1_763_700_000_000_000_000n;
const KEY: FlowKey = { enterpriseId: 'ent-port', deviceId: '88.1.1/UE-1', flowId: "qfi-1'x" };

function fixtureBatch(): DecodedBatch {
  const n = 3000; // 3 s at 1 ms, with a gap (loss) and one late packet
  const seq = new Uint32Array(n);
  const off = new Float64Array(n);
  const delay = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seq[i] = i + (i >= 1500 ? 3 : 0);
    off[i] = i * 1_000_000;
    delay[i] = 800_000 + ((i * 37) % 400) * 1000;
  }
  return {
    schemaVersion: 1,
    identity: { enterpriseId: KEY.enterpriseId, siteId: 's', networkType: '5g', segmentId: 'cell-1', deviceId: KEY.deviceId },
    createdNs: 0n,
    sampleCount: n,
    flows: [
      {
        flowId: KEY.flowId,
        seqBits: 32,
        count: n,
        baseSendNs: T0,
        seq,
        sendOffsetNs: off,
        delayNs: delay,
        sizeBytes: new Uint32Array(n).fill(64),
        flags: new Uint8Array(n).fill(FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
        transferIntervalNs: 1_000_000,
        maxLatencyNs: 1_100_000,
        survivalTimeNs: 1_000_000,
      },
    ],
  };
}

export function fixtureOutput() {
  const engine = new MetricEngine({ windowNs: 1_000_000_000, allowedLatenessNs: 0 });
  engine.ingest(0, fixtureBatch());
  const drained = engine.drain();
  const flushed = engine.flushPartition(0);
  return { windows: [...drained.windows, ...flushed.windows], discards: [...drained.discards, ...flushed.discards] };
}

export const PORTABILITY_FIXTURE_ROWS: Record<string, Record<string, unknown>[]> = (() => {
  const out = fixtureOutput();
  return { flow_windows: out.windows.map(windowRecord), flow_discards: out.discards.map((d, i) => discardRecord(d, { partition: 0, offset: BigInt(i) })) };
})();

export function portabilityQueries(): { name: string; sql: string }[] {
  return [
    { name: 'latestWindows', sql: latestWindowsSql(10) },
    { name: 'flowWindow', sql: flowWindowSql(KEY, T0 + 1_000_000_000n) },
    { name: 'flowSummary', sql: flowSummarySql(KEY, T0, T0 + 10_000_000_000n) },
    { name: 'flowDelayQuantiles', sql: flowDelayQuantilesSql(KEY, T0, T0 + 10_000_000_000n) },
    { name: 'latestRollups1m', sql: latestRollupsSql('1m', 10) },
    { name: 'latestRollups1d', sql: latestRollupsSql('1d', 10) },
    { name: 'flowRollupSummary1m', sql: flowRollupSummarySql('1m', KEY, T0, T0 + 3_600_000_000_000n) },
    { name: 'flowRollupSummary1h', sql: flowRollupSummarySql('1h', KEY, T0 - 3_600_000_000_000n, T0 + 3_600_000_000_000n) },
    { name: 'flowRollupSeries1m', sql: flowRollupSeriesSql('1m', KEY, T0, T0 + 3_600_000_000_000n) },
    { name: 'segmentRollupSummary1d', sql: segmentRollupSummarySql('1d', { enterpriseId: KEY.enterpriseId, networkType: '5g', segmentId: 'cell-1' }, T0 - 86_400_000_000_000n, T0 + 86_400_000_000_000n) },
  ];
}

/**
 * Statements both engines run after the fixture rows are inserted: the rollups refreshed for the
 * fixture's windows, then rebuilt from them (so both kinds of rollup statement are portable).
 */
export function portabilitySetupStatements(): string[] {
  return [...refreshStatements(fixtureOutput().windows), ...rebuildStatements(T0, T0 + 10_000_000_000n)];
}
