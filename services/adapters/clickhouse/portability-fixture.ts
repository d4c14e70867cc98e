// Rows and queries for the portability test: a few windows computed by the metric engine
// from a small synthetic stream, and every query of queries.ts with fitting arguments.
import { MetricEngine } from '../../core/engine/engine.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, type DecodedBatch } from '../../core/wire/batch.ts';
import { flowDelayQuantilesSql, flowSummarySql, flowWindowSql, latestWindowsSql, type FlowKey } from './queries.ts';
import { discardRecord, windowRecord } from './window-columns.ts';

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
  return { flow_windows: out.windows.map(windowRecord), flow_discards: out.discards.map(discardRecord) };
})();

export function portabilityQueries(): { name: string; sql: string }[] {
  return [
    { name: 'latestWindows', sql: latestWindowsSql(10) },
    { name: 'flowWindow', sql: flowWindowSql(KEY, T0 + 1_000_000_000n) },
    { name: 'flowSummary', sql: flowSummarySql(KEY, T0, T0 + 10_000_000_000n) },
    { name: 'flowDelayQuantiles', sql: flowDelayQuantilesSql(KEY, T0, T0 + 10_000_000_000n) },
  ];
}
