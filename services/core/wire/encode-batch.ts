// Hand-written encoder of isochron.telemetry.v1.TelemetryBatch from absolute sample values, for
// the simulator, tests and benchmarks. It writes the canonical form: packed columns, sequence
// deltas taken the short way round the 2^seqBits circle, fields in number order, defaults omitted.
// A DecodedBatch is a valid RawBatch, so decode -> encode -> decode round-trips.

import { IsochronError } from '../errors.ts';
import { NETWORK_TYPES, SCHEMA_VERSION, type Identity } from './batch.ts';

export interface RawFlow {
  flowId: string;
  /** 16 or 32 (default 32). */
  seqBits?: number;
  /** Absolute sequence numbers, each in [0, 2^seqBits). */
  seq: ArrayLike<number>;
  /** Reference sequence number; defaults to seq[0] (so the first delta is 0). */
  baseSeq?: number;
  /**
   * Send times, either absolute (sendNs) or as offsets from baseSendNs (sendOffsetNs, integers).
   * With sendNs, baseSendNs defaults to sendNs[0].
   */
  baseSendNs?: bigint;
  sendOffsetNs?: ArrayLike<number>;
  sendNs?: ArrayLike<bigint>;
  delayNs: ArrayLike<number>;
  sizeBytes: ArrayLike<number>;
  flags: ArrayLike<number>;
  transferIntervalNs?: number;
  maxLatencyNs?: number;
  survivalTimeNs?: number;
}

export interface RawBatch {
  /** Default SCHEMA_VERSION; tests set other values to produce bad batches. */
  schemaVersion?: number;
  identity: Identity;
  /** Default 0 (omitted). */
  createdNs?: bigint;
  flows: readonly RawFlow[];
}

/** The delta d with (from + d) mod 2^bits = to and -2^(bits-1) <= d < 2^(bits-1). */
export function shortestSeqDelta(from: number, to: number, bits: number): number {
  const modulus = 2 ** bits;
  let d = (to - from) % modulus;
  if (d < 0) d += modulus;
  return d >= modulus / 2 ? d - modulus : d;
}

function bad(message: string): IsochronError {
  return new IsochronError('WIRE_INVALID', `cannot encode: ${message}`);
}

class ByteWriter {
  buf = new Uint8Array(256);
  pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Unsigned varint of a value in [0, 2^32). */
  varint32(v: number): void {
    this.ensure(5);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** Unsigned varint of lo + hi * 2^32 (both unsigned 32-bit). */
  varint64(lo: number, hi: number): void {
    if (hi === 0) return this.varint32(lo);
    this.ensure(10);
    while (hi > 0 || lo > 0x7f) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  /** Non-negative safe integer as a varint. */
  uvarint(v: number): void {
    this.varint64(v % 4294967296, Math.floor(v / 4294967296));
  }

  /** Safe integer, zigzag-encoded without leaving exact arithmetic (2|v| may exceed 2^53). */
  svarint(v: number): void {
    const negative = v < 0;
    const m = negative ? -v - 1 : v;
    const hi = Math.floor(m / 2147483648);
    const lo = (m - hi * 2147483648) * 2 + (negative ? 1 : 0);
    this.varint64(lo, hi);
  }

  tag(field: number, wireType: number): void {
    this.varint32((field << 3) | wireType);
  }

  fixed64(v: bigint): void {
    this.ensure(8);
    for (let i = 0n; i < 64n; i += 8n) this.buf[this.pos++] = Number((v >> i) & 0xffn);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint32(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const utf8 = new TextEncoder();

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) throw bad(`${name} = ${v} is not an integer in [${min}, ${max}]`);
}

function encodeIdentity(id: Identity): Uint8Array {
  const w = new ByteWriter();
  const type = NETWORK_TYPES.indexOf(id.networkType);
  if (type < 0) throw bad(`unknown network type ${String(id.networkType)}`);
  if (id.enterpriseId) w.bytes(1, utf8.encode(id.enterpriseId));
  if (id.siteId) w.bytes(2, utf8.encode(id.siteId));
  if (type !== 0) {
    w.tag(3, 0);
    w.varint32(type);
  }
  if (id.segmentId) w.bytes(4, utf8.encode(id.segmentId));
  if (id.deviceId) w.bytes(5, utf8.encode(id.deviceId));
  return w.finish();
}

function encodeFlow(f: RawFlow, index: number): Uint8Array {
  const where = `flows[${index}]`;
  const n = f.seq.length;
  const send = f.sendNs ?? f.sendOffsetNs;
  if (send === undefined) throw bad(`${where} has neither sendNs nor sendOffsetNs`);
  for (const [name, col] of [['sendNs/sendOffsetNs', send], ['delayNs', f.delayNs], ['sizeBytes', f.sizeBytes], ['flags', f.flags]] as const) {
    if (col.length !== n) throw bad(`${where}.${name} has ${col.length} values, seq has ${n}`);
  }
  const bits = f.seqBits ?? 32;
  if (bits !== 16 && bits !== 32) throw bad(`${where}.seqBits must be 16 or 32`);
  const seqMax = 2 ** bits - 1;
  const baseSeq = f.baseSeq ?? (n > 0 ? f.seq[0] : 0);
  checkInt(`${where}.baseSeq`, baseSeq, 0, 0xffff_ffff);
  let baseSendNs: bigint;
  if (f.sendNs) baseSendNs = f.baseSendNs ?? (n > 0 ? f.sendNs[0] : 0n);
  else if (f.baseSendNs === undefined) throw bad(`${where}.baseSendNs is required with sendOffsetNs`);
  else baseSendNs = f.baseSendNs;
  if (baseSendNs < 0n || baseSendNs >= 1n << 64n) throw bad(`${where}.baseSendNs is not a uint64`);

  const w = new ByteWriter();
  if (f.flowId) w.bytes(1, utf8.encode(f.flowId));
  if (bits !== 32) {
    w.tag(2, 0);
    w.varint32(bits);
  }
  if (baseSendNs !== 0n) {
    w.tag(3, 1);
    w.fixed64(baseSendNs);
  }
  if (baseSeq !== 0) {
    w.tag(4, 0);
    w.varint32(baseSeq);
  }
  if (n > 0) {
    const col = new ByteWriter();
    let prev = baseSeq;
    for (let i = 0; i < n; i++) {
      checkInt(`${where}.seq[${i}]`, f.seq[i], 0, seqMax);
      col.svarint(shortestSeqDelta(prev, f.seq[i], bits));
      prev = f.seq[i];
    }
    w.bytes(5, col.finish());

    const sendCol = new ByteWriter();
    let prevOffset = 0;
    for (let i = 0; i < n; i++) {
      const offset = f.sendNs ? Number(f.sendNs[i] - baseSendNs) : (f.sendOffsetNs as ArrayLike<number>)[i];
      checkInt(`${where} send offset [${i}]`, offset, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const delta = offset - prevOffset;
      checkInt(`${where} send delta [${i}]`, delta, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      sendCol.svarint(delta);
      prevOffset = offset;
    }
    w.bytes(6, sendCol.finish());

    const delayCol = new ByteWriter();
    for (let i = 0; i < n; i++) {
      checkInt(`${where}.delayNs[${i}]`, f.delayNs[i], -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      delayCol.svarint(f.delayNs[i]);
    }
    w.bytes(7, delayCol.finish());

    const sizeCol = new ByteWriter();
    for (let i = 0; i < n; i++) {
      checkInt(`${where}.sizeBytes[${i}]`, f.sizeBytes[i], 0, 0xffff_ffff);
      sizeCol.varint32(f.sizeBytes[i]);
    }
    w.bytes(8, sizeCol.finish());

    const flagCol = new ByteWriter();
    for (let i = 0; i < n; i++) {
      checkInt(`${where}.flags[${i}]`, f.flags[i], 0, 0xffff_ffff);
      flagCol.varint32(f.flags[i]);
    }
    w.bytes(9, flagCol.finish());
  }
  const requirements = [f.transferIntervalNs ?? 0, f.maxLatencyNs ?? 0, f.survivalTimeNs ?? 0];
  for (let k = 0; k < 3; k++) {
    checkInt(`${where} requirement field ${10 + k}`, requirements[k], 0, Number.MAX_SAFE_INTEGER);
    if (requirements[k] !== 0) {
      w.tag(10 + k, 0);
      w.uvarint(requirements[k]);
    }
  }
  return w.finish();
}

/** Encodes a batch; throws ISO_WIRE_INVALID when the raw values cannot be represented. */
export function encodeBatch(batch: RawBatch): Uint8Array {
  const w = new ByteWriter();
  const version = batch.schemaVersion ?? SCHEMA_VERSION;
  checkInt('schemaVersion', version, 0, 0xffff_ffff);
  if (version !== 0) {
    w.tag(1, 0);
    w.varint32(version);
  }
  w.bytes(2, encodeIdentity(batch.identity));
  for (let i = 0; i < batch.flows.length; i++) w.bytes(3, encodeFlow(batch.flows[i], i));
  const created = batch.createdNs ?? 0n;
  if (created < 0n || created >= 1n << 64n) throw bad('createdNs is not a uint64');
  if (created !== 0n) {
    w.tag(4, 1);
    w.fixed64(created);
  }
  return w.finish();
}
