// JSON-lines receive log of the Wi-Fi industrial robotics data set (minarady1/
// wifi_for_industrial_robotics, logs/*_robot_control.json and log_perama_site_*.json): one line
// per received message,
//   {"timestamp": <receive time, ns>, "payload": {"seqnum": <n>, "src_timestamp_ns": "<send time, ns>"}}
// Only received messages are logged, so losses are the gaps in seqnum (the engine finds them).
//
// Clocks: sender and receiver are PTP-synchronised over the same Wi-Fi, and still produce
// negative one-way delays (down to about -1.2 s in the published logs). Those samples are kept
// with their negative delay and CLOCK_SYNCED, so the engine counts them as negativeDelayPackets
// and leaves them out of the one-way delay statistics (RFC 7679 §3.5); nothing is clamped or
// dropped here. Arrival order = receive timestamp (stable; the logs are already in that order).
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { CaptureBuilder, exactDelay, inputError, type ParsedCapture } from './capture.ts';
import { dig, parseJsonExact, readExactInt } from './json-exact.ts';

export interface WifiOptions {
  flowId: string;
  /** Default true (PTP); false marks every delay as untrusted. */
  clockSynced?: boolean;
  packetBytes?: number;
}

export function parseWifiJsonl(text: string, name: string, opts: WifiOptions): ParsedCapture {
  const lines = text.split('\n');
  const flags = FLAG_RECEIVED | (opts.clockSynced === false ? 0 : FLAG_CLOCK_SYNCED);
  const b = new CaptureBuilder(32);
  let negative = 0;
  let minDelayNs = Infinity;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i];
    if (s.trim() === '') continue;
    const where = `${name} line ${i + 1}`;
    const rec = parseJsonExact(s, where, true);
    const recvRaw = dig(rec, 'timestamp');
    const sendRaw = dig(rec, 'payload', 'src_timestamp_ns');
    const seqRaw = dig(rec, 'payload', 'seqnum');
    const recv = readExactInt(recvRaw);
    const send = readExactInt(sendRaw);
    if (recv === null || recv <= 0n) throw inputError(where, 'timestamp', `${JSON.stringify(recvRaw)} is not a positive integer (receive time, ns since the epoch)`);
    if (send === null || send <= 0n) throw inputError(where, 'payload.src_timestamp_ns', `${JSON.stringify(sendRaw)} is not a positive integer (send time, ns since the epoch)`);
    if (typeof seqRaw !== 'number' || !Number.isSafeInteger(seqRaw) || seqRaw < 0) throw inputError(where, 'payload.seqnum', `${JSON.stringify(seqRaw)} is not a non-negative integer`);
    const d = exactDelay(recv, send);
    if (d === null) throw inputError(where, 'timestamp', 'receive - send does not fit in 2^53 ns');
    if (d < 0) negative++;
    if (d < minDelayNs) minDelayNs = d;
    b.add(seqRaw, send, recv, d, opts.packetBytes ?? 0, flags, i + 1);
  }
  const capture = b.build(opts.flowId, (line) => `${name} line ${line}`);
  return { capture, notes: { records: capture.count, negativeDelays: negative, minDelayNs: capture.count > 0 ? minDelayNs : 'none' } };
}
