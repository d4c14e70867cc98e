// In-memory, column-oriented form of an isochron.telemetry.v1.TelemetryBatch.
// Produced by the hand-written decoder (decode-batch.ts) and by the protobufjs adapter used in
// tests; consumed by the metric engine. Pure data: no I/O.

export const SCHEMA_VERSION = 1;

/** Sample flag bits (see proto/isochron/telemetry/v1/telemetry.proto). */
export const FLAG_RECEIVED = 1;
export const FLAG_CLOCK_SYNCED = 2;
export const FLAG_CORRUPT = 4;

export const NETWORK_TYPES = ['unspecified', '5g', 'tsn', 'industrial_ethernet', 'wifi6'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

export interface Identity {
  enterpriseId: string;
  siteId: string;
  networkType: NetworkType;
  segmentId: string;
  deviceId: string;
}

export interface DecodedFlow {
  flowId: string;
  /** 32 or 16. */
  seqBits: number;
  /** Number of samples (length of every column below). */
  count: number;
  /** Send time of the reference point, ns since the Unix epoch (exact). */
  baseSendNs: bigint;
  /** Absolute wire sequence numbers, already reduced mod 2^seqBits. */
  seq: Uint32Array;
  /** t_send - baseSendNs in ns (exact: the decoder bounds the span of a batch). */
  sendOffsetNs: Float64Array;
  /** t_recv - t_send in ns; only meaningful when FLAG_RECEIVED is set. */
  delayNs: Float64Array;
  sizeBytes: Uint32Array;
  flags: Uint8Array;
  /** Declared requirement parameters, 0 when not declared. */
  transferIntervalNs: number;
  maxLatencyNs: number;
  survivalTimeNs: number;
}

export interface DecodedBatch {
  schemaVersion: number;
  identity: Identity;
  createdNs: bigint;
  flows: DecodedFlow[];
  /** Total samples over all flows. */
  sampleCount: number;
}
