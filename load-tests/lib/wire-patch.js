// Rewrites the two fields that move from one step of a live flow to the next in a pre-encoded
// TelemetryBatch template (scripts/load/generate.ts): every flow's base_send_ns (fixed64,
// little-endian) and base_seq (a varint kept at a fixed width of 4 bytes). k6 cannot run the
// TypeScript encoder, so the freshness script posts templates patched with this module; the
// same module is imported by scripts/load/wire-patch.test.ts, which decodes the result with
// services/core/wire/decode-batch.ts. Plain ES2017 JavaScript without BigInt, so it runs in
// k6's JavaScript engine as well as in Node.

/** base_seq values stay in [2^21, 2^28): always a 4-byte varint. */
export const SEQ_BASE = 2097152;
export const SEQ_LIMIT = 268435456;

/**
 * The 8 little-endian bytes of ms * 10^6 (ns since the epoch) for an integer ms with
 * 0 <= ms * 10^6 < 2^64 (until the year 2554), computed exactly with 16-bit limbs (doubles are
 * exact below 2^53; ms * 10^6 is not).
 */
export const MAX_MS = 18446744073709; // floor((2^64 - 1) / 10^6)
export function nsBytesFromMs(ms) {
  if (!(Number.isInteger(ms) && ms >= 0 && ms <= MAX_MS)) throw new Error(`nsBytesFromMs: ${ms} is not an integer ms in [0, ${MAX_MS}]`);
  const limbs = [ms % 65536, Math.floor(ms / 65536) % 65536, Math.floor(ms / 4294967296)];
  const out = [0, 0, 0, 0];
  let carry = 0;
  for (let i = 0; i < 4; i++) {
    // Each product is below 2^16 * 10^6 < 2^36: exact.
    const v = (i < 3 ? limbs[i] * 1000000 : 0) + carry;
    out[i] = v % 65536;
    carry = Math.floor(v / 65536);
  }
  const bytes = new Uint8Array(8);
  for (let i = 0; i < 4; i++) {
    bytes[2 * i] = out[i] & 0xff;
    bytes[2 * i + 1] = out[i] >>> 8;
  }
  return bytes;
}

/**
 * A copy of `template` (Uint8Array) with every flow's base_send_ns set to stepStartMs * 10^6 and
 * base_seq set to baseSeq[k] + step * seqPerStep[k]. sendAt[k] / seqAt[k] are the byte offsets
 * of flow k's fields (found by the generator).
 */
export function patchTemplate(template, sendAt, seqAt, baseSeq, seqPerStep, step, stepStartMs) {
  const out = new Uint8Array(template.length);
  out.set(template);
  const ns = nsBytesFromMs(stepStartMs);
  for (let k = 0; k < sendAt.length; k++) {
    out.set(ns, sendAt[k]);
    const seq = baseSeq[k] + step * seqPerStep[k];
    if (seq < SEQ_BASE || seq >= SEQ_LIMIT) throw new Error(`patchTemplate: base_seq ${seq} outside the 4-byte varint range (run too long)`);
    const at = seqAt[k];
    out[at] = (seq & 0x7f) | 0x80;
    out[at + 1] = ((seq >>> 7) & 0x7f) | 0x80;
    out[at + 2] = ((seq >>> 14) & 0x7f) | 0x80;
    out[at + 3] = (seq >>> 21) & 0x7f;
  }
  return out;
}
