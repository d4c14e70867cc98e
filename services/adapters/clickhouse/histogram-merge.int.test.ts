// Quantiles over a range of windows come from merged histograms in ClickHouse (never from
// averaged percentiles). Checked two ways, independently of the engine's own helpers:
// (1) the SQL answer equals a brute-force merge of the stored bucket arrays done here;
// (2) it is within 1 % of the exact nearest-rank quantile of all raw samples of the range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { freshDatabase } from '../../../test/support/stack.ts';
import { MetricEngine } from '../../core/engine/engine.ts';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED, type DecodedBatch } from '../../core/wire/batch.ts';
import type { ClickHouse } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { flowDelayQuantilesSql, MERGED_QUANTILES } from './queries.ts';
import { windowRecord } from './window-columns.ts';

const T0 = 1_763_000_000_000_000_000n;
const KEY = { enterpriseId: 'ent-h', deviceId: '88.7.1/UE-9', flowId: 'qfi-2' };

/** Deterministic heavy-tailed, bimodal delays: a radio body around 1 ms, a Pareto tail, a second mode at 8 ms. */
function delays(n: number): number[] {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  return Array.from({ length: n }, (_, i) => {
    const u = rnd() || 1e-9;
    if (i % 7 === 0) return Math.round(8_000_000 + 400_000 * u);
    return Math.round(600_000 / Math.pow(u, 1 / 1.5)); // Pareto, alpha 1.5, scale 0.6 ms
  });
}

describe('merged delay quantiles in ClickHouse', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    let database: string;
    ({ ch, database, drop } = await freshDatabase('hist'));
    await migrate(ch, database, loadMigrations(path.resolve('sql')));
  });
  afterAll(() => drop());

  it('equal a brute-force merge of the stored buckets and stay within 1 % of the exact quantiles', async () => {
    const n = 20_000; // 5 windows of 1 s at 4 kHz
    const d = delays(n);
    const batch: DecodedBatch = {
      schemaVersion: 1,
      identity: { enterpriseId: KEY.enterpriseId, siteId: 's', networkType: '5g', segmentId: 'c', deviceId: KEY.deviceId },
      createdNs: 0n,
      sampleCount: n,
      flows: [
        {
          flowId: KEY.flowId,
          seqBits: 32,
          count: n,
          baseSendNs: T0,
          seq: Uint32Array.from({ length: n }, (_, i) => i),
          sendOffsetNs: Float64Array.from({ length: n }, (_, i) => i * 250_000),
          delayNs: Float64Array.from(d),
          sizeBytes: new Uint32Array(n).fill(32),
          flags: new Uint8Array(n).fill(FLAG_RECEIVED | FLAG_CLOCK_SYNCED),
          transferIntervalNs: 0,
          maxLatencyNs: 0,
          survivalTimeNs: 0,
        },
      ],
    };
    const engine = new MetricEngine({ windowNs: 1_000_000_000, allowedLatenessNs: 0 });
    engine.ingest(0, batch);
    const rows = [...engine.drain().windows, ...engine.flushPartition(0).windows];
    expect(rows).toHaveLength(5);
    await ch.insert('flow_windows', rows.map(windowRecord));

    const [got] = await ch.query<Record<string, number | string>>(flowDelayQuantilesSql(KEY, T0, T0 + 5_000_000_000n));
    expect(Number(got.samples)).toBe(n);

    // (1) brute-force merge of the stored arrays, with the bucket value formula written out here.
    const merged = new Map<number, number>();
    for (const r of rows) r.owdHistKeys.forEach((k, i) => merged.set(k, (merged.get(k) ?? 0) + r.owdHistCounts[i]));
    const keys = [...merged.keys()].sort((a, b) => a - b);
    const gamma = (1 + 0.005) / (1 - 0.005);
    const sorted = [...d].sort((a, b) => a - b);
    for (const [level, column] of MERGED_QUANTILES) {
      const rank = Math.max(1, Math.ceil(level * n - 1e-6));
      let acc = 0;
      let key = keys[keys.length - 1];
      for (const k of keys) {
        acc += merged.get(k)!;
        if (acc >= rank) {
          key = k;
          break;
        }
      }
      const expected = (2 * gamma ** key) / (1 + gamma);
      const value = Number(got[column]);
      expect(Math.abs(value - expected), column).toBeLessThanOrEqual(0.5); // the SQL rounds to whole ns
      // (2) against the exact nearest-rank quantile of every raw sample in the range.
      const exact = sorted[rank - 1];
      expect(Math.abs(value - exact) / exact, `${column}: ${value} vs exact ${exact}`).toBeLessThanOrEqual(0.01);
    }
  });
});
