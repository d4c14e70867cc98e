// The programme audit's fast row serialisation equals the generic canonical JSON it replaces.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/compliance/catalog.ts';
import { contentHash } from './hash.ts';
import { canonicalRowJson, rowsSha256, type ProgrammeAuditRow } from './programme.ts';

const row = (over: Partial<ProgrammeAuditRow>): ProgrammeAuditRow => ({
  enterpriseId: 'ent-1', name: 'Alpha "A", \u00e9\n', region: '=r', industry: '', networkTypes: ['5g', 'tsn'], profiles: ['p@1', 'q@2'],
  status: 'fail', flows: { pass: 1, fail: 2, insufficient_data: 3, no_profile: 4, total: 10 }, failingThresholds: ['delay', 'lossRatio'], unverified: true,
  windows: 7200, sentPackets: 123456789012, lostPackets: -3, lossRatio: 1.5e-7, owdMaxNs: 80000000, worstAvailability: 0.999999, ...over,
});

describe('canonicalRowJson', () => {
  it('is canonicalJson for every field shape (nulls, empty lists, negative and fractional numbers, escapes)', () => {
    const rows = [row({}), row({ networkTypes: [], profiles: [], failingThresholds: [], lossRatio: null, owdMaxNs: null, worstAvailability: null, unverified: false, status: 'no_data' })];
    for (const r of rows) expect(canonicalRowJson(r)).toBe(canonicalJson(r));
    expect(rowsSha256(rows)).toBe(contentHash(rows));
    expect(rowsSha256([])).toBe(contentHash([]));
  });
});
