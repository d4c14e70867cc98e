// Writes closed windows and discard counts to ClickHouse: large, infrequent inserts (bounded
// by rows), transient failures retried with capped exponential backoff, bad-data failures
// never retried (counted and reported, see STYLE.md / vector's ClickHouse sink).
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { refreshRollups } from '../adapters/clickhouse/rollups.ts';
import { discardRecord, windowRecord, type DiscardSource } from '../adapters/clickhouse/window-columns.ts';
import type { EngineOutput } from '../core/engine/window-row.ts';
import { isIsochronError } from '../core/errors.ts';

export interface SinkOptions {
  readonly maxInsertRows: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly onRetry?: (error: Error, attempt: number) => void;
  readonly onInsert?: (table: string, rows: number, seconds: number) => void;
  readonly onRejected?: (table: string, rows: number, error: Error) => void;
}

export class ClickHouseSink {
  private readonly windows: Record<string, unknown>[] = [];
  private readonly discards: Record<string, unknown>[] = [];

  constructor(
    private readonly ch: ClickHouse,
    private readonly options: SinkOptions,
  ) {}

  get pendingRows(): number {
    return this.windows.length + this.discards.length;
  }

  /**
   * Queues closed windows and discard counts. Discards need the record they came from (the
   * worker drains after each record); output without discards needs no source.
   */
  add(out: EngineOutput, source?: DiscardSource): void {
    for (const w of out.windows) this.windows.push(windowRecord(w));
    if (out.discards.length > 0) {
      if (!source) throw new Error('discard rows need their source record (drain after each record)');
      for (const d of out.discards) this.discards.push(discardRecord(d, source));
    }
  }

  /** Inserts everything added so far. Resolves when it is durable in ClickHouse. */
  async flush(): Promise<void> {
    const touched = this.windows.slice();
    await this.flushTable('flow_windows', this.windows);
    await this.flushTable('flow_discards', this.discards);
    // Before flush() resolves, so offsets are committed only once the rollups include these
    // windows; recomputing a period is idempotent, so a retry or a replay is harmless.
    if (touched.length > 0) await this.withRetry('rollups', touched.length, async () => {
        await refreshRollups(this.ch, touched);
      });
  }

  private async flushTable(table: string, queue: Record<string, unknown>[]): Promise<void> {
    while (queue.length > 0) {
      const chunk = queue.slice(0, this.options.maxInsertRows);
      await this.insertWithRetry(table, chunk);
      queue.splice(0, chunk.length);
    }
  }

  private insertWithRetry(table: string, rows: Record<string, unknown>[]): Promise<void> {
    return this.withRetry(table, rows.length, () => this.ch.insert(table, rows));
  }

  private async withRetry(table: string, rows: number, write: () => Promise<void>): Promise<void> {
    let delayMs = this.options.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      const t0 = performance.now();
      try {
        await write();
        this.options.onInsert?.(table, rows, (performance.now() - t0) / 1000);
        return;
      } catch (e) {
        const err = e as Error;
        if (isIsochronError(e) && !e.retriable) {
          // The data itself is wrong; retrying cannot help and must not block the stream.
          this.options.onRejected?.(table, rows, err);
          return;
        }
        this.options.onRetry?.(err, attempt);
        await new Promise((r) => setTimeout(r, delayMs));
        delayMs = Math.min(this.options.retryMaxMs, delayMs * 2);
      }
    }
  }
}
