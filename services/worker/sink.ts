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
  /**
   * Rows ClickHouse refused as bad data (never retried). Window and discard rows are isolated
   * first (a refused insert is split in halves until the refused rows stand alone), so one bad
   * row does not take its batch with it; rollups cannot be split and are reported whole (`rows`
   * empty). Awaited before the flush completes: whatever it does with the rows (the worker
   * dead-letters them) is durable before the offsets behind them are committed.
   */
  readonly onRejected?: (table: string, rows: readonly Record<string, unknown>[], error: Error) => Promise<void>;
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

  /**
   * Inserts everything added so far, and the rollups of the periods these windows touch.
   * Resolves when it is durable in ClickHouse. Rows added while it runs wait for the next flush
   * (had they been inserted now, their rollups would never be refreshed).
   */
  async flush(): Promise<void> {
    const touched = this.windows.slice();
    const discards = this.discards.length;
    await this.flushTable('flow_windows', this.windows, touched.length);
    await this.flushTable('flow_discards', this.discards, discards);
    // Before flush() resolves, so offsets are committed only once the rollups include these
    // windows; recomputing a period is idempotent, so a retry or a replay is harmless.
    if (touched.length > 0) {
      try {
        await this.withRetry('rollups', touched.length, async () => {
          await refreshRollups(this.ch, touched);
        });
      } catch (e) {
        if (!isBadData(e)) throw e;
        await this.options.onRejected?.('rollups', [], e as Error);
      }
    }
  }

  /** Inserts the first `count` rows of `queue` in chunks, removing each once it is durable. */
  private async flushTable(table: string, queue: Record<string, unknown>[], count: number): Promise<void> {
    for (let left = count; left > 0; ) {
      const chunk = queue.slice(0, Math.min(left, this.options.maxInsertRows));
      await this.insertIsolatingBadRows(table, chunk);
      queue.splice(0, chunk.length);
      left -= chunk.length;
    }
  }

  /** Inserts `rows`; when ClickHouse refuses them as bad data, halves them until the bad rows stand alone. */
  private async insertIsolatingBadRows(table: string, rows: Record<string, unknown>[]): Promise<void> {
    try {
      await this.withRetry(table, rows.length, () => this.ch.insert(table, rows));
    } catch (e) {
      if (!isBadData(e)) throw e;
      if (rows.length === 1) {
        await this.options.onRejected?.(table, rows, e as Error);
        return;
      }
      const half = rows.length >> 1;
      await this.insertIsolatingBadRows(table, rows.slice(0, half));
      await this.insertIsolatingBadRows(table, rows.slice(half));
    }
  }

  /** Retries transient failures with capped backoff; throws bad-data errors at once (retrying cannot help). */
  private async withRetry(table: string, rows: number, write: () => Promise<void>): Promise<void> {
    let delayMs = this.options.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      const t0 = performance.now();
      try {
        await write();
        this.options.onInsert?.(table, rows, (performance.now() - t0) / 1000);
        return;
      } catch (e) {
        if (isBadData(e)) throw e;
        this.options.onRetry?.(e as Error, attempt);
        await new Promise((r) => setTimeout(r, delayMs));
        delayMs = Math.min(this.options.retryMaxMs, delayMs * 2);
      }
    }
  }
}

const isBadData = (e: unknown): boolean => isIsochronError(e) && !e.retriable;
