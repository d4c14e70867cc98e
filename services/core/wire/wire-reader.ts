// Protobuf wire primitives for the hand-written decoder: a cursor over one message range, varints
// (https://protobuf.dev/programming-guides/encoding/), length prefixes and skipping of unknown
// fields of every wire type. Every read checks the bytes left in the enclosing message first,
// so a lying length can never cause a large allocation or a read past the end.
//
// Where protobufjs 8 (the reference decoder) is stricter or looser than the encoding guide, this
// file follows protobufjs so both decoders agree on the shared vectors; the one exception is noted
// at skipField().

import { IsochronError } from '../errors.ts';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

/** Matches protobufjs (and protoc's default): deeper nesting of groups is refused. */
export const MAX_DEPTH = 100;

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

export class WireCursor {
  buf: Uint8Array = EMPTY;
  /** The same bytes, for reads of several bytes at once. */
  view: DataView = EMPTY_VIEW;
  pos = 0;
  /** End of the message being read (exclusive). */
  end = 0;
  /** Result of readVarint64 / readFixed64: low and high 32 bits, both unsigned. */
  lo = 0;
  hi = 0;
  /** UTF-8 byte length of the last string readString returned. */
  stringBytes = 0;
  /** Where we are, for error messages: message path (e.g. "flows[3]") and field number. */
  path = 'TelemetryBatch';
  field = 0;

  reset(buf: Uint8Array): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = 0;
    this.end = buf.length;
    this.path = 'TelemetryBatch';
    this.field = 0;
  }

  /** Drops the reference to the last input so a large batch is not kept alive by the cursor. */
  release(): void {
    this.buf = EMPTY;
    this.view = EMPTY_VIEW;
  }

  where(): string {
    return `${this.path}${this.field ? ` field ${this.field}` : ''} at byte ${this.pos}`;
  }

  truncated(what: string): IsochronError {
    return new IsochronError('WIRE_TRUNCATED', `${what} runs past the end of its message (${this.where()})`, {
      path: this.path,
      field: this.field,
      offset: this.pos,
    });
  }

  malformed(what: string, extra?: Record<string, unknown>): IsochronError {
    return new IsochronError('WIRE_MALFORMED', `${what} (${this.where()})`, {
      path: this.path,
      field: this.field,
      offset: this.pos,
      ...extra,
    });
  }
}

/** Field tag: at most 5 bytes, value below 2^32 (protobufjs rejects anything longer). */
export function readTag(c: WireCursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (pos >= c.end) throw c.truncated('field tag');
    const b = buf[pos++];
    if (i === 4) {
      if (b > 0x0f) throw c.malformed('field tag longer than 32 bits');
      c.pos = pos;
      return (value | (b << 28)) >>> 0;
    }
    value |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      c.pos = pos;
      return value;
    }
  }
  /* unreachable: the loop returns or throws at i === 4 */
  throw c.malformed('field tag');
}

/**
 * Length prefix of a LEN field: at most 5 bytes and below 2^31, like protobufjs; it must also
 * fit in the bytes left, checked here before anyone uses it.
 */
export function readLength(c: WireCursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (pos >= c.end) throw c.truncated('length prefix');
    const b = buf[pos++];
    if (i === 4) {
      if (b > 7) throw c.malformed('length prefix of 2 GiB or more');
      value = (value | (b << 28)) >>> 0;
      break;
    }
    value |= (b & 0x7f) << (7 * i);
    if (b < 0x80) break;
  }
  c.pos = pos;
  if (value > c.end - pos) throw c.truncated(`length-delimited field of ${value} bytes (${c.end - pos} left)`);
  return value;
}

/** Varint of up to 10 bytes, returning its low 32 bits (uint32 semantics of the encoding guide). */
export function readVarint32(c: WireCursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let value = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= c.end) throw c.truncated('varint');
    const b = buf[pos++];
    if (i < 5) value |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      c.pos = pos;
      return value >>> 0;
    }
  }
  c.pos = pos;
  throw c.malformed('varint longer than 10 bytes');
}

/** Varint of up to 10 bytes into c.lo / c.hi (bits beyond 64 are ignored, as protobufjs does). */
export function readVarint64(c: WireCursor): void {
  const buf = c.buf;
  let pos = c.pos;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= c.end) throw c.truncated('varint');
    const b = buf[pos++];
    if (i < 4) lo |= (b & 0x7f) << (7 * i);
    else if (i === 4) {
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x7f) >>> 4;
    } else hi |= (b & 0x7f) << (7 * i - 32);
    if (b < 0x80) {
      c.pos = pos;
      c.lo = lo >>> 0;
      c.hi = hi >>> 0;
      return;
    }
  }
  c.pos = pos;
  throw c.malformed('varint longer than 10 bytes');
}

/** fixed64 (little endian) into c.lo / c.hi. */
export function readFixed64(c: WireCursor): void {
  if (c.end - c.pos < 8) throw c.truncated('fixed64');
  const b = c.buf;
  const p = c.pos;
  c.lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  c.hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
  c.pos = p + 8;
}

/** Unsigned 64-bit value from c.lo / c.hi, exact. */
export function u64BigInt(lo: number, hi: number): bigint {
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * Skips one field the decoder does not read. Groups (wire type 3) are skipped to their matching
 * end tag, nested at most MAX_DEPTH deep counting from the message depth, as protobufjs does.
 *
 * Deliberate difference from protobufjs: protobufjs skips an unknown varint of any length; this
 * decoder refuses one longer than 10 bytes (the encoding guide's maximum) as it does everywhere else.
 */
export function skipField(c: WireCursor, wireType: number, fieldNumber: number, depth: number): void {
  if (depth > MAX_DEPTH) throw c.malformed(`groups nested more than ${MAX_DEPTH} deep`);
  if (fieldNumber === 0) throw c.malformed('field number 0');
  switch (wireType) {
    case WIRE_VARINT: {
      const buf = c.buf;
      let pos = c.pos;
      for (let i = 0; ; i++) {
        if (pos >= c.end) throw c.truncated('varint');
        if (i === 10) {
          c.pos = pos;
          throw c.malformed('varint longer than 10 bytes', { unknownField: true });
        }
        if (buf[pos++] < 0x80) break;
      }
      c.pos = pos;
      return;
    }
    case WIRE_I64:
      if (c.end - c.pos < 8) throw c.truncated('fixed64');
      c.pos += 8;
      return;
    case WIRE_LEN: {
      const len = readLength(c); // advances c.pos past the prefix: do not fold into `c.pos +=`
      c.pos += len;
      return;
    }
    case WIRE_SGROUP:
      for (;;) {
        const tag = readTag(c);
        const nested = tag >>> 3;
        const nestedType = tag & 7;
        if (nested === 0) throw c.malformed('field number 0');
        if (nestedType === WIRE_EGROUP) {
          if (nested !== fieldNumber) throw c.malformed(`end-group tag ${nested} does not close group ${fieldNumber}`);
          return;
        }
        skipField(c, nestedType, nested, depth + 1);
      }
    case WIRE_I32:
      if (c.end - c.pos < 4) throw c.truncated('fixed32');
      c.pos += 4;
      return;
    default:
      throw c.malformed(`invalid wire type ${wireType}`);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A string field: validated as UTF-8 (invalid bytes are a malformed batch, as in protobuf's
 * proto3 rules and protobufjs' stringVerify); a BOM is kept as data.
 */
export function readString(c: WireCursor): string {
  const len = readLength(c);
  const start = c.pos;
  c.pos = start + len;
  c.stringBytes = len;
  if (len === 0) return '';
  const buf = c.buf;
  // ASCII fast path: ids are almost always ASCII, and TextDecoder has a fixed cost per call.
  if (len <= 32) {
    let ascii = true;
    for (let i = start; i < start + len; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(start, start + len) as unknown as number[]);
  }
  try {
    return UTF8.decode(buf.subarray(start, start + len));
  } catch (e) {
    c.pos = start;
    throw c.malformed(`string of ${len} bytes is not valid UTF-8`);
  }
}
