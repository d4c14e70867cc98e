// The hot loops of the decoder: one function per FlowSamples column, each turning the varints in
// buf[p, end) into a typed array. The structural pass (decode-batch.ts) has already proven that
// the range ends on a byte without the continuation bit, so no varint runs past it and these
// loops need no bounds checks; varints longer than 10 bytes are caught on the slow paths. Each
// function returns the next write index.
//
// sint64 values are zigzag-encoded (encoding guide, "Signed Integers"). Deltas and delays of real
// traffic fit in 4 varint bytes (28 bits); longer ones take sint64Slow(), exact over 64 bits.

import { IsochronError } from '../errors.ts';

/** Set by the slow paths: position after the varint, the value's low 32 bits as int32, and
 * whether the varint was longer than 10 bytes (then the other two are meaningless). */
let slowPos = 0;
let slowLow32 = 0;
let slowOverlong = false;

/**
 * Decodes the zigzag varint at p. Returns the value when it lies in the Number safe range, NaN
 * otherwise (the caller reports where). slowLow32 gets the value mod 2^32 either way.
 */
function sint64Slow(buf: Uint8Array, p: number): number {
  let lo = 0;
  let hi = 0;
  slowOverlong = true;
  for (let i = 0; i < 10; i++) {
    const b = buf[p++];
    if (i < 4) lo |= (b & 0x7f) << (7 * i);
    else if (i === 4) {
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x7f) >>> 4;
    } else hi |= (b & 0x7f) << (7 * i - 32);
    if (b < 0x80) {
      slowOverlong = false;
      break;
    }
  }
  slowPos = p;
  if (slowOverlong) return NaN;
  const negative = lo & 1;
  // zigzag: value = (z >>> 1) ^ -(z & 1), done on the two 32-bit halves.
  const magLo = ((lo >>> 1) | (hi << 31)) >>> 0;
  const magHi = hi >>> 1;
  slowLow32 = (magLo ^ -negative) | 0;
  // |value| is magnitude (even z) or magnitude + 1 (odd z); both must stay <= 2^53 - 1.
  if (magHi > 0x1f_ffff) return NaN;
  const magnitude = magHi * 4294967296 + magLo;
  if (negative) return magnitude >= Number.MAX_SAFE_INTEGER ? NaN : -magnitude - 1;
  return magnitude;
}

function outOfRange(flowIndex: number, column: string, sampleIndex: number, what: string): IsochronError {
  return new IsochronError('WIRE_INVALID', `flows[${flowIndex}].${column}[${sampleIndex}]: ${what}`, {
    flowIndex,
    field: column,
    sampleIndex,
  });
}

/** The error for a NaN from a slow path: an overlong varint, or a value beyond 2^53 - 1. */
function slowPathError(flowIndex: number, column: string, sampleIndex: number): IsochronError {
  if (slowOverlong) {
    return new IsochronError('WIRE_MALFORMED', `flows[${flowIndex}].${column}[${sampleIndex}]: varint longer than 10 bytes`, {
      flowIndex,
      field: column,
      sampleIndex,
    });
  }
  return outOfRange(flowIndex, column, sampleIndex, 'value outside the Number safe range');
}

// The three sint64 loops below share one inline varint fast path (a helper would cost a call or
// a write to module state per sample): up to 4 bytes give z < 2^28, decoded with int32 arithmetic;
// z = -1 marks a longer varint for sint64Slow.

/** seq[i] = (seq[i-1] + seq_delta[i]) mod 2^bits; `mask` is 0xffff or 0xffffffff. */
export function decodeSeqColumn(
  buf: Uint8Array, p: number, end: number, out: Uint32Array, i: number, prevSeq: number, mask: number, flowIndex: number,
): number {
  let prev = prevSeq | 0;
  while (p < end) {
    const b0 = buf[p];
    let z: number;
    if (b0 < 0x80) {
      z = b0;
      p += 1;
    } else {
      const b1 = buf[p + 1];
      if (b1 < 0x80) {
        z = (b0 & 0x7f) | (b1 << 7);
        p += 2;
      } else {
        const b2 = buf[p + 2];
        if (b2 < 0x80) {
          z = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
          p += 3;
        } else {
          const b3 = buf[p + 3];
          if (b3 < 0x80) {
            z = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
            p += 4;
          } else z = -1;
        }
      }
    }
    let delta32: number;
    if (z >= 0) delta32 = (z >>> 1) ^ -(z & 1);
    else {
      if (Number.isNaN(sint64Slow(buf, p))) throw slowPathError(flowIndex, 'seq_delta', i);
      p = slowPos;
      delta32 = slowLow32;
    }
    // int32 addition then masking is exact mod 2^32: both terms are below 2^32 in magnitude.
    prev = (prev + delta32) & mask;
    out[i++] = prev;
  }
  return i;
}

/** Send offsets relative to base_send_ns, accumulated from deltas; |offset| <= maxSpanNs. */
export function decodeSendOffsetColumn(
  buf: Uint8Array, p: number, end: number, out: Float64Array, i: number, prevOffsetNs: number, maxSpanNs: number, flowIndex: number,
): number {
  let offset = prevOffsetNs;
  while (p < end) {
    const b0 = buf[p];
    let z: number;
    if (b0 < 0x80) {
      z = b0;
      p += 1;
    } else {
      const b1 = buf[p + 1];
      if (b1 < 0x80) {
        z = (b0 & 0x7f) | (b1 << 7);
        p += 2;
      } else {
        const b2 = buf[p + 2];
        if (b2 < 0x80) {
          z = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
          p += 3;
        } else {
          const b3 = buf[p + 3];
          if (b3 < 0x80) {
            z = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
            p += 4;
          } else z = -1;
        }
      }
    }
    let delta: number;
    if (z >= 0) delta = (z >>> 1) ^ -(z & 1);
    else {
      delta = sint64Slow(buf, p);
      if (Number.isNaN(delta)) throw slowPathError(flowIndex, 'send_delta_ns', i);
      p = slowPos;
    }
    // Exact: both terms are safe integers and any result that rounds is far beyond maxSpanNs.
    offset += delta;
    if (offset > maxSpanNs || offset < -maxSpanNs) {
      throw outOfRange(flowIndex, 'send_delta_ns', i, `send time is ${offset} ns from base_send_ns, beyond maxBatchSpanNs ${maxSpanNs}`);
    }
    out[i++] = offset;
  }
  return i;
}

/** One-way delays; |delay| <= maxAbsDelayNs. */
export function decodeDelayColumn(
  buf: Uint8Array, p: number, end: number, out: Float64Array, i: number, maxAbsDelayNs: number, flowIndex: number,
): number {
  while (p < end) {
    const b0 = buf[p];
    let z: number;
    if (b0 < 0x80) {
      z = b0;
      p += 1;
    } else {
      const b1 = buf[p + 1];
      if (b1 < 0x80) {
        z = (b0 & 0x7f) | (b1 << 7);
        p += 2;
      } else {
        const b2 = buf[p + 2];
        if (b2 < 0x80) {
          z = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
          p += 3;
        } else {
          const b3 = buf[p + 3];
          if (b3 < 0x80) {
            z = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
            p += 4;
          } else z = -1;
        }
      }
    }
    let delay: number;
    if (z >= 0) delay = (z >>> 1) ^ -(z & 1);
    else {
      delay = sint64Slow(buf, p);
      if (Number.isNaN(delay)) throw slowPathError(flowIndex, 'delay_ns', i);
      p = slowPos;
    }
    if (delay > maxAbsDelayNs || delay < -maxAbsDelayNs) {
      throw outOfRange(flowIndex, 'delay_ns', i, `|${delay}| ns exceeds maxAbsDelayNs ${maxAbsDelayNs}`);
    }
    out[i++] = delay;
  }
  return i;
}

/** uint32 varint at p: low 32 bits of up to 10 bytes, as uint32 fields are read; NaN if longer. */
function uint32Slow(buf: Uint8Array, p: number): number {
  let value = 0;
  slowOverlong = true;
  for (let k = 0; k < 10; k++) {
    const b = buf[p++];
    if (k < 5) value |= (b & 0x7f) << (7 * k);
    if (b < 0x80) {
      slowOverlong = false;
      break;
    }
  }
  slowPos = p;
  return slowOverlong ? NaN : value >>> 0;
}

export function decodeSizeColumn(
  buf: Uint8Array, p: number, end: number, out: Uint32Array, i: number, maxPacketBytes: number, flowIndex: number,
): number {
  while (p < end) {
    let v = buf[p++];
    if (v >= 0x80) {
      const b = buf[p++];
      v = (v & 0x7f) | ((b & 0x7f) << 7);
      if (b >= 0x80) {
        v = uint32Slow(buf, p - 2);
        if (Number.isNaN(v)) throw slowPathError(flowIndex, 'size_bytes', i);
        p = slowPos;
      }
    }
    if (v > maxPacketBytes) throw outOfRange(flowIndex, 'size_bytes', i, `${v} exceeds maxPacketBytes ${maxPacketBytes}`);
    out[i++] = v;
  }
  return i;
}

export function decodeFlagsColumn(
  buf: Uint8Array, p: number, end: number, out: Uint8Array, i: number, knownFlags: number, flowIndex: number,
): number {
  const unknown = ~knownFlags;
  while (p < end) {
    let v = buf[p++];
    if (v >= 0x80) {
      v = uint32Slow(buf, p - 1);
      if (Number.isNaN(v)) throw slowPathError(flowIndex, 'flags', i);
      p = slowPos;
    }
    if ((v & unknown) !== 0) throw outOfRange(flowIndex, 'flags', i, `unknown flag bits 0x${((v & unknown) >>> 0).toString(16)}`);
    out[i++] = v;
  }
  return i;
}
