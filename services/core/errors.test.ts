import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, IsochronError } from './errors.ts';

const doc = fs.readFileSync(path.resolve('docs/errors.md'), 'utf8');

describe('error registry', () => {
  it('documents every code in docs/errors.md with its HTTP status and retriable flag', () => {
    for (const s of Object.values(ERRORS)) {
      const line = doc.split('\n').find((l) => l.startsWith(`| \`${s.code}\` |`));
      expect(line, `${s.code} missing from docs/errors.md`).toBeDefined();
      const cells = line!.split('|').map((c) => c.trim());
      expect({ code: s.code, http: cells[2], retriable: cells[3] }).toEqual({ code: s.code, http: String(s.httpStatus), retriable: s.retriable ? 'yes' : 'no' });
    }
  });
  it('has unique codes, and documents no code that does not exist', () => {
    const codes = Object.values(ERRORS).map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    const documented = [...doc.matchAll(/^\| `(ISO_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...codes].sort());
  });
  it('carries code, retriable flag and status on the error object', () => {
    const e = new IsochronError('KAFKA_UNAVAILABLE', 'down', { broker: 'x' });
    expect(e).toMatchObject({ code: 'ISO_KAFKA_UNAVAILABLE', retriable: true, httpStatus: 503, details: { broker: 'x' } });
    expect(e).toBeInstanceOf(Error);
  });
});
