// Byte writer/reader for engine state snapshots (snapshot.ts). Little-endian, length-prefixed
// UTF-8 strings; Float64 values round-trip bit-exactly (NaN and ±Infinity included).
import { IsochronError } from '../errors.ts';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export class StateWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  f64s(a: Float64Array, from: number, count: number): void {
    this.ensure(count * 8);
    for (let i = 0; i < count; i++) this.view.setFloat64(this.pos + i * 8, a[from + i], true);
    this.pos += count * 8;
  }

  u32s(a: Uint32Array, from: number, count: number): void {
    this.ensure(count * 4);
    for (let i = 0; i < count; i++) this.view.setUint32(this.pos + i * 4, a[from + i], true);
    this.pos += count * 4;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }

  str(s: string): void {
    const b = enc.encode(s);
    this.u32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class StateReader {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw stateInvalid(`ends at byte ${this.buf.length}, needed ${this.pos + n}`);
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  f64s(a: Float64Array, from: number, count: number): void {
    this.need(count * 8);
    for (let i = 0; i < count; i++) a[from + i] = this.view.getFloat64(this.pos + i * 8, true);
    this.pos += count * 8;
  }

  u32s(a: Uint32Array, from: number, count: number): void {
    this.need(count * 4);
    for (let i = 0; i < count; i++) a[from + i] = this.view.getUint32(this.pos + i * 4, true);
    this.pos += count * 4;
  }

  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  str(): string {
    const n = this.u32();
    this.need(n);
    const s = dec.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  done(): boolean {
    return this.pos === this.buf.length;
  }
}

export function stateInvalid(message: string): IsochronError {
  return new IsochronError('ENGINE_STATE_INVALID', `engine state snapshot: ${message}`);
}
