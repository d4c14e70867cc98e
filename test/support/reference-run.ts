// The undisturbed run the recovery tests compare against: the records exactly as they are in
// the topic, each partition in offset order, through one metric engine that is never
// restarted, restored, paused or stalled, and whose idle rule fires only once everything has
// been read (a tick an hour after the last record). Its rows go through the worker's own
// ClickHouse sink into a database of their own, so both sides are read back the same way.
import path from 'node:path';
import { loadMigrations, migrate } from '../../services/adapters/clickhouse/migrate.ts';
import { MetricEngine } from '../../services/core/engine/engine.ts';
import { decodeBatch } from '../../services/core/wire/decode-batch.ts';
import { DEFAULT_WIRE_LIMITS } from '../../services/core/wire/limits.ts';
import { ClickHouseSink } from '../../services/worker/sink.ts';
import type { ReadRecord } from './kafka.ts';
import { freshDatabase } from './stack.ts';

export interface EngineSettingsMs {
  readonly windowMs: number;
  readonly allowedLatenessMs: number;
  readonly partitionIdleTimeoutMs: number;
}

const MS = 1_000_000;

export async function referenceRun(records: readonly ReadRecord[], s: EngineSettingsMs) {
  const { ch, database, drop } = await freshDatabase('reference');
  await migrate(ch, database, loadMigrations(path.resolve('sql')));
  const engine = new MetricEngine({ windowNs: s.windowMs * MS, allowedLatenessNs: s.allowedLatenessMs * MS, partitionIdleTimeoutNs: s.partitionIdleTimeoutMs * MS });
  const sink = new ClickHouseSink(ch, { maxInsertRows: 20_000, retryInitialMs: 200, retryMaxMs: 2000 });
  const ordered = [...records].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  let lastNs = 0n;
  for (const r of ordered) {
    const decoded = decodeBatch(r.value!, DEFAULT_WIRE_LIMITS);
    engine.ingest(r.partition, decoded);
    for (const f of decoded.flows) if (f.baseSendNs > lastNs) lastNs = f.baseSendNs;
    sink.add(engine.drain(), { partition: r.partition, offset: BigInt(r.offset) });
  }
  // Once everything is read: the idle rule closes what is still open, as in the worker.
  const later = lastNs + 3_600_000_000_000n;
  for (const p of new Set(ordered.map((r) => r.partition))) {
    engine.tick(p, later);
    engine.tick(p, later + BigInt(s.partitionIdleTimeoutMs * MS));
  }
  sink.add(engine.drain());
  await sink.flush();
  return { ch, drop };
}
