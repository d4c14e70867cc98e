// The reference decoder: protobufjs' generated code, then the format's rules re-stated plainly on
// the decoded object, into the same DecodedBatch the hand-written decoder returns. Tests and the
// benchmark compare the two; it is not meant for the hot path (it allocates per sample). It is
// written from the format description (docs/wire-format.md), not from decode-batch.ts, so that
// agreement between the two means something.

import { IsochronError } from '../errors.ts';
import { isochron } from '../../generated/proto/isochron.js';
import {
  FLAG_CLOCK_SYNCED, FLAG_CORRUPT, FLAG_RECEIVED, NETWORK_TYPES, SCHEMA_VERSION,
  type DecodedBatch, type DecodedFlow,
} from './batch.ts';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from './limits.ts';

const pb = isochron.telemetry.v1;
export type PbTelemetryBatch = ReturnType<typeof pb.TelemetryBatch.decode>;

type Int64 = number | { low: number; high: number };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const U64_MAX = (1n << 64n) - 1n;
const ALL_FLAGS = FLAG_RECEIVED | FLAG_CLOCK_SYNCED | FLAG_CORRUPT;
const utf8 = new TextEncoder();

function toU64(v: Int64 | null | undefined): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'number') return BigInt(v);
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

function toS64(v: Int64): bigint {
  return BigInt.asIntN(64, toU64(v));
}

function invalid(message: string): IsochronError {
  return new IsochronError('WIRE_INVALID', message);
}

function tooLarge(message: string): IsochronError {
  return new IsochronError('WIRE_TOO_LARGE', message);
}

function tooMany(name: 'WIRE_TOO_MANY_FLOWS' | 'WIRE_TOO_MANY_SAMPLES', message: string): IsochronError {
  return new IsochronError(name, message);
}

/** Maps what protobufjs throws to our codes: reads past an end are truncation, the rest malformed. */
function parseError(e: unknown): IsochronError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && message.startsWith('index out of range')) {
    return new IsochronError('WIRE_TRUNCATED', `protobufjs: ${message}`, undefined, { cause: e });
  }
  return new IsochronError('WIRE_MALFORMED', `protobufjs: ${message}`, undefined, { cause: e });
}

function checkString(name: string, s: string | null | undefined, limits: WireLimits): string {
  const value = s ?? '';
  const bytes = utf8.encode(value).length;
  if (bytes > limits.maxStringBytes) throw new IsochronError('WIRE_STRING_TOO_LONG', `${name} is ${bytes} bytes, over maxStringBytes`);
  return value;
}

/** Decodes with protobufjs and applies the format's rules; throws IsochronError on bad input. */
export function decodeBatchWithProtobufjs(bytes: Uint8Array, limits: WireLimits = DEFAULT_WIRE_LIMITS): DecodedBatch {
  if (bytes.length > limits.maxBatchBytes) throw tooLarge(`batch is ${bytes.length} bytes`);
  let msg: PbTelemetryBatch;
  try {
    msg = pb.TelemetryBatch.decode(bytes);
  } catch (e) {
    throw parseError(e);
  }
  return fromProtobufjs(msg, limits);
}

/** Converts a protobufjs-decoded TelemetryBatch, enforcing the same rules as decodeBatch(). */
export function fromProtobufjs(msg: PbTelemetryBatch, limits: WireLimits = DEFAULT_WIRE_LIMITS): DecodedBatch {
  const pbFlows = msg.flows ?? [];
  if (pbFlows.length > limits.maxFlowsPerBatch) throw tooMany('WIRE_TOO_MANY_FLOWS', `${pbFlows.length} flows`);
  let samplesBound = 0;
  for (const f of pbFlows) {
    samplesBound += Math.max(f.seqDelta?.length ?? 0, f.sendDeltaNs?.length ?? 0, f.delayNs?.length ?? 0, f.sizeBytes?.length ?? 0, f.flags?.length ?? 0);
  }
  if (samplesBound > limits.maxSamplesPerBatch) throw tooMany('WIRE_TOO_MANY_SAMPLES', `${samplesBound} samples`);

  const version = msg.schemaVersion ?? 0;
  if (version !== SCHEMA_VERSION) throw new IsochronError('WIRE_BAD_VERSION', `schema_version ${version}`);

  const pid = msg.identity;
  if (!pid) throw invalid('identity missing');
  const enterpriseId = checkString('identity.enterprise_id', pid.enterpriseId, limits);
  const siteId = checkString('identity.site_id', pid.siteId, limits);
  const segmentId = checkString('identity.segment_id', pid.segmentId, limits);
  const deviceId = checkString('identity.device_id', pid.deviceId, limits);
  if (enterpriseId === '' || deviceId === '') throw invalid('identity.enterprise_id and device_id are required');
  const networkType = NETWORK_TYPES[pid.networkType ?? 0];
  if (networkType === undefined) throw invalid(`network_type ${pid.networkType}`);

  // Header rules of every flow before any column value, as decodeBatch orders them.
  let sampleCount = 0;
  for (let k = 0; k < pbFlows.length; k++) {
    const f = pbFlows[k];
    const flowId = checkString(`flows[${k}].flow_id`, f.flowId, limits);
    if (flowId === '') throw invalid(`flows[${k}].flow_id empty`);
    const seqBits = f.seqBits ?? 0;
    if (seqBits !== 0 && seqBits !== 16 && seqBits !== 32) throw invalid(`flows[${k}].seq_bits ${seqBits}`);
    const n = f.seqDelta?.length ?? 0;
    for (const len of [f.sendDeltaNs?.length ?? 0, f.delayNs?.length ?? 0, f.sizeBytes?.length ?? 0, f.flags?.length ?? 0]) {
      if (len !== n) throw invalid(`flows[${k}] column lengths differ`);
    }
    for (const v of [f.transferIntervalNs, f.maxLatencyNs, f.survivalTimeNs]) {
      if (toU64(v) > BigInt(limits.maxRequirementNs)) throw invalid(`flows[${k}] requirement ${toU64(v)} too large`);
    }
    sampleCount += n;
  }

  const flows: DecodedFlow[] = [];
  for (let k = 0; k < pbFlows.length; k++) {
    const f = pbFlows[k];
    const n = f.seqDelta?.length ?? 0;
    const seqBits = f.seqBits === 16 ? 16 : 32;
    const modulus = 1n << BigInt(seqBits);
    const seq = new Uint32Array(n);
    const sendOffsetNs = new Float64Array(n);
    const delayNs = new Float64Array(n);
    const sizeBytes = new Uint32Array(n);
    const flags = new Uint8Array(n);
    let s = BigInt(f.baseSeq ?? 0);
    let offset = 0n;
    const base = toU64(f.baseSendNs);
    for (let i = 0; i < n; i++) {
      const dSeq = toS64(f.seqDelta![i]);
      const dSend = toS64(f.sendDeltaNs![i]);
      const delay = toS64(f.delayNs![i]);
      for (const v of [dSeq, dSend, delay]) {
        if (v > MAX_SAFE || v < -MAX_SAFE) throw invalid(`flows[${k}] sample ${i}: value beyond the Number safe range`);
      }
      s = (((s + dSeq) % modulus) + modulus) % modulus;
      seq[i] = Number(s);
      offset += dSend;
      if (offset > BigInt(limits.maxBatchSpanNs) || -offset > BigInt(limits.maxBatchSpanNs)) throw invalid(`flows[${k}] sample ${i}: span`);
      if (base + offset < 0n || base + offset > U64_MAX) throw invalid(`flows[${k}] sample ${i}: send time outside uint64`);
      sendOffsetNs[i] = Number(offset);
      if (delay > BigInt(limits.maxAbsDelayNs) || -delay > BigInt(limits.maxAbsDelayNs)) throw invalid(`flows[${k}] sample ${i}: delay`);
      delayNs[i] = Number(delay);
      const size = f.sizeBytes![i];
      if (size > limits.maxPacketBytes) throw invalid(`flows[${k}] sample ${i}: size ${size}`);
      sizeBytes[i] = size;
      const flag = f.flags![i];
      if ((flag & ~ALL_FLAGS) !== 0) throw invalid(`flows[${k}] sample ${i}: flags ${flag}`);
      flags[i] = flag;
    }
    flows.push({
      flowId: f.flowId ?? '',
      seqBits,
      count: n,
      baseSendNs: base,
      seq,
      sendOffsetNs,
      delayNs,
      sizeBytes,
      flags,
      transferIntervalNs: Number(toU64(f.transferIntervalNs)),
      maxLatencyNs: Number(toU64(f.maxLatencyNs)),
      survivalTimeNs: Number(toU64(f.survivalTimeNs)),
    });
  }
  return {
    schemaVersion: version,
    identity: { enterpriseId, siteId, networkType, segmentId, deviceId },
    createdNs: toU64(msg.createdNs),
    flows,
    sampleCount,
  };
}
