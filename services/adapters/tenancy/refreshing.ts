// A table loaded from the registry and kept in memory: reloaded every refreshIntervalMs in the
// background, and on demand when a lookup misses (a key or enterprise created a moment ago
// works at once) but no more often than every minRefreshGapMs, so a flood of unknown keys
// cannot turn into a flood of ClickHouse queries. Concurrent reloads share one query.
export interface RefreshingTableOptions {
  readonly refreshIntervalMs: number;
  readonly minRefreshGapMs: number;
  /** Called when a background reload fails (the previous table stays in use). */
  readonly onRefreshError?: (error: unknown) => void;
}

export class RefreshingTable<V> {
  private table = new Map<string, V>();
  private lastLoadStartMs = -Infinity;
  private inFlight: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly load: () => Promise<Map<string, V>>,
    private readonly opts: RefreshingTableOptions,
  ) {
    this.timer = setInterval(() => {
      this.refresh().catch((e) => this.opts.onRefreshError?.(e));
    }, opts.refreshIntervalMs);
    this.timer.unref();
  }

  /** Reloads now (joins a reload already running). */
  refresh(): Promise<void> {
    if (this.inFlight !== null) return this.inFlight;
    this.lastLoadStartMs = performance.now();
    this.inFlight = this.load()
      .then((t) => {
        this.table = t;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  /** The entry, reloading first when it is missing and the last reload is old enough. */
  async get(key: string): Promise<V | undefined> {
    const hit = this.table.get(key);
    if (hit !== undefined) return hit;
    if (this.inFlight !== null) await this.inFlight;
    else if (performance.now() - this.lastLoadStartMs >= this.opts.minRefreshGapMs) await this.refresh();
    return this.table.get(key);
  }

  get size(): number {
    return this.table.size;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
