// What every importer produces: one flow's samples in ARRIVAL order (the order the receiver saw
// them, which is what the wire format and the engine expect), as columns, with absolute send
// times kept exact as bigints, and where each sample came from in the input file so that a
// problem found later (a wire limit, say) can still name the line.
//
// Pure: no I/O. Parsers fill a CaptureBuilder; capture-batches.ts cuts the result into batches.
import { IsochronError } from '../core/errors.ts';

export interface Capture {
  flowId: string;
  /** Width of the sender's counter: 16 or 32. */
  seqBits: 16 | 32;
  count: number;
  /** Wire sequence numbers, already reduced mod 2^seqBits. */
  seq: Uint32Array;
  /** Absolute t_send, ns since the Unix epoch. */
  sendNs: BigInt64Array;
  /** t_recv - t_send in ns; 0 for records without FLAG_RECEIVED. */
  delayNs: Float64Array;
  sizeBytes: Uint32Array;
  flags: Uint8Array;
  /** Where sample i came from (file and line, or JSON path); used only in error messages. */
  locate(i: number): string;
}

/** Counts an importer reports next to the engine's figures (things that never became samples). */
export type ImportNotes = Record<string, number | string | boolean>;

export interface ParsedCapture {
  capture: Capture;
  notes: ImportNotes;
}

/** Error for a bad input file; the message names the file, the line (or JSON path) and the field. */
export function inputError(where: string, field: string, problem: string): IsochronError {
  return new IsochronError('IMPORT_INPUT_INVALID', `${where}: ${field}: ${problem}`, { where, field });
}

/**
 * Accumulates samples in any order with a sort key per sample (receive time for received
 * samples), then emits them sorted by key (stable: ties keep input order).
 */
export class CaptureBuilder {
  private n = 0;
  private seq = new Uint32Array(1024);
  private send = new BigInt64Array(1024);
  private key = new BigInt64Array(1024);
  private delay = new Float64Array(1024);
  private size = new Uint32Array(1024);
  private flag = new Uint8Array(1024);
  private src = new Uint32Array(1024);

  constructor(private readonly seqBits: 16 | 32) {}

  get count(): number {
    return this.n;
  }

  /** seq: any non-negative safe integer (reduced mod 2^seqBits here); src: caller's source index. */
  add(seq: number, sendNs: bigint, sortKeyNs: bigint, delayNs: number, sizeBytes: number, flags: number, src: number): void {
    if (this.n === this.seq.length) this.grow();
    const i = this.n++;
    this.seq[i] = this.seqBits === 32 ? seq % 4294967296 : seq % 65536;
    this.send[i] = sendNs;
    this.key[i] = sortKeyNs;
    this.delay[i] = delayNs;
    this.size[i] = sizeBytes;
    this.flag[i] = flags;
    this.src[i] = src;
  }

  /** The samples sorted by key; locate receives the caller's source index of a sample. */
  build(flowId: string, locate: (src: number) => string): Capture {
    const n = this.n;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (this.key[i] < this.key[i - 1]) sorted = false;
    if (!sorted) {
      const key = this.key;
      // Array.prototype.sort is stable (ES2019), so equal keys keep input order.
      const idx = Array.from(order);
      idx.sort((a, b) => (key[a] < key[b] ? -1 : key[a] > key[b] ? 1 : 0));
      order.set(idx);
    }
    const seq = new Uint32Array(n);
    const sendNs = new BigInt64Array(n);
    const delayNs = new Float64Array(n);
    const sizeBytes = new Uint32Array(n);
    const flags = new Uint8Array(n);
    const src = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      seq[k] = this.seq[i];
      sendNs[k] = this.send[i];
      delayNs[k] = this.delay[i];
      sizeBytes[k] = this.size[i];
      flags[k] = this.flag[i];
      src[k] = this.src[i];
    }
    return { flowId, seqBits: this.seqBits, count: n, seq, sendNs, delayNs, sizeBytes, flags, locate: (i) => locate(src[i]) };
  }

  private grow(): void {
    const m = this.seq.length * 2;
    const seq = new Uint32Array(m);
    seq.set(this.seq);
    this.seq = seq;
    const send = new BigInt64Array(m);
    send.set(this.send);
    this.send = send;
    const key = new BigInt64Array(m);
    key.set(this.key);
    this.key = key;
    const delay = new Float64Array(m);
    delay.set(this.delay);
    this.delay = delay;
    const size = new Uint32Array(m);
    size.set(this.size);
    this.size = size;
    const flag = new Uint8Array(m);
    flag.set(this.flag);
    this.flag = flag;
    const src = new Uint32Array(m);
    src.set(this.src);
    this.src = src;
  }
}

const DIGITS = /^[0-9]+$/;

/** Parses a non-negative decimal integer exactly (no sign, no exponent, no fraction). */
export function parseUnsignedDecimal(text: string): bigint | null {
  return DIGITS.test(text) ? BigInt(text) : null;
}

/** A delay that stays exact in a Float64 (|v| < 2^53 ns, about 104 days). */
export function exactDelay(recvNs: bigint, sendNs: bigint): number | null {
  const d = recvNs - sendNs;
  return d > 9007199254740991n || d < -9007199254740991n ? null : Number(d);
}
