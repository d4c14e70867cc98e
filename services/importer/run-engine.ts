// Runs encoded batches through the real decoder and the metric engine, as the worker would for
// one Kafka partition, and returns every window row and discard once all windows are closed.
import { decodeBatch } from '../core/wire/decode-batch.ts';
import { MetricEngine } from '../core/engine/engine.ts';
import type { EngineConfig } from '../core/engine/config.ts';
import type { DiscardRow, WindowRow } from '../core/engine/window-row.ts';
import type { EncodedBatch } from './capture-batches.ts';

export interface EngineRun {
  config: Readonly<EngineConfig>;
  windows: WindowRow[];
  discards: DiscardRow[];
}

const PARTITION = 0;

export function runEngine(batches: readonly EncodedBatch[], config: Partial<EngineConfig> = {}): EngineRun {
  const engine = new MetricEngine(config);
  const windows: WindowRow[] = [];
  const discards: DiscardRow[] = [];
  for (const b of batches) {
    engine.ingest(PARTITION, decodeBatch(b.bytes));
    const out = engine.drain();
    windows.push(...out.windows);
    discards.push(...out.discards);
  }
  // End of capture: nothing more can arrive, so every window closes now.
  const last = engine.flushPartition(PARTITION);
  windows.push(...last.windows);
  discards.push(...last.discards);
  return { config: engine.config, windows, discards };
}
