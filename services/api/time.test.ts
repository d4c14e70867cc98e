import { describe, expect, it } from 'vitest';
import { isIsochronError } from '../core/errors.ts';
import { formatTimestampNs, parseRange, parseTimestampNs } from './time.ts';

const code = (f: () => unknown) => {
  try {
    f();
    return 'none';
  } catch (e) {
    return isIsochronError(e) ? e.code : String(e);
  }
};

describe('RFC 3339 UTC timestamps', () => {
  it('convert exactly to Unix ns (expected values from date -u +%s)', () => {
    // date -u -d 2025-11-20T00:00:00Z +%s -> 1763596800
    expect(parseTimestampNs('2025-11-20T00:00:00Z', 'from')).toBe(1_763_596_800_000_000_000n);
    expect(parseTimestampNs('1970-01-01T00:00:00Z', 'from')).toBe(0n);
    expect(parseTimestampNs('2024-02-29T23:59:59.123456789Z', 'from')).toBe(1_709_251_199_123_456_789n);
    expect(parseTimestampNs('2024-02-29T23:59:59.5Z', 'from')).toBe(1_709_251_199_500_000_000n);
  });

  it('reject other spellings, impossible dates and leap seconds', () => {
    for (const bad of ['2025-11-20', '2025-11-20T00:00:00', '2025-11-20T00:00:00+00:00', '2025-11-20 00:00:00Z', '2025-11-20T00:00:00.1234567890Z', '2025-02-29T00:00:00Z', '2025-04-31T00:00:00Z', '2025-13-01T00:00:00Z', '2025-11-20T24:00:00Z', '2016-12-31T23:59:60Z', '1969-12-31T23:59:59Z', '1763596800', '']) {
      expect(code(() => parseTimestampNs(bad, 'from')), bad).toBe('ISO_API_BAD_REQUEST');
    }
  });

  it('never echo the value in the message', () => {
    try {
      parseTimestampNs("<script>' OR 1=1", 'from');
    } catch (e) {
      expect((e as Error).message).not.toMatch(/script|OR 1=1/);
    }
  });

  it('format back to the same text', () => {
    for (const t of ['2025-11-20T00:00:00Z', '2024-02-29T23:59:59.123456789Z', '2001-01-01T00:00:00.000000001Z']) expect(formatTimestampNs(parseTimestampNs(t, 't'))).toBe(t);
  });

  it('bound ranges: non-empty and at most the maximum', () => {
    const day = 86_400_000_000_000n;
    expect(parseRange('2025-11-20T00:00:00Z', '2025-11-21T00:00:00Z', day)).toEqual({ fromNs: 1_763_596_800_000_000_000n, toNs: 1_763_596_800_000_000_000n + day });
    expect(code(() => parseRange('2025-11-20T00:00:00Z', '2025-11-20T00:00:00Z', day))).toBe('ISO_API_BAD_REQUEST');
    expect(code(() => parseRange('2025-11-20T00:00:00Z', '2025-11-21T00:00:00.000000001Z', day))).toBe('ISO_API_BAD_REQUEST');
  });
});
