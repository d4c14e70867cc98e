// The JavaScript module k6 uses to move fresh templates to the wall clock, checked against the
// project's decoder: a patched template must decode to the same samples shifted to the step's
// start time and sequence numbers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBatch } from '../../services/core/wire/decode-batch.ts';
import { MAX_MS, nsBytesFromMs, patchTemplate, SEQ_BASE } from '../../load-tests/lib/wire-patch.js';
import { generateFresh, generateIngest } from './generate.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-load-gen-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const id = { enterpriseId: 'ent-load', identifierPrefix: '88.990.1' };

describe('wire-patch.js', () => {
  it('nsBytesFromMs writes ms * 10^6 as a little-endian 64-bit integer, exactly (BigInt reference)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MS }), (ms) => {
        expect(Buffer.from(nsBytesFromMs(ms)).readBigUInt64LE(0)).toBe(BigInt(ms) * 1_000_000n);
      }),
      { numRuns: 2000 },
    );
    expect(BigInt(MAX_MS) * 1_000_000n).toBeLessThan(2n ** 64n);
    expect(BigInt(MAX_MS + 1) * 1_000_000n).toBeGreaterThanOrEqual(2n ** 64n);
    for (const ms of [0, 1, 65535, 65536, 4294967295, 4294967296, 1_767_225_600_000, MAX_MS]) {
      expect(Buffer.from(nsBytesFromMs(ms)).readBigUInt64LE(0)).toBe(BigInt(ms) * 1_000_000n);
    }
    expect(() => nsBytesFromMs(MAX_MS + 1)).toThrow();
    expect(() => nsBytesFromMs(-1)).toThrow();
    expect(() => nsBytesFromMs(1.5)).toThrow();
  });

  it('a patched fresh template decodes to the template samples moved to the step start and its sequence numbers', () => {
    const m = generateFresh(dir, id, { devices: 3, flowsPerDevice: 4, stepMs: 200 });
    const all = fs.readFileSync(m.file);
    expect(m.templates).toHaveLength(3);
    for (const t of m.templates) {
      const template = new Uint8Array(all.subarray(t.offset, t.offset + t.length));
      const before = decodeBatch(template);
      expect(before.identity.deviceId).toBe(t.deviceId);
      expect(before.identity.deviceId.startsWith('88.990.1/')).toBe(true);
      expect(before.sampleCount).toBe(t.samples);
      for (const [step, startMs] of [
        [0, 1_767_225_600_000],
        [7, 1_767_225_601_400],
        [12_345, 1_767_228_069_000],
      ] as const) {
        const after = decodeBatch(patchTemplate(template, t.sendAt, t.seqAt, t.baseSeq, t.seqPerStep, step, startMs));
        expect(after.identity).toEqual(before.identity);
        expect(after.sampleCount).toBe(before.sampleCount);
        after.flows.forEach((f, k) => {
          const b = before.flows[k];
          expect(f.flowId).toBe(b.flowId);
          expect(f.baseSendNs).toBe(BigInt(startMs) * 1_000_000n);
          // Offsets, delays, sizes and flags are untouched; only the reference points moved.
          expect(Array.from(f.sendOffsetNs)).toEqual(Array.from(b.sendOffsetNs));
          expect(Array.from(f.delayNs)).toEqual(Array.from(b.delayNs));
          expect(Array.from(f.sizeBytes)).toEqual(Array.from(b.sizeBytes));
          expect(Array.from(f.flags)).toEqual(Array.from(b.flags));
          expect(Array.from(f.seq)).toEqual(Array.from(b.seq, (s) => s + step * t.seqPerStep[k]));
          // Every send time lies inside the step: consecutive steps continue each other.
          for (const off of f.sendOffsetNs) expect(off >= 0 && off < m.stepMs * 1e6).toBe(true);
          expect(Math.min(...b.seq)).toBe(SEQ_BASE);
        });
      }
    }
  });

  it('ingest bodies are device batches of the load enterprises, each under its own identifier prefix', () => {
    const other = { enterpriseId: 'ent-load-2', identifierPrefix: '88.990.2' };
    const m = generateIngest(dir, [id, other], { devices: 8, flowsPerDevice: 8, intervalMs: 1000, startMs: 1_767_225_600_000 });
    const all = fs.readFileSync(m.file);
    let total = 0;
    for (const b of m.bodies) {
      const d = decodeBatch(new Uint8Array(all.subarray(b.offset, b.offset + b.length)));
      expect(d.sampleCount).toBe(b.samples);
      const owner = [id, other][b.tenant];
      expect(d.identity.enterpriseId).toBe(owner.enterpriseId);
      expect(d.identity.deviceId).toBe(b.deviceId);
      expect(b.deviceId.startsWith(`${owner.identifierPrefix}/`)).toBe(true);
      expect(b.samples).toBeGreaterThan(0);
      total += b.samples;
    }
    expect(m.meanSamplesPerBody).toBeCloseTo(total / m.bodies.length, 9);
  });
});
