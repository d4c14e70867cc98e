// When a partition counts as idle for rule (c) (docs/metrics.md "Closing windows"). Processing
// time alone cannot tell a quiet partition from one whose records wait in Kafka while the
// worker restores, is paused, falls behind or was stopped; closing windows by the clock in any
// of those cases turns the backlog into `too_late` discards and the gaps into packet loss.
// So rule (c)'s clock runs only while the worker has recently seen that it holds everything
// the broker has for the partition:
//   - the partition's state is restored and it is consumed (not restoring, not paused);
//   - the latest end-offset observation was requested at most `maxObservationAgeNs` ago;
//   - the state's next offset has reached that end offset (no record waiting);
//   - the worker itself was not stalled: ticks at most `maxTickGapNs` apart (ticks come with
//     the worker's flushes, so the bound follows the flush interval as well).
// Any other tick holds the idle clock (MetricEngine.holdIdle); it starts again from the next
// quiet tick. Pure: observations and processing time come in as data.

export interface EndOffsetObservation {
  /** End offset (the offset the next record will get) per partition, as the broker answered. */
  readonly endOffsets: ReadonlyMap<number, bigint>;
  /** Processing time at which the question was sent (ns since the epoch). */
  readonly requestedAtNs: bigint;
}

export interface PartitionView {
  /** Restored and consumed: not restoring, not paused by backpressure. */
  readonly consuming: boolean;
  /** Next offset the partition's state expects; undefined before its first record. */
  readonly nextOffset: bigint | undefined;
}

export class IdleJudge {
  private observation: EndOffsetObservation | undefined;
  private lastTickNs: bigint | undefined;
  private stalled = false;

  constructor(
    private readonly maxObservationAgeNs: bigint,
    private readonly maxTickGapNs: bigint = maxObservationAgeNs,
  ) {
    if (maxObservationAgeNs <= 0n || maxTickGapNs <= 0n) throw new RangeError('maxObservationAgeNs and maxTickGapNs must be positive');
  }

  /** Keeps the most recently requested observation (answers may arrive out of order). */
  observe(o: EndOffsetObservation): void {
    if (this.observation === undefined || o.requestedAtNs >= this.observation.requestedAtNs) this.observation = o;
  }

  /** Starts a tick; a gap since the previous tick longer than `maxTickGapNs` is a stall. */
  beginTick(nowNs: bigint): void {
    this.stalled = this.lastTickNs !== undefined && nowNs - this.lastTickNs > this.maxTickGapNs;
    this.lastTickNs = nowNs;
  }

  /** Whether rule (c)'s clock may run for `partition` at the current tick (see the header). */
  quiet(partition: number, view: PartitionView, nowNs: bigint): boolean {
    if (this.stalled || !view.consuming || view.nextOffset === undefined) return false;
    const o = this.observation;
    if (o === undefined || nowNs - o.requestedAtNs > this.maxObservationAgeNs) return false;
    const end = o.endOffsets.get(partition);
    return end !== undefined && view.nextOffset >= end;
  }

  /** Records known to wait in Kafka for the partition (0 when caught up or unknown). */
  waiting(partition: number, nextOffset: bigint | undefined): bigint {
    const end = this.observation?.endOffsets.get(partition);
    if (end === undefined || nextOffset === undefined) return 0n;
    return end > nextOffset ? end - nextOffset : 0n;
  }
}
