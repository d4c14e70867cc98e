// irtt / nlmt one-way JSON. nlmt (a fork of irtt, https://github.com/DETERMINISTIC6G/nlmt) writes
// on the receiving side a file with `oneway_trips[]`; the irtt client writes `round_trips[]` with
// the same per-packet timestamps. Per element:
//   seqno                            sender's packet counter (uint32)
//   timestamps.client.send.wall      send time, ns since the epoch (client clock)
//   timestamps.server.receive.wall   receive time, ns since the epoch (server clock)
//   delay.send                       the tool's receive.wall - send.wall (cross-checked here)
//   ipdv.send                        the tool's IPDV, from the MONOTONIC clocks (not imported)
// and the tool's own aggregates in `stats` (returned as toolStats for comparison).
//
// Mapping (docs/importer.md): an element with both wall times is a received sample (delay =
// receive - send, exact in integer ns; CLOCK_SYNCED unless the caller says the clocks were not
// synchronised); an irtt round trip marked lost with a send time is a sample without RECEIVED; an
// element with no send time (nlmt writes one for a packet it never saw, and one after the last
// packet) cannot be placed in time and is only counted in the notes: the engine finds such losses
// from the gap in sequence numbers. Arrival order = receive wall time (stable).
//
// Wall times exceed 2^53, so the text goes through parseJsonExact (no precision loss). No
// decompression here: the CLI gunzips .gz files.
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { CaptureBuilder, exactDelay, inputError, type ParsedCapture } from './capture.ts';
import { dig, parseJsonExact, readExactInt } from './json-exact.ts';

/** The subset of nlmt's `stats` the comparison uses (durations in ns, as the tool writes them). */
export interface IrttToolStats {
  delay: { n: number; min: number; max: number; mean: number; median: number; stddev: number } | null;
  ipdvSend: { n: number; min: number; max: number; mean: number; median: number } | null;
  packetsReceived: number | null;
  expectedPacketsReceived: number | null;
  packetLossPercent: number | null;
  duplicates: number | null;
  latePackets: number | null;
  bytesReceived: number | null;
  packetLength: number | null;
}

export interface IrttOptions {
  flowId: string;
  /** Client and server clocks were synchronised (default true; the tool's delays assume it). */
  clockSynced?: boolean;
  /** Size to report per packet; default: stats.bytes_received / stats.packets_received when exact. */
  packetBytes?: number;
}

export interface ParsedIrtt extends ParsedCapture {
  toolStats: IrttToolStats | null;
}

const MAX_SEQNO = 4294967295;

export function parseIrttJson(text: string, name: string, opts: IrttOptions): ParsedIrtt {
  const doc = parseJsonExact(text, name);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw inputError(name, 'JSON', 'the top level must be an object');
  const oneway = dig(doc, 'oneway_trips');
  const round = dig(doc, 'round_trips');
  const key = oneway !== undefined ? 'oneway_trips' : round !== undefined ? 'round_trips' : null;
  if (key === null) throw inputError(name, 'oneway_trips', 'missing: expected an nlmt one-way file (oneway_trips[]) or an irtt client file (round_trips[])');
  const trips = key === 'oneway_trips' ? oneway : round;
  if (!Array.isArray(trips)) throw inputError(name, key, 'must be an array');

  const toolStats = key === 'oneway_trips' ? readToolStats(dig(doc, 'stats')) : null;
  let packetBytes = opts.packetBytes ?? 0;
  let packetBytesSource = opts.packetBytes !== undefined ? 'option' : 'unknown';
  if (opts.packetBytes === undefined && toolStats?.bytesReceived && toolStats.packetsReceived && toolStats.bytesReceived % toolStats.packetsReceived === 0) {
    packetBytes = toolStats.bytesReceived / toolStats.packetsReceived;
    packetBytesSource = 'stats.bytes_received / stats.packets_received';
  }

  const recvFlags = FLAG_RECEIVED | (opts.clockSynced === false ? 0 : FLAG_CLOCK_SYNCED);
  const b = new CaptureBuilder(32);
  let untimed = 0;
  let lostWithSendTime = 0;
  let delayMismatches = 0;
  const seen = new Set<number>();
  let repeatedSeqnos = 0;
  for (let i = 0; i < trips.length; i++) {
    const t: unknown = trips[i];
    const where = `${name} ${key}[${i}]`;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) throw inputError(where, 'element', 'must be an object');
    const seqno = dig(t, 'seqno');
    if (typeof seqno !== 'number' || !Number.isInteger(seqno) || seqno < 0 || seqno > MAX_SEQNO) {
      throw inputError(where, 'seqno', `${JSON.stringify(seqno)} is not an integer in [0, ${MAX_SEQNO}]`);
    }
    if (seen.has(seqno)) repeatedSeqnos++;
    seen.add(seqno);
    const sendRaw = dig(t, 'timestamps', 'client', 'send', 'wall');
    const recvRaw = dig(t, 'timestamps', 'server', 'receive', 'wall');
    const send = sendRaw === undefined ? null : readExactInt(sendRaw);
    const recv = recvRaw === undefined ? null : readExactInt(recvRaw);
    if (sendRaw !== undefined && (send === null || send <= 0n)) throw inputError(where, 'timestamps.client.send.wall', `${JSON.stringify(sendRaw)} is not a positive integer (ns since the epoch)`);
    if (recvRaw !== undefined && (recv === null || recv <= 0n)) throw inputError(where, 'timestamps.server.receive.wall', `${JSON.stringify(recvRaw)} is not a positive integer (ns since the epoch)`);
    if (send === null) {
      untimed++;
      continue;
    }
    if (recv === null) {
      // Sent (the client stamped it) but never received.
      lostWithSendTime++;
      b.add(seqno, send, send, 0, packetBytes, 0, i);
      continue;
    }
    const d = exactDelay(recv, send);
    if (d === null) throw inputError(where, 'timestamps', 'receive - send does not fit in 2^53 ns');
    const toolDelay = dig(t, 'delay', 'send');
    if (toolDelay !== undefined && toolDelay !== d) delayMismatches++;
    b.add(seqno, send, recv, d, packetBytes, recvFlags, i);
  }
  const capture = b.build(opts.flowId, (src) => `${name} ${key}[${src}]`);
  return {
    capture,
    toolStats,
    notes: {
      format: key === 'oneway_trips' ? 'nlmt oneway_trips' : 'irtt round_trips (send direction)',
      elements: trips.length,
      receivedSamples: capture.count - lostWithSendTime,
      lostWithSendTime,
      untimedElements: untimed,
      repeatedSeqnos,
      delayFieldMismatches: delayMismatches,
      packetBytes,
      packetBytesSource,
    },
  };
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function readDurationStats(v: unknown) {
  if (v === null || typeof v !== 'object') return null;
  const n = num(dig(v, 'n'));
  const min = num(dig(v, 'min'));
  const max = num(dig(v, 'max'));
  const mean = num(dig(v, 'mean'));
  const median = num(dig(v, 'median'));
  if (n === null || min === null || max === null || mean === null || median === null) return null;
  return { n, min, max, mean, median, stddev: num(dig(v, 'stddev')) ?? NaN };
}

function readToolStats(s: unknown): IrttToolStats | null {
  if (s === null || typeof s !== 'object') return null;
  return {
    delay: readDurationStats(dig(s, 'delay')),
    ipdvSend: readDurationStats(dig(s, 'ipdv_send')),
    packetsReceived: num(dig(s, 'packets_received')),
    expectedPacketsReceived: num(dig(s, 'expected_packets_received')),
    packetLossPercent: num(dig(s, 'packet_loss_percent')),
    duplicates: num(dig(s, 'duplicates')),
    latePackets: num(dig(s, 'late_packets')),
    bytesReceived: num(dig(s, 'bytes_received')),
    packetLength: num(dig(s, 'packet_length')),
  };
}
