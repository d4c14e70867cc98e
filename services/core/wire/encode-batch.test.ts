import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Identity } from './batch.ts';
import { decodeBatch } from './decode-batch.ts';
import { encodeBatch, shortestSeqDelta, type RawBatch, type RawFlow } from './encode-batch.ts';

const TESTDATA = new URL('../../../proto/testdata/', import.meta.url);
const ID: Identity = { enterpriseId: 'acme', siteId: '', networkType: 'tsn', segmentId: '', deviceId: 'dev' };

describe('shortestSeqDelta', () => {
  it.each([
    [65_535, 0, 16, 1],
    [0, 65_535, 16, -1],
    [0, 32_767, 16, 32_767],
    [0, 32_768, 16, -32_768],
    [4_294_967_295, 0, 32, 1],
    [0, 4_294_967_295, 32, -1],
    [0, 2_147_483_648, 32, -2_147_483_648],
    [7, 7, 32, 0],
  ])('from %d to %d on %d bits is %d', (from, to, bits, want) => {
    expect(shortestSeqDelta(from, to, bits)).toBe(want);
  });
});

describe('encodeBatch', () => {
  /** The manifest's expected batch, read back as a RawBatch (64-bit values are decimal strings there). */
  function rawFromManifest(name: string, baseSeqs: Record<number, number> = {}): RawBatch {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', TESTDATA), 'utf8')) as {
      vectors: { name: string; expect: { batch: { identity: Identity; createdNs: string; flows: (RawFlow & { baseSendNs: string })[] } } }[];
    };
    const b = manifest.vectors.find((v) => v.name === name)!.expect.batch;
    return {
      identity: b.identity,
      createdNs: BigInt(b.createdNs),
      flows: b.flows.map((f, i) => ({ ...f, baseSendNs: BigInt(f.baseSendNs), ...(i in baseSeqs ? { baseSeq: baseSeqs[i] } : {}) })),
    };
  }

  it.each([
    ['minimal', {}],
    ['empty-flow', {}],
    ['no-flows', {}],
    ['negative-values', {}],
    ['multi-flow', { 2: 0 }],
  ] as const)('writes the canonical bytes of the independently built vector %s', (name, baseSeqs) => {
    const want = readFileSync(new URL(`${name}.bin`, TESTDATA));
    expect(Buffer.from(encodeBatch(rawFromManifest(name, baseSeqs))).toString('hex')).toBe(want.toString('hex'));
  });

  it('absolute send times and offsets from a base encode the same', () => {
    const common = { flowId: 'f', seq: [1, 2, 3], delayNs: [5, 6, 7], sizeBytes: [1, 2, 3], flags: [1, 3, 1] };
    const absolute = encodeBatch({ identity: ID, flows: [{ ...common, sendNs: [1_000_000_000_000n, 1_000_000_000_500n, 999_999_999_900n] }] });
    const relative = encodeBatch({ identity: ID, flows: [{ ...common, baseSendNs: 1_000_000_000_000n, sendOffsetNs: [0, 500, -100] }] });
    expect(Buffer.from(absolute).equals(Buffer.from(relative))).toBe(true);
    expect(Array.from(decodeBatch(absolute).flows[0].sendOffsetNs)).toEqual([0, 500, -100]);
  });

  it('takes sequence deltas the short way round (a 16-bit wrap costs one byte)', () => {
    const bytes = encodeBatch({
      identity: ID,
      flows: [{ flowId: 'f', seqBits: 16, seq: [65_535, 0, 65_535], baseSendNs: 1n, sendOffsetNs: [0, 0, 0], delayNs: [0, 0, 0], sizeBytes: [0, 0, 0], flags: [0, 0, 0] }],
    });
    // seq_delta column: tag 0x2a, length 3, zigzag(0) zigzag(+1) zigzag(-1)
    expect(Buffer.from(bytes).includes(Buffer.from([0x2a, 0x03, 0x00, 0x02, 0x01]))).toBe(true);
    expect(Array.from(decodeBatch(bytes).flows[0].seq)).toEqual([65_535, 0, 65_535]);
  });

  it.each<[string, Partial<RawFlow>]>([
    ['columns of different lengths', { delayNs: [1] }],
    ['a sequence number wider than seqBits', { seqBits: 16, seq: [65_536, 1] }],
    ['a fractional delay', { delayNs: [1.5, 2] }],
    ['seqBits other than 16 or 32', { seqBits: 8 }],
    ['offsets without a base', { baseSendNs: undefined }],
  ])('rejects %s with ISO_WIRE_INVALID', (_, patch) => {
    const flow: RawFlow = { flowId: 'f', seq: [1, 2], baseSendNs: 5n, sendOffsetNs: [0, 1], delayNs: [1, 2], sizeBytes: [1, 1], flags: [1, 1], ...patch };
    expect(() => encodeBatch({ identity: ID, flows: [flow] })).toThrow(expect.objectContaining({ code: 'ISO_WIRE_INVALID' }));
  });
});
