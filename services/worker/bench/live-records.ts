// Records for the live-paced phase, cheap enough to produce in real time next to the worker on
// a 2-core machine. Encoding 10 000 flows of a few samples each costs about 20 us per flow
// (per-flow framing dominates), more than a core at 10 steps/s. So each gateway's record is
// encoded once with a sample pattern that repeats every step, and each step only rewrites the
// two fields that move: every flow's base_send_ns (fixed64) and base_seq (a varint kept at a
// fixed width of 4 bytes). The bytes stay a canonical, valid TelemetryBatch.
import { encodeBatch } from '../../core/wire/encode-batch.ts';
import { deviceModels, fillStep, type TrafficPlan } from './traffic.ts';

/** base_seq values stay in [2^21, 2^28): always a 4-byte varint. */
const SEQ_BASE = 2 ** 21;
const SEQ_LIMIT = 2 ** 28;
// Placeholder for base_send_ns while encoding; its 8 bytes (after the fixed64 tag) are located and rewritten.
const SENTINEL_NS = 0x5a17_c0de_0bad_f00dn;
const TAG_BASE_SEND_NS = (3 << 3) | 1;
const TAG_BASE_SEQ = (4 << 3) | 0;

export interface LiveTemplate {
  readonly key: string;
  readonly bytes: Uint8Array;
  /** Byte offsets of each flow's base_send_ns value and base_seq varint. */
  readonly sendAt: readonly number[];
  readonly seqAt: readonly number[];
  readonly baseSeq: readonly number[];
  readonly samplesPerStep: number;
}

export function liveTemplates(plan: TrafficPlan): LiveTemplate[] {
  const perFlow = plan.stepNs / plan.periodNs;
  return deviceModels(plan).map((dev) => {
    const flows = fillStep(plan, dev, 0, SENTINEL_NS, 0).map((f, k) => {
      const baseSeq = SEQ_BASE + dev.flows[k].firstSeq;
      const seq = Array.from(f.seq, (x) => x + SEQ_BASE);
      return { ...f, seq, baseSeq };
    });
    const bytes = encodeBatch({ identity: dev.identity, flows });
    const sentinel = Buffer.alloc(8);
    sentinel.writeBigUInt64LE(SENTINEL_NS);
    const sendAt: number[] = [];
    const seqAt: number[] = [];
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let at = buf.indexOf(sentinel); at >= 0; at = buf.indexOf(sentinel, at + 8)) {
      // In canonical order base_seq (field 4) directly follows base_send_ns (field 3).
      if (buf[at - 1] !== TAG_BASE_SEND_NS || buf[at + 8] !== TAG_BASE_SEQ) throw new Error('live template: unexpected field layout');
      sendAt.push(at);
      seqAt.push(at + 9);
    }
    if (sendAt.length !== flows.length) throw new Error(`live template: found ${sendAt.length} base_send_ns fields for ${flows.length} flows`);
    return { key: dev.key, bytes, sendAt, seqAt, baseSeq: flows.map((f) => f.baseSeq), samplesPerStep: perFlow * flows.length };
  });
}

/** The record of step `s` whose samples start at `baseSendNs` (a fresh buffer: the producer keeps it until acknowledged). */
export function liveRecord(t: LiveTemplate, s: number, baseSendNs: bigint): Buffer {
  const out = Buffer.from(t.bytes);
  const perFlow = t.samplesPerStep / t.sendAt.length;
  for (let k = 0; k < t.sendAt.length; k++) {
    out.writeBigUInt64LE(baseSendNs, t.sendAt[k]);
    const seq = t.baseSeq[k] + s * perFlow;
    if (seq >= SEQ_LIMIT) throw new Error('live phase too long for the 4-byte base_seq');
    const at = t.seqAt[k];
    out[at] = (seq & 0x7f) | 0x80;
    out[at + 1] = ((seq >>> 7) & 0x7f) | 0x80;
    out[at + 2] = ((seq >>> 14) & 0x7f) | 0x80;
    out[at + 3] = (seq >>> 21) & 0x7f;
  }
  return out;
}
