// The audit's pure helpers: period slicing, worst-of combination, CSV records, fingerprints.
import { describe, expect, it } from 'vitest';
import { auditSlices, DAY_NS, HOUR_NS } from './audit-period.ts';
import { levelVerdict, rollUpVerdicts, worstOf } from './combine.ts';
import { csvCell, csvRecord } from './csv.ts';
import { addFingerprints, EMPTY_FINGERPRINT, fingerprintJson, parseFingerprint } from './fingerprint.ts';
import { isIsochronError } from '../errors.ts';

const D = 20_000n * DAY_NS; // a UTC midnight

describe('auditSlices', () => {
  it('reads whole UTC days from 1 d rows and the partial days from 1 h rows', () => {
    expect(auditSlices(D - 2n * HOUR_NS, D + 2n * DAY_NS + 3n * HOUR_NS)).toEqual([
      { period: '1h', fromNs: D - 2n * HOUR_NS, toNs: D },
      { period: '1d', fromNs: D, toNs: D + 2n * DAY_NS },
      { period: '1h', fromNs: D + 2n * DAY_NS, toNs: D + 2n * DAY_NS + 3n * HOUR_NS },
    ]);
    expect(auditSlices(D, D + DAY_NS)).toEqual([{ period: '1d', fromNs: D, toNs: D + DAY_NS }]);
    expect(auditSlices(D + HOUR_NS, D + 5n * HOUR_NS)).toEqual([{ period: '1h', fromNs: D + HOUR_NS, toNs: D + 5n * HOUR_NS }]);
    // Covers every hour exactly once.
    const slices = auditSlices(D - 5n * HOUR_NS, D + 3n * DAY_NS + HOUR_NS);
    let covered = 0n;
    for (const s of slices) covered += s.toNs - s.fromNs;
    expect(covered).toBe(3n * DAY_NS + 6n * HOUR_NS);
  });

  it('refuses unaligned, empty and overlong periods with ISO_AUDIT_PERIOD_INVALID naming the aligned bound', () => {
    const err = (f: bigint, t: bigint) => { try { auditSlices(f, t); return null; } catch (e) { return isIsochronError(e) ? e : null; } };
    const e1 = err(D + 1n, D + DAY_NS);
    expect(e1?.code).toBe('ISO_AUDIT_PERIOD_INVALID');
    expect(e1?.message).toContain(`use ${D}`);
    expect(err(D, D)?.code).toBe('ISO_AUDIT_PERIOD_INVALID');
    expect(err(D, D + 3661n * DAY_NS)?.code).toBe('ISO_AUDIT_PERIOD_INVALID');
    expect(err(D, D + HOUR_NS - 1n)?.message).toContain(`use ${D + HOUR_NS}`);
  });
});

describe('worst-of combination', () => {
  it('orders fail > insufficient_data > pass and ignores flows without a profile', () => {
    expect(worstOf(['pass', 'insufficient_data', 'pass'])).toBe('insufficient_data');
    expect(worstOf(['pass', 'fail', 'insufficient_data'])).toBe('fail');
    expect(worstOf([])).toBeNull();
    expect(levelVerdict([])).toEqual({ verdict: 'no_data', flows: { pass: 0, fail: 0, insufficient_data: 0, no_profile: 0 } });
    expect(levelVerdict(['no_profile', 'no_profile']).verdict).toBe('no_profile');
    expect(levelVerdict(['no_profile', 'pass']).verdict).toBe('pass');
  });

  it('rolls flows up to devices within sites, sites and the enterprise', () => {
    const h = rollUpVerdicts([
      { siteId: 's2', deviceId: 'd1', status: 'pass' },
      { siteId: 's1', deviceId: 'd2', status: 'insufficient_data' },
      { siteId: 's1', deviceId: 'd1', status: 'pass' },
      { siteId: 's1', deviceId: 'd1', status: 'fail' },
      // Same device id under another site is another device.
      { siteId: 's2', deviceId: 'd2', status: 'no_profile' },
    ]);
    expect(h.devices.map((d) => [d.siteId, d.deviceId, d.verdict])).toEqual([['s1', 'd1', 'fail'], ['s1', 'd2', 'insufficient_data'], ['s2', 'd1', 'pass'], ['s2', 'd2', 'no_profile']]);
    expect(h.sites.map((s) => [s.siteId, s.verdict])).toEqual([['s1', 'fail'], ['s2', 'pass']]);
    expect(h.enterprise).toEqual({ verdict: 'fail', flows: { pass: 2, fail: 1, insufficient_data: 1, no_profile: 1 } });
  });
});

describe('CSV records (RFC 4180 §2, formula neutralisation)', () => {
  it('quotes fields with comma, quote, CR or LF and doubles quotes; ends records with CRLF', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', null, 3, 0.5])).toBe('a,"b,c","say ""hi""","two\nlines",,3,0.5\r\n');
  });
  it('prefixes text starting with = + - @ TAB or CR with a quote, never numbers', () => {
    expect(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', 'plain', 'a=b'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "\"'\rx\"", 'plain', 'a=b']);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
  });
});

describe('data fingerprints', () => {
  it('add modulo 2^64 whatever the order, and round-trip through JSON', () => {
    const a = { rows: 2n, windows: 7200n, hash: (1n << 64n) - 5n };
    const b = { rows: 1n, windows: 3600n, hash: 9n };
    expect(addFingerprints(a, b)).toEqual({ rows: 3n, windows: 10800n, hash: 4n });
    expect(addFingerprints(b, a)).toEqual(addFingerprints(a, b));
    expect(addFingerprints(EMPTY_FINGERPRINT, a)).toEqual(a);
    expect(fingerprintJson({ rows: 1n, windows: 2n, hash: 255n })).toEqual({ rows: '1', windows: '2', hash: '00000000000000ff' });
    expect(parseFingerprint(fingerprintJson(a))).toEqual(a);
  });
});
