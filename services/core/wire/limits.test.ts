import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, IsochronError } from '../errors.ts';
import { DEFAULT_WIRE_LIMITS, resolveWireLimits } from './limits.ts';

const DOC = readFileSync(new URL('../../../docs/wire-format.md', import.meta.url), 'utf8');

describe('resolveWireLimits', () => {
  it('defaults: 4 MiB, 10 000 flows, 500 000 samples, 256-byte strings, 1 h span', () => {
    expect(resolveWireLimits()).toEqual(DEFAULT_WIRE_LIMITS);
    expect(DEFAULT_WIRE_LIMITS).toMatchObject({
      maxBatchBytes: 4 * 1024 * 1024,
      maxFlowsPerBatch: 10_000,
      maxSamplesPerBatch: 500_000,
      maxStringBytes: 256,
      maxBatchSpanNs: 3600 * 1e9,
    });
    expect(Object.isFrozen(DEFAULT_WIRE_LIMITS)).toBe(true);
  });

  it('applies overrides and freezes the result', () => {
    const limits = resolveWireLimits({ maxBatchBytes: 1024, maxStringBytes: 64 });
    expect(limits).toEqual({ ...DEFAULT_WIRE_LIMITS, maxBatchBytes: 1024, maxStringBytes: 64 });
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it('reports every problem at once: unknown keys, non-integers, out-of-range values', () => {
    let error: unknown;
    try {
      resolveWireLimits({ maxBatchByte: 5, maxFlowsPerBatch: 1.5, maxStringBytes: 0, maxBatchSpanNs: 2 ** 53 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IsochronError);
    const e = error as IsochronError;
    expect(e.code).toBe('ISO_CONFIG_INVALID');
    expect(e.details?.problems).toHaveLength(4);
    for (const key of ['maxBatchByte', 'maxFlowsPerBatch', 'maxStringBytes', 'maxBatchSpanNs']) expect(e.message).toContain(key);
  });
});

describe('docs/wire-format.md', () => {
  it('lists every limit with its default', () => {
    for (const [key, value] of Object.entries(DEFAULT_WIRE_LIMITS)) {
      expect(DOC).toMatch(new RegExp(`\\| \`${key}\` \\| ${value}\\b`));
    }
  });

  it('documents every ISO_WIRE_* error code', () => {
    const codes = Object.values(ERRORS).map((s) => s.code).filter((c) => c.startsWith('ISO_WIRE_'));
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(DOC).toContain(`| \`${code}\` |`);
  });
});
