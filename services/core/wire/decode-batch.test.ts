// The hand-written decoder against the protobufjs reference (generated code + adapter), on the
// shared vectors in proto/testdata/ and on random batches, mutations and bytes.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsochronError } from '../errors.ts';
import { isochron } from '../../generated/proto/isochron.js';
import { buildVectors, manifestOf } from '../../../proto/testdata/generate.ts';
import { NETWORK_TYPES, type DecodedBatch } from './batch.ts';
import { createDecodeScratch, decodeBatch } from './decode-batch.ts';
import { encodeBatch, type RawBatch } from './encode-batch.ts';
import { DEFAULT_WIRE_LIMITS, resolveWireLimits, type WireLimits } from './limits.ts';
import { decodeBatchWithProtobufjs } from './protobufjs-adapter.ts';

const TESTDATA = new URL('../../../proto/testdata/', import.meta.url);

interface ManifestEntry {
  name: string;
  file: string;
  description: string;
  limits?: Record<string, number>;
  expect: { outcome: 'ok'; batch: unknown } | { outcome: 'error'; code: string };
  protobufjs?: { outcome: 'ok' | 'error'; why: string };
}
const manifest = JSON.parse(readFileSync(new URL('manifest.json', TESTDATA), 'utf8')) as { vectors: ManifestEntry[] };

/** DecodedBatch in the manifest's JSON form (64-bit values as decimal strings, arrays as arrays). */
function plain(b: DecodedBatch): unknown {
  return {
    schemaVersion: b.schemaVersion,
    identity: { ...b.identity },
    createdNs: b.createdNs.toString(),
    flows: b.flows.map((f) => ({
      flowId: f.flowId,
      seqBits: f.seqBits,
      count: f.count,
      baseSendNs: f.baseSendNs.toString(),
      seq: Array.from(f.seq),
      sendOffsetNs: Array.from(f.sendOffsetNs),
      delayNs: Array.from(f.delayNs),
      sizeBytes: Array.from(f.sizeBytes),
      flags: Array.from(f.flags),
      transferIntervalNs: f.transferIntervalNs,
      maxLatencyNs: f.maxLatencyNs,
      survivalTimeNs: f.survivalTimeNs,
    })),
    sampleCount: b.sampleCount,
  };
}

type Outcome = { ok: true; value: DecodedBatch } | { ok: false; error: IsochronError };

/** Runs a decoder; anything thrown that is not an IsochronError fails the test. */
function attempt(decode: () => DecodedBatch): Outcome {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (!(e instanceof IsochronError)) throw new Error(`decoder threw a non-IsochronError: ${String(e)}`, { cause: e });
    expect(e.code).toMatch(/^ISO_WIRE_/);
    return { ok: false, error: e };
  }
}

const sharedScratch = createDecodeScratch();

/** Both decoders (and the hand-written one with a scratch) must reach the same verdict and values. */
function expectAgreement(bytes: Uint8Array, limits: WireLimits = DEFAULT_WIRE_LIMITS): Outcome {
  const hand = attempt(() => decodeBatch(bytes, limits));
  const withScratch = attempt(() => decodeBatch(bytes, limits, sharedScratch));
  const ref = attempt(() => decodeBatchWithProtobufjs(bytes, limits));
  expect(withScratch.ok).toBe(hand.ok);
  if (hand.ok && withScratch.ok) expect(plain(withScratch.value)).toEqual(plain(hand.value));
  if (hand.ok && ref.ok) expect(plain(hand.value)).toEqual(plain(ref.value));
  else if (!hand.ok && ref.ok) {
    // The one documented difference: protobufjs skips unknown varints longer than 10 bytes.
    expect(hand.error.details?.unknownField, `hand-written rejects (${hand.error.message}) what protobufjs accepts`).toBe(true);
  } else if (hand.ok && !ref.ok) {
    throw new Error(`protobufjs rejects (${ref.error.message}) what the hand-written decoder accepts`);
  }
  return hand;
}

describe('shared test vectors (proto/testdata)', () => {
  it('the committed files are what generate.ts builds', () => {
    const built = buildVectors();
    expect(readFileSync(new URL('manifest.json', TESTDATA), 'utf8')).toBe(manifestOf(built));
    for (const v of built) {
      expect(Buffer.from(readFileSync(new URL(`${v.name}.bin`, TESTDATA))).equals(Buffer.from(v.bytes)), v.name).toBe(true);
    }
  });

  it('covers the cases the format promises to handle', () => {
    const names = manifest.vectors.map((v) => v.name);
    for (const needed of ['minimal', 'multi-flow', 'seq-wrap-16', 'seq-wrap-32', 'negative-values', 'unknown-fields-top-level',
      'unknown-fields-nested', 'unpacked-columns', 'truncated-in-tag', 'corrupt-varint-known-field', 'lying-length-prefix',
      'bad-version-2', 'mismatched-column-lengths', 'invalid-utf8-device-id', 'oversize-string']) {
      expect(names).toContain(needed);
    }
  });

  for (const v of manifest.vectors) {
    it(`${v.name}: ${v.description}`, () => {
      const bytes = new Uint8Array(readFileSync(new URL(v.file, TESTDATA)));
      const limits = resolveWireLimits(v.limits ?? {});
      const hand = attempt(() => decodeBatch(bytes, limits));
      const ref = attempt(() => decodeBatchWithProtobufjs(bytes, limits));
      if (v.expect.outcome === 'ok') {
        expect(hand.ok ? plain(hand.value) : hand.error.message).toEqual(v.expect.batch);
      } else {
        expect(hand.ok ? 'accepted' : hand.error.code).toBe(v.expect.code);
      }
      const refExpected = v.protobufjs?.outcome ?? v.expect.outcome;
      if (refExpected === 'ok') {
        expect(ref.ok ? 'ok' : ref.error.message).toBe('ok');
        if (hand.ok && ref.ok) expect(plain(ref.value)).toEqual(plain(hand.value));
      } else {
        expect(ref.ok ? 'accepted' : ref.error.code).toBe(v.expect.outcome === 'error' ? v.expect.code : 'an error');
      }
    });
  }

  it('every prefix of every valid vector gets the same verdict from both decoders', () => {
    for (const v of manifest.vectors) {
      if (v.expect.outcome !== 'ok') continue;
      const bytes = new Uint8Array(readFileSync(new URL(v.file, TESTDATA)));
      for (let n = 0; n < bytes.length; n++) expectAgreement(bytes.subarray(0, n));
    }
  });
});

// ---------------------------------------------------------------- random valid batches

interface RawSample { seq: number; offset: number; delay: number; size: number; flags: number; wraps: number }
interface RawFlowCase { flowId: string; seqBits: 16 | 32; explicit32: boolean; baseSeq: number; baseSendNs: bigint; samples: RawSample[]; req: [number, number, number] }
interface BatchCase { identity: DecodedBatch['identity']; createdNs: bigint; flows: RawFlowCase[] }

const SPAN = DEFAULT_WIRE_LIMITS.maxBatchSpanNs;
const DELAY = DEFAULT_WIRE_LIMITS.maxAbsDelayNs;
const id = fc.string({ minLength: 1, maxLength: 24, unit: 'binary' }).filter((s) => new TextEncoder().encode(s).length <= 256);
const sample = (bits: 16 | 32): fc.Arbitrary<RawSample> => fc.record({
  seq: fc.integer({ min: 0, max: 2 ** bits - 1 }),
  offset: fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.integer({ min: -SPAN, max: SPAN })),
  delay: fc.oneof(fc.integer({ min: -5000, max: 5_000_000 }), fc.integer({ min: -DELAY, max: DELAY })),
  size: fc.integer({ min: 0, max: DEFAULT_WIRE_LIMITS.maxPacketBytes }),
  flags: fc.integer({ min: 0, max: 7 }),
  wraps: fc.integer({ min: -3, max: 3 }),
});
const flowCase: fc.Arbitrary<RawFlowCase> = fc.constantFrom<16 | 32>(16, 32).chain((seqBits) => fc.record({
  flowId: id,
  seqBits: fc.constant(seqBits),
  explicit32: fc.boolean(),
  baseSeq: fc.integer({ min: 0, max: 2 ** seqBits - 1 }),
  baseSendNs: fc.bigInt(BigInt(SPAN), (1n << 64n) - 1n - BigInt(SPAN)),
  samples: fc.array(sample(seqBits), { maxLength: 40 }),
  req: fc.tuple(...[0, 1, 2].map(() => fc.oneof(fc.constant(0), fc.integer({ min: 0, max: DEFAULT_WIRE_LIMITS.maxRequirementNs })))) as fc.Arbitrary<[number, number, number]>,
}));
const batchCase: fc.Arbitrary<BatchCase> = fc.record({
  identity: fc.record({
    enterpriseId: id,
    siteId: fc.oneof(fc.constant(''), id),
    networkType: fc.constantFrom(...NETWORK_TYPES),
    segmentId: fc.oneof(fc.constant(''), id),
    deviceId: id,
  }),
  createdNs: fc.bigInt(0n, (1n << 64n) - 1n),
  flows: fc.array(flowCase, { maxLength: 5 }),
});

/** What any decoder must return, written from the absolute values (no deltas involved). */
function expected(c: BatchCase): unknown {
  return {
    schemaVersion: 1,
    identity: c.identity,
    createdNs: c.createdNs.toString(),
    flows: c.flows.map((f) => ({
      flowId: f.flowId, seqBits: f.seqBits, count: f.samples.length, baseSendNs: f.baseSendNs.toString(),
      seq: f.samples.map((s) => s.seq), sendOffsetNs: f.samples.map((s) => s.offset), delayNs: f.samples.map((s) => s.delay),
      sizeBytes: f.samples.map((s) => s.size), flags: f.samples.map((s) => s.flags),
      transferIntervalNs: f.req[0], maxLatencyNs: f.req[1], survivalTimeNs: f.req[2],
    })),
    sampleCount: c.flows.reduce((n, f) => n + f.samples.length, 0),
  };
}

function toRaw(c: BatchCase): RawBatch {
  return {
    identity: c.identity,
    createdNs: c.createdNs,
    flows: c.flows.map((f) => ({
      flowId: f.flowId, seqBits: f.seqBits, baseSeq: f.baseSeq, baseSendNs: f.baseSendNs,
      seq: f.samples.map((s) => s.seq), sendOffsetNs: f.samples.map((s) => s.offset), delayNs: f.samples.map((s) => s.delay),
      sizeBytes: f.samples.map((s) => s.size), flags: f.samples.map((s) => s.flags),
      transferIntervalNs: f.req[0], maxLatencyNs: f.req[1], survivalTimeNs: f.req[2],
    })),
  };
}

const long = (v: bigint): number => ({ low: Number(v & 0xffff_ffffn) | 0, high: Number(v >> 32n) | 0 }) as unknown as number;

/**
 * The same batch through protobufjs' encoder, with sequence deltas deliberately NOT the shortest
 * (each goes `wraps` extra times round the circle): decoders must reduce mod 2^seqBits.
 */
function encodeWithProtobufjs(c: BatchCase): Uint8Array {
  return isochron.telemetry.v1.TelemetryBatch.encode({
    schemaVersion: 1,
    identity: { ...c.identity, networkType: NETWORK_TYPES.indexOf(c.identity.networkType) },
    createdNs: long(c.createdNs),
    flows: c.flows.map((f) => {
      const modulus = 2 ** f.seqBits;
      let prevSeq = f.baseSeq;
      let prevOffset = 0;
      return {
        flowId: f.flowId,
        seqBits: f.seqBits === 16 ? 16 : f.explicit32 ? 32 : 0,
        baseSendNs: long(f.baseSendNs),
        baseSeq: f.baseSeq,
        seqDelta: f.samples.map((s) => {
          const d = s.seq - prevSeq + s.wraps * modulus;
          prevSeq = s.seq;
          return d;
        }),
        sendDeltaNs: f.samples.map((s) => {
          const d = s.offset - prevOffset;
          prevOffset = s.offset;
          return d;
        }),
        delayNs: f.samples.map((s) => s.delay),
        sizeBytes: f.samples.map((s) => s.size),
        flags: f.samples.map((s) => s.flags),
        transferIntervalNs: f.req[0],
        maxLatencyNs: f.req[1],
        survivalTimeNs: f.req[2],
      };
    }),
  }).finish();
}

describe('random valid batches', () => {
  it('decode to their absolute values, whichever encoder and decoder', () => {
    fc.assert(fc.property(batchCase, (c) => {
      const want = expected(c);
      for (const bytes of [encodeBatch(toRaw(c)), encodeWithProtobufjs(c)]) {
        const got = expectAgreement(bytes);
        expect(got.ok ? plain(got.value) : got.error.message).toEqual(want);
      }
    }), { numRuns: 300 });
  });

  it('round-trip: encodeBatch(decodeBatch(x)) decodes to the same batch', () => {
    fc.assert(fc.property(batchCase, (c) => {
      const first = decodeBatch(encodeWithProtobufjs(c));
      expect(plain(decodeBatch(encodeBatch(first)))).toEqual(plain(first));
    }), { numRuns: 100 });
  });
});

// ---------------------------------------------------------------- hostile input

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x7f, 0x80, 0xff)) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'set' && at < out.length) out[at] = m.byte;
    else if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'insert') out = Uint8Array.from([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    else if (m.kind === 'delete') out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + m.len)]);
  }
  return out;
}

describe('hostile input', () => {
  it('mutated valid batches: only IsochronError, and both decoders agree', () => {
    fc.assert(fc.property(batchCase, fc.array(mutation, { minLength: 1, maxLength: 4 }), (c, ms) => {
      expectAgreement(mutate(encodeBatch(toRaw(c)), ms));
    }), { numRuns: 2000 });
  });

  it('mutated shared vectors: only IsochronError, and both decoders agree', () => {
    const files = manifest.vectors.map((v) => new Uint8Array(readFileSync(new URL(v.file, TESTDATA))));
    fc.assert(fc.property(fc.nat(files.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (i, ms) => {
      expectAgreement(mutate(files[i], ms));
    }), { numRuns: 2000 });
  });

  it('random bytes: only IsochronError, and both decoders agree', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expectAgreement(bytes);
    }), { numRuns: 2000 });
  });

  it('a length prefix near 2 GiB allocates nothing: rejected as truncated', () => {
    const bytes = Uint8Array.from([0x08, 0x01, 0x1a, 0xfe, 0xff, 0xff, 0xff, 0x07, 0x0a]);
    expect(attempt(() => decodeBatch(bytes))).toMatchObject({ ok: false, error: { code: 'ISO_WIRE_TRUNCATED' } });
  });
});

describe('scratch', () => {
  it('results alias the scratch until the next decode with it', () => {
    const scratch = createDecodeScratch();
    const raw = (delay: number): RawBatch => ({
      identity: { enterpriseId: 'e', siteId: '', networkType: 'tsn', segmentId: '', deviceId: 'd' },
      flows: [{ flowId: 'f', seq: [1, 2], baseSendNs: 1000n, sendOffsetNs: [0, 10], delayNs: [delay, delay], sizeBytes: [1, 1], flags: [1, 1] }],
    });
    const first = decodeBatch(encodeBatch(raw(5)), DEFAULT_WIRE_LIMITS, scratch);
    expect(Array.from(first.flows[0].delayNs)).toEqual([5, 5]);
    decodeBatch(encodeBatch(raw(7)), DEFAULT_WIRE_LIMITS, scratch);
    expect(Array.from(first.flows[0].delayNs)).toEqual([7, 7]);
    const own = decodeBatch(encodeBatch(raw(9)));
    decodeBatch(encodeBatch(raw(11)));
    expect(Array.from(own.flows[0].delayNs)).toEqual([9, 9]);
  });
});

describe('input views', () => {
  it('a Node Buffer at a non-zero offset of a larger allocation decodes like a fresh Uint8Array', () => {
    const bytes = new Uint8Array(readFileSync(new URL('multi-flow.bin', TESTDATA)));
    const backing = Buffer.alloc(bytes.length + 13, 0xff);
    backing.set(bytes, 7);
    const view = backing.subarray(7, 7 + bytes.length);
    expect(plain(decodeBatch(view))).toEqual(plain(decodeBatch(bytes)));
    expect(plain(decodeBatchWithProtobufjs(view))).toEqual(plain(decodeBatch(bytes)));
  });
});
