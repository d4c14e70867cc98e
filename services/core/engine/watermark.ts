// When windows close. Three rules (docs/metrics.md "Closing windows"):
// (a) per flow, deterministic: window [s, e) of flow f closes once f itself has sent a sample at
//     t >= e + allowedLateness. Depends only on f's own samples in arrival order, so rows do not
//     depend on batch boundaries or on how flows are interleaved.
// (b) per partition, liveness for a flow that went quiet while others continue: the partition
//     watermark is max t_send seen in the partition - allowedLateness - flowIdleGrace; windows
//     ending at or before it close.
// (c) per partition, liveness when the whole partition is quiet: once no data arrived for
//     partitionIdleTimeout of processing time (as told by tick()), windows with
//     end + allowedLateness <= now - maxClockSkew close.
// (b) and (c) never close a window of a flow that keeps sending within flowIdleGrace of the
// partition's leading flow, or while data keeps arriving: they only fire for quiet flows.

/** floor(a / b) for integers a, b > 0 held in Numbers (exact; plain division can round up). */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/** floor(a / b) for bigints, b > 0. */
export function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** Rule (b): absolute index of the first window still open in the partition. */
export function partitionWatermarkIdx(maxSendNs: bigint, latenessNs: number, graceNs: number, windowNs: number): number {
  return Number(floorDivBig(maxSendNs - BigInt(latenessNs) - BigInt(graceNs), BigInt(windowNs)));
}

/** Rule (c): absolute index of the first window still open once the partition is idle at nowNs. */
export function idleWatermarkIdx(nowNs: bigint, maxClockSkewNs: number, latenessNs: number, windowNs: number): number {
  return Number(floorDivBig(nowNs - BigInt(maxClockSkewNs) - BigInt(latenessNs), BigInt(windowNs)));
}

/** Per-partition bookkeeping. */
export class PartitionState {
  /** Flow slots of this partition (order irrelevant; removal swaps with the last). */
  readonly flows: number[] = [];
  /** Flow slots by device identity key, then flow id (no per-flow string building on ingest). */
  readonly byDevice = new Map<string, Map<string, number>>();
  maxSendNs: bigint | null = null;
  /** Windows with an absolute index below this are closed for every flow of the partition (rules b, c). */
  closedBeforeIdx = -Infinity;
  /** Processing time of the last tick() that saw new data since the previous tick. */
  lastActiveNs: bigint | null = null;
  dataSinceTick = false;
}
