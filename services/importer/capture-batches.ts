// Cuts a Capture into wire batches the way a live producer would send them: consecutive slices
// in arrival order, each bounded by a sample count and by the span of send times the decoder
// accepts (maxBatchSpanNs), encoded with the project's encoder. The CLI feeds these same bytes to
// the engine through the real decoder, or POSTs them to a gateway, so both paths see one input.
import type { Identity } from '../core/wire/batch.ts';
import { encodeBatch, type RawFlow } from '../core/wire/encode-batch.ts';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from '../core/wire/limits.ts';
import { inputError, type Capture } from './capture.ts';

export interface FlowRequirements {
  transferIntervalNs?: number;
  maxLatencyNs?: number;
  survivalTimeNs?: number;
}

export interface BatchOptions {
  /** Samples per batch (default 10 000). */
  maxSamplesPerBatch?: number;
  limits?: WireLimits;
  requirements?: FlowRequirements;
}

export interface EncodedBatch {
  bytes: Uint8Array;
  samples: number;
}

export const DEFAULT_SAMPLES_PER_BATCH = 10_000;

/** Encoded batches of one capture, in arrival order. Throws ISO_IMPORT_INPUT_INVALID naming the sample's source. */
export function captureToBatches(capture: Capture, identity: Identity, opts: BatchOptions = {}): EncodedBatch[] {
  const limits = opts.limits ?? DEFAULT_WIRE_LIMITS;
  const maxSamples = Math.min(opts.maxSamplesPerBatch ?? DEFAULT_SAMPLES_PER_BATCH, limits.maxSamplesPerBatch);
  const span = BigInt(limits.maxBatchSpanNs);
  const req = opts.requirements ?? {};
  const out: EncodedBatch[] = [];
  const n = capture.count;
  let from = 0;
  while (from < n) {
    const base = capture.sendNs[from];
    let to = from;
    while (to < n && to - from < maxSamples) {
      const off = capture.sendNs[to] - base;
      if (off > span || off < -span) break;
      checkSample(capture, to, limits);
      to++;
    }
    const m = to - from;
    const offsets = new Float64Array(m);
    for (let i = 0; i < m; i++) offsets[i] = Number(capture.sendNs[from + i] - base);
    const flow: RawFlow = {
      flowId: capture.flowId,
      seqBits: capture.seqBits,
      seq: capture.seq.subarray(from, to),
      baseSendNs: base,
      sendOffsetNs: offsets,
      delayNs: capture.delayNs.subarray(from, to),
      sizeBytes: capture.sizeBytes.subarray(from, to),
      flags: capture.flags.subarray(from, to),
      transferIntervalNs: req.transferIntervalNs ?? 0,
      maxLatencyNs: req.maxLatencyNs ?? 0,
      survivalTimeNs: req.survivalTimeNs ?? 0,
    };
    out.push({ bytes: encodeBatch({ identity, flows: [flow] }), samples: m });
    from = to;
  }
  return out;
}

function checkSample(c: Capture, i: number, limits: WireLimits): void {
  const d = c.delayNs[i];
  if (Math.abs(d) > limits.maxAbsDelayNs) {
    throw inputError(c.locate(i), 'delay', `${d} ns is beyond the wire limit of ${limits.maxAbsDelayNs} ns (maxAbsDelayNs); are both timestamps in ns since the epoch?`);
  }
  if (c.sizeBytes[i] > limits.maxPacketBytes) {
    throw inputError(c.locate(i), 'size', `${c.sizeBytes[i]} bytes is beyond maxPacketBytes ${limits.maxPacketBytes}`);
  }
}
