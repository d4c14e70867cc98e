// Hand-written decoder of isochron.telemetry.v1.TelemetryBatch into the columnar DecodedBatch.
//
// Two passes over the bytes:
//  1. structure (decode-structure.ts): validate every field and count the elements of each
//     column; nothing is allocated in proportion to a length read from the input before the
//     counts are known and checked against the limits.
//  2. columns: allocate the five columns once for the whole batch (or take them from a scratch)
//     and decode the column fields of each flow into them (decode-columns.ts).
// Packed and unpacked encodings of a column may be mixed and repeated; their elements are
// concatenated in order, as the encoding guide requires. For every other field the last
// occurrence wins; the identity message is merged field by field when it occurs more than once.
//
// Checks run in this order: structure and counts (ISO_WIRE_TRUNCATED / _MALFORMED, ISO_WIRE_TOO_LARGE
// for bytes, ISO_WIRE_TOO_MANY_FLOWS / _TOO_MANY_SAMPLES for counts), schema_version
// (ISO_WIRE_BAD_VERSION), then the rules of the format (ISO_WIRE_INVALID; string lengths raise
// ISO_WIRE_STRING_TOO_LONG at this stage). One exception: a varint
// over 10 bytes inside a packed column is only seen while decoding it, in pass 2.

import { IsochronError } from '../errors.ts';
import {
  FLAG_CLOCK_SYNCED, FLAG_CORRUPT, FLAG_RECEIVED, NETWORK_TYPES, SCHEMA_VERSION,
  type DecodedBatch, type DecodedFlow, type Identity,
} from './batch.ts';
import {
  decodeDelayColumn, decodeFlagsColumn, decodeSendOffsetColumn, decodeSeqColumn, decodeSizeColumn,
} from './decode-columns.ts';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from './limits.ts';
import { COLUMN_NAMES, type FlowDraft, type IdentityDraft, scanBatch } from './decode-structure.ts';
import { WIRE_LEN, WIRE_VARINT, WireCursor, readLength, readTag, skipField, u64BigInt } from './wire-reader.ts';

export const KNOWN_FLAGS = FLAG_RECEIVED | FLAG_CLOCK_SYNCED | FLAG_CORRUPT;
const U64_MAX = (1n << 64n) - 1n;

/**
 * Reusable column storage. With a scratch, the typed arrays of the returned batch are views into
 * it and stay valid only until the next decodeBatch() call given the same scratch; without one,
 * every batch gets arrays of its own.
 */
export class DecodeScratch {
  seq = new Uint32Array(0);
  sendOffsetNs = new Float64Array(0);
  delayNs = new Float64Array(0);
  sizeBytes = new Uint32Array(0);
  flags = new Uint8Array(0);

  ensure(samples: number): void {
    if (this.seq.length >= samples) return;
    const n = Math.max(samples, this.seq.length * 2);
    this.seq = new Uint32Array(n);
    this.sendOffsetNs = new Float64Array(n);
    this.delayNs = new Float64Array(n);
    this.sizeBytes = new Uint32Array(n);
    this.flags = new Uint8Array(n);
  }
}

export function createDecodeScratch(): DecodeScratch {
  return new DecodeScratch();
}

const IDENTITY_FIELDS = ['', 'enterprise_id', 'site_id', 'network_type', 'segment_id', 'device_id'] as const;
const REQUIREMENT_FIELDS = ['transfer_interval_ns', 'max_latency_ns', 'survival_time_ns'] as const;

// One cursor for the module: decoding is synchronous and never re-entered.
const cursor = new WireCursor();

function invalid(message: string, details?: Record<string, unknown>): IsochronError {
  return new IsochronError('WIRE_INVALID', message, details);
}

function tooLarge(message: string, details?: Record<string, unknown>): IsochronError {
  return new IsochronError('WIRE_TOO_LARGE', message, details);
}

function tooLong(message: string, details?: Record<string, unknown>): IsochronError {
  return new IsochronError('WIRE_STRING_TOO_LONG', message, details);
}

function validateIdentity(id: IdentityDraft | null, limits: WireLimits): Identity {
  if (id === null) throw invalid('identity is missing: every batch names its sender', { field: 'identity' });
  for (let i = 0; i < 5; i++) {
    if (i === 2) continue;
    if (id.stringBytes[i] > limits.maxStringBytes) {
      throw tooLong(`identity.${IDENTITY_FIELDS[i + 1]} is ${id.stringBytes[i]} bytes, over maxStringBytes ${limits.maxStringBytes}`, {
        field: `identity.${IDENTITY_FIELDS[i + 1]}`,
      });
    }
  }
  if (id.strings[0] === '') throw invalid('identity.enterprise_id is empty', { field: 'identity.enterprise_id' });
  if (id.strings[4] === '') throw invalid('identity.device_id is empty', { field: 'identity.device_id' });
  if (id.networkType < 0 || id.networkType >= NETWORK_TYPES.length) {
    throw invalid(`identity.network_type ${id.networkType} is not a NetworkType of schema v1`, { field: 'identity.network_type' });
  }
  return {
    enterpriseId: id.strings[0],
    siteId: id.strings[1],
    networkType: NETWORK_TYPES[id.networkType],
    segmentId: id.strings[3],
    deviceId: id.strings[4],
  };
}

/** Rules that need no column data; returns the sample count of the flow. */
function validateFlowHeader(f: FlowDraft, index: number, limits: WireLimits): number {
  const where = `flows[${index}]`;
  if (f.flowIdBytes > limits.maxStringBytes) {
    throw tooLong(`${where}.flow_id is ${f.flowIdBytes} bytes, over maxStringBytes ${limits.maxStringBytes}`, { flowIndex: index, field: 'flow_id' });
  }
  if (f.flowId === '') throw invalid(`${where}.flow_id is empty`, { flowIndex: index, field: 'flow_id' });
  if (f.seqBits !== 0 && f.seqBits !== 16 && f.seqBits !== 32) {
    throw invalid(`${where}.seq_bits is ${f.seqBits}; allowed: 16, 32 (0 means 32)`, { flowIndex: index, field: 'seq_bits' });
  }
  const count = f.counts[0];
  for (let k = 1; k < 5; k++) {
    if (f.counts[k] !== count) {
      const lengths = COLUMN_NAMES.map((name, j) => `${name} ${f.counts[j]}`).join(', ');
      throw invalid(`${where}: columns must have equal lengths, got ${lengths}`, { flowIndex: index, field: COLUMN_NAMES[k] });
    }
  }
  for (let k = 0; k < 3; k++) {
    const value = f.requirementHi[k] * 4294967296 + f.requirementLo[k];
    if (value > limits.maxRequirementNs) {
      throw invalid(`${where}.${REQUIREMENT_FIELDS[k]} ${u64BigInt(f.requirementLo[k], f.requirementHi[k])} exceeds maxRequirementNs ${limits.maxRequirementNs}`, {
        flowIndex: index,
        field: REQUIREMENT_FIELDS[k],
      });
    }
  }
  return count;
}

interface Columns {
  seq: Uint32Array;
  sendOffsetNs: Float64Array;
  delayNs: Float64Array;
  sizeBytes: Uint32Array;
  flags: Uint8Array;
}

function decodeFlowColumns(c: WireCursor, f: FlowDraft, index: number, col: Columns, limits: WireLimits): void {
  const buf = c.buf;
  const mask = f.seqBits === 16 ? 0xffff : 0xffff_ffff;
  let seqN = 0;
  let sendN = 0;
  let delayN = 0;
  let sizeN = 0;
  let flagsN = 0;
  c.pos = f.start;
  c.end = f.end;
  c.path = `flows[${index}]`;
  while (c.pos < f.end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field < 5 || field > 9 || (wireType !== WIRE_LEN && wireType !== WIRE_VARINT)) {
      c.field = field;
      skipField(c, wireType, field, 1);
      continue;
    }
    let start: number;
    let end: number;
    if (wireType === WIRE_LEN) {
      const len = readLength(c);
      start = c.pos;
      end = start + len;
    } else {
      start = c.pos;
      end = start;
      while (buf[end++] >= 0x80);
    }
    c.pos = end;
    switch (field) {
      case 5:
        seqN = decodeSeqColumn(buf, start, end, col.seq, seqN, seqN > 0 ? col.seq[seqN - 1] : f.baseSeq, mask, index);
        break;
      case 6:
        sendN = decodeSendOffsetColumn(buf, start, end, col.sendOffsetNs, sendN, sendN > 0 ? col.sendOffsetNs[sendN - 1] : 0, limits.maxBatchSpanNs, index);
        break;
      case 7:
        delayN = decodeDelayColumn(buf, start, end, col.delayNs, delayN, limits.maxAbsDelayNs, index);
        break;
      case 8:
        sizeN = decodeSizeColumn(buf, start, end, col.sizeBytes, sizeN, limits.maxPacketBytes, index);
        break;
      default:
        flagsN = decodeFlagsColumn(buf, start, end, col.flags, flagsN, KNOWN_FLAGS, index);
    }
  }
}

/** t_send = base_send_ns + offset must be a valid uint64 for every sample. */
function checkSendTimes(base: bigint, offsets: Float64Array, spanNs: bigint, index: number): void {
  if (base >= spanNs && base <= U64_MAX - spanNs) return;
  for (let i = 0; i < offsets.length; i++) {
    const t = base + BigInt(offsets[i]);
    if (t < 0n || t > U64_MAX) {
      throw invalid(`flows[${index}]: send time of sample ${i} (${t} ns) is outside the uint64 range`, { flowIndex: index, field: 'send_delta_ns', sampleIndex: i });
    }
  }
}

/**
 * Decodes one TelemetryBatch. Throws IsochronError (ISO_WIRE_*) on any bad input, never
 * anything else. See the module comment for the optional scratch.
 */
export function decodeBatch(bytes: Uint8Array, limits: WireLimits = DEFAULT_WIRE_LIMITS, scratch?: DecodeScratch): DecodedBatch {
  if (bytes.length > limits.maxBatchBytes) {
    throw tooLarge(`batch is ${bytes.length} bytes, over maxBatchBytes ${limits.maxBatchBytes}`, { field: 'batch' });
  }
  cursor.reset(bytes);
  try {
    return decodeWithCursor(cursor, limits, scratch);
  } finally {
    cursor.release();
  }
}

function decodeWithCursor(c: WireCursor, limits: WireLimits, scratch: DecodeScratch | undefined): DecodedBatch {
  // Pass 1: structure.
  const { version, createdLo, createdHi, identity, flows: drafts } = scanBatch(c, limits);

  if (version !== SCHEMA_VERSION) {
    throw new IsochronError(
      'WIRE_BAD_VERSION',
      version === 0 ? `schema_version is missing; this build reads ${SCHEMA_VERSION}` : `schema_version is ${version}; this build reads ${SCHEMA_VERSION}`,
      { schemaVersion: version },
    );
  }
  const id = validateIdentity(identity, limits);
  let total = 0;
  for (let i = 0; i < drafts.length; i++) total += validateFlowHeader(drafts[i], i, limits);

  // Pass 2: columns.
  let col: Columns;
  if (scratch) {
    scratch.ensure(total);
    col = scratch;
  } else {
    col = {
      seq: new Uint32Array(total),
      sendOffsetNs: new Float64Array(total),
      delayNs: new Float64Array(total),
      sizeBytes: new Uint32Array(total),
      flags: new Uint8Array(total),
    };
  }
  const spanNs = BigInt(limits.maxBatchSpanNs);
  const flows: DecodedFlow[] = new Array(drafts.length);
  let offset = 0;
  for (let i = 0; i < drafts.length; i++) {
    const f = drafts[i];
    const count = f.counts[0];
    const end = offset + count;
    const view: Columns = {
      seq: col.seq.subarray(offset, end),
      sendOffsetNs: col.sendOffsetNs.subarray(offset, end),
      delayNs: col.delayNs.subarray(offset, end),
      sizeBytes: col.sizeBytes.subarray(offset, end),
      flags: col.flags.subarray(offset, end),
    };
    decodeFlowColumns(c, f, i, view, limits);
    const baseSendNs = u64BigInt(f.baseSendLo, f.baseSendHi);
    checkSendTimes(baseSendNs, view.sendOffsetNs, spanNs, i);
    flows[i] = {
      flowId: f.flowId,
      seqBits: f.seqBits === 16 ? 16 : 32,
      count,
      baseSendNs,
      seq: view.seq,
      sendOffsetNs: view.sendOffsetNs,
      delayNs: view.delayNs,
      sizeBytes: view.sizeBytes,
      flags: view.flags,
      transferIntervalNs: f.requirementHi[0] * 4294967296 + f.requirementLo[0],
      maxLatencyNs: f.requirementHi[1] * 4294967296 + f.requirementLo[1],
      survivalTimeNs: f.requirementHi[2] * 4294967296 + f.requirementLo[2],
    };
    offset = end;
  }
  return {
    schemaVersion: version,
    identity: id,
    createdNs: u64BigInt(createdLo, createdHi),
    flows,
    sampleCount: total,
  };
}
