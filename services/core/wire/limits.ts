// Bounds the decoder enforces on every TelemetryBatch. Two kinds:
// - size limits protect the process (memory, CPU) from large or hostile input: ISO_WIRE_TOO_LARGE
//   (HTTP 413) for bytes; ISO_WIRE_TOO_MANY_FLOWS / _TOO_MANY_SAMPLES / _STRING_TOO_LONG (400)
//   for counts and string lengths, which the sender fixes by splitting or shortening;
// - value bounds reject numbers no real network produces, and keep every value exact in a
//   Float64 (2^53 ns is about 104 days): ISO_WIRE_INVALID.
// The gateway passes its own config through resolveWireLimits(); the result is frozen.

import { IsochronError } from '../errors.ts';

export interface WireLimits {
  /** Encoded size of one batch. */
  readonly maxBatchBytes: number;
  /** FlowSamples messages in one batch. */
  readonly maxFlowsPerBatch: number;
  /** Samples summed over all flows of one batch. */
  readonly maxSamplesPerBatch: number;
  /** UTF-8 bytes of each identity string and flow_id. */
  readonly maxStringBytes: number;
  /** Largest |t_send - base_send_ns| within a flow; keeps send offsets exact and batches short. */
  readonly maxBatchSpanNs: number;
  /** Largest |delay_ns| of a sample; far above any network delay, below clock-broken nonsense. */
  readonly maxAbsDelayNs: number;
  /** Largest size_bytes of a sample. */
  readonly maxPacketBytes: number;
  /** Largest declared transfer_interval_ns / max_latency_ns / survival_time_ns. */
  readonly maxRequirementNs: number;
}

const NS_PER_S = 1_000_000_000;

export const DEFAULT_WIRE_LIMITS: WireLimits = Object.freeze({
  maxBatchBytes: 4 * 1024 * 1024,
  maxFlowsPerBatch: 10_000,
  maxSamplesPerBatch: 500_000,
  maxStringBytes: 256,
  maxBatchSpanNs: 3_600 * NS_PER_S,
  maxAbsDelayNs: 86_400 * NS_PER_S,
  // Largest IP datagram (RFC 791 section 3.1, total length is 16 bits); Ethernet jumbo frames fit.
  maxPacketBytes: 65_535,
  maxRequirementNs: 86_400 * NS_PER_S,
});

/** Hard ceilings for overrides: beyond them the decoder's own arithmetic stops being exact. */
const CEILINGS: Readonly<Record<keyof WireLimits, number>> = Object.freeze({
  // Length prefixes are read as 31-bit values (as protobufjs does); 1 GiB leaves headroom.
  maxBatchBytes: 1024 * 1024 * 1024,
  maxFlowsPerBatch: 1_000_000,
  // Columns live in typed arrays indexed by int32.
  maxSamplesPerBatch: 100_000_000,
  maxStringBytes: 65_536,
  // Offsets accumulate delta by delta; staying below 2^52 leaves one bit of headroom.
  maxBatchSpanNs: 2 ** 52,
  maxAbsDelayNs: Number.MAX_SAFE_INTEGER,
  maxPacketBytes: 0xffff_ffff,
  maxRequirementNs: Number.MAX_SAFE_INTEGER,
});

const KEYS = Object.keys(DEFAULT_WIRE_LIMITS) as (keyof WireLimits)[];

/**
 * Defaults merged with `overrides`, validated once and frozen. Unknown keys and values that
 * are not integers in [1, ceiling] are all reported together in one ISO_CONFIG_INVALID.
 */
export function resolveWireLimits(overrides: Readonly<Record<string, unknown>> = {}): WireLimits {
  const problems: string[] = [];
  for (const key of Object.keys(overrides)) {
    if (!(KEYS as string[]).includes(key)) problems.push(`unknown wire limit "${key}" (known: ${KEYS.join(', ')})`);
  }
  const out: Record<string, number> = {};
  for (const key of KEYS) {
    const value = key in overrides && overrides[key] !== undefined ? overrides[key] : DEFAULT_WIRE_LIMITS[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > CEILINGS[key]) {
      problems.push(`wire limit ${key} must be an integer in [1, ${CEILINGS[key]}], got ${String(value)}`);
      continue;
    }
    out[key] = value;
  }
  if (problems.length > 0) {
    throw new IsochronError('CONFIG_INVALID', `invalid wire limits: ${problems.join('; ')}`, { problems });
  }
  return Object.freeze(out as unknown as WireLimits);
}
