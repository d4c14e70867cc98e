// Two-tap capture: the same packets captured twice, on the way in (ingress tap = send time) and
// on the way out (egress tap = receive time) of the network under test, for example a TSN bridge
// with both taps on one capture card (the DETERMINISTIC6G PD-Wired data set).
//
// File format (one file per tap, no header): `timestamp_ns_since_epoch,hex(payload)`, where the
// payload is the packet's sequence number in ASCII followed by a newline (`313030300a` = 1000).
// Packets are matched by that number.
//
// Mapping to samples (docs/importer.md):
// - matched pair: t_send = ingress time, delay = egress - ingress (exact integer ns), flags
//   RECEIVED and, when both taps share one clock (the default), CLOCK_SYNCED;
// - a later egress copy of an already matched number: one more received sample with the same
//   number (the engine counts it as a duplicate; the first copy determines the delay, RFC 7679
//   §3.5);
// - ingress record never seen at egress: a loss, emitted as a sample WITHOUT the RECEIVED flag
//   (an "unreceived report", placed in arrival order at its send time), so trailing losses are
//   counted too;
// - egress record with no ingress record: no send time, so no sample; counted in the notes;
// - a number repeated at ingress: the first ingress time is the send time; counted in the notes.
// Arrival order = egress time order (stable).
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { CaptureBuilder, exactDelay, inputError, parseUnsignedDecimal, type ParsedCapture } from './capture.ts';

/** One tap file, parsed: columns in file order. */
export interface TapRecords {
  name: string;
  count: number;
  timeNs: BigInt64Array;
  /** Sequence number from the payload (exact, below 2^53). */
  seq: Float64Array;
  payloadBytes: Uint32Array;
  /** 1-based line number of each record. */
  line: Uint32Array;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const MAX_INT64 = 9223372036854775807n;

/** Parses one tap file. Throws ISO_IMPORT_INPUT_INVALID naming the line and field. */
export function parseTapCsv(text: string, name: string): TapRecords {
  const lines = text.split('\n');
  const cap = lines.length;
  const timeNs = new BigInt64Array(cap);
  const seq = new Float64Array(cap);
  const payloadBytes = new Uint32Array(cap);
  const line = new Uint32Array(cap);
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    let s = lines[i];
    if (s.endsWith('\r')) s = s.slice(0, -1);
    if (s.trim() === '') continue;
    const where = `${name} line ${i + 1}`;
    const cells = s.split(',');
    if (cells.length !== 2) {
      throw inputError(where, 'record', `expected 2 comma-separated fields (timestamp_ns,hex_payload), found ${cells.length}: ${clip(s)}`);
    }
    const t = parseUnsignedDecimal(cells[0].trim());
    if (t === null || t === 0n || t > MAX_INT64) {
      const hint = i === 0 && !/^\s*[0-9]/.test(cells[0]) ? ' (the file must not have a header line)' : '';
      throw inputError(where, 'timestamp_ns', `'${clip(cells[0])}' is not a positive integer number of ns since the epoch${hint}`);
    }
    const hex = cells[1].trim();
    if (!HEX.test(hex)) throw inputError(where, 'payload', `'${clip(hex)}' is not an even-length hex string`);
    const ascii = Buffer.from(hex, 'hex').toString('latin1');
    const m = /^([0-9]{1,16})\r?\n?$/.exec(ascii);
    const v = m ? Number(m[1]) : NaN;
    if (!Number.isSafeInteger(v)) {
      throw inputError(where, 'payload', `decodes to ${JSON.stringify(clip(ascii))}; expected an ASCII decimal sequence number followed by a newline`);
    }
    timeNs[n] = t;
    seq[n] = v;
    payloadBytes[n] = hex.length / 2;
    line[n] = i + 1;
    n++;
  }
  return { name, count: n, timeNs: timeNs.slice(0, n), seq: seq.slice(0, n), payloadBytes: payloadBytes.slice(0, n), line: line.slice(0, n) };
}

export interface TwoTapOptions {
  flowId: string;
  /** Both taps timestamp with one clock (default true): delays are trusted. */
  clockSynced?: boolean;
  /** Size to report per packet; default: the captured payload length. */
  packetBytes?: number;
}

/** Matches an ingress (send) and an egress (receive) tap into one flow in arrival order. */
export function matchTwoTap(send: TapRecords, recv: TapRecords, opts: TwoTapOptions): ParsedCapture {
  const firstSend = new Map<number, number>();
  let duplicateSends = 0;
  for (let i = 0; i < send.count; i++) {
    if (firstSend.has(send.seq[i])) duplicateSends++;
    else firstSend.set(send.seq[i], i);
  }
  const received = new Uint8Array(send.count);
  const recvFlags = FLAG_RECEIVED | (opts.clockSynced === false ? 0 : FLAG_CLOCK_SYNCED);
  const b = new CaptureBuilder(32);
  let unmatchedReceives = 0;
  let firstUnmatchedLine = 0;
  let duplicateReceives = 0;
  // Source index: egress record k -> k; ingress record j -> recv.count + j.
  for (let k = 0; k < recv.count; k++) {
    const j = firstSend.get(recv.seq[k]);
    if (j === undefined) {
      unmatchedReceives++;
      if (firstUnmatchedLine === 0) firstUnmatchedLine = recv.line[k];
      continue;
    }
    if (received[j] === 1) duplicateReceives++;
    received[j] = 1;
    const d = exactDelay(recv.timeNs[k], send.timeNs[j]);
    if (d === null) throw inputError(`${recv.name} line ${recv.line[k]}`, 'timestamp_ns', `delay to ${send.name} line ${send.line[j]} does not fit in 2^53 ns`);
    b.add(recv.seq[k], send.timeNs[j], recv.timeNs[k], d, opts.packetBytes ?? recv.payloadBytes[k], recvFlags, k);
  }
  let lostSends = 0;
  for (const j of firstSend.values()) {
    if (received[j] === 1) continue;
    lostSends++;
    b.add(send.seq[j], send.timeNs[j], send.timeNs[j], 0, opts.packetBytes ?? send.payloadBytes[j], 0, recv.count + j);
  }
  const capture = b.build(opts.flowId, (src) => (src < recv.count ? `${recv.name} line ${recv.line[src]}` : `${send.name} line ${send.line[src - recv.count]}`));
  return {
    capture,
    notes: {
      sendRecords: send.count,
      receiveRecords: recv.count,
      matchedPackets: send.count - duplicateSends - lostSends,
      lostSends,
      duplicateSends,
      duplicateReceives,
      unmatchedReceives,
      ...(firstUnmatchedLine > 0 ? { firstUnmatchedReceiveLine: `${recv.name} line ${firstUnmatchedLine}` } : {}),
    },
  };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
