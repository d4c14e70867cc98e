import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG, validateEngineConfig } from './config.ts';
import { isIsochronError } from '../errors.ts';
import { MetricEngine } from './engine.ts';

describe('engine config', () => {
  it('accepts the defaults and freezes the result', () => {
    const c = validateEngineConfig({});
    expect(c).toEqual(DEFAULT_ENGINE_CONFIG);
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('reports every problem at once with CONFIG_INVALID, unknown keys included', () => {
    let err: unknown;
    try {
      new MetricEngine({ windowNs: 0, seqMaxMisorder: 100, downtimeOrigin: 'sometimes', windowSize: 5 } as never);
    } catch (e) {
      err = e;
    }
    expect(isIsochronError(err)).toBe(true);
    const e = err as { code: string; message: string; details: { problems: string[] } };
    expect(e.code).toBe('ISO_CONFIG_INVALID');
    expect(e.details.problems).toHaveLength(4);
    expect(e.message).toMatch(/windowSize: unknown setting/);
    expect(e.message).toMatch(/windowNs: got 0/);
    expect(e.message).toMatch(/seqMaxMisorder: got 100; use a power of two/);
    expect(e.message).toMatch(/downtimeOrigin/);
  });
  it('rejects non-integer and out-of-range numbers with the fix', () => {
    expect(() => validateEngineConfig({ allowedLatenessNs: 1.5 })).toThrow(/allowedLatenessNs: got 1.5; use a non-negative ns value/);
    expect(() => validateEngineConfig({ reorderExtentCap: 128, seqMaxDropout32: 2 ** 24 })).toThrow(/must stay below 2\^31/);
  });
});
