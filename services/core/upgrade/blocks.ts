// The resampling unit of upgrade validation: a block of whole minutes of one period. The data
// come from the 1 min rollups (base windows of 1 s would be too many units: 86 400 a day, and a
// bootstrap over them would cost memory and time in proportion). A period of M minutes is cut
// into blocks of k = ceil(M / MAX_BLOCKS) minutes, aligned to the period's start, so no period
// yields more than MAX_BLOCKS blocks and the same period always yields the same blocks.
import { IsochronError } from '../errors.ts';

export const MINUTE_NS = 60_000_000_000n;
/** At most this many blocks per period (12 h of 1 min blocks; 30 days become 1 h blocks). */
export const MAX_BLOCKS = 720;

export interface PeriodNs {
  readonly fromNs: bigint;
  readonly toNs: bigint;
}

/** Block length for a period: whole minutes, at least one, at most MAX_BLOCKS blocks. */
export function blockLengthNs(period: PeriodNs, maxBlocks: number = MAX_BLOCKS): bigint {
  const span = period.toNs - period.fromNs;
  const minutes = (span + MINUTE_NS - 1n) / MINUTE_NS;
  const cap = BigInt(maxBlocks);
  const k = minutes <= cap ? 1n : (minutes + cap - 1n) / cap;
  return k * MINUTE_NS;
}

/**
 * Periods as the API receives them: each non-empty, the baseline ends before the after period
 * begins (an upgrade happens between them), all within UInt64 ns.
 */
export function checkPeriods(baseline: PeriodNs, after: PeriodNs): void {
  const bad = (message: string) => {
    throw new IsochronError('UPGRADE_REQUEST_INVALID', message, {
      baseline: `${baseline.fromNs}..${baseline.toNs}`, after: `${after.fromNs}..${after.toNs}`,
    });
  };
  for (const [name, p] of [['baseline', baseline], ['after', after]] as const) {
    if (typeof p.fromNs !== 'bigint' || typeof p.toNs !== 'bigint') bad(`${name} period bounds must be bigint ns`);
    if (p.fromNs < 0n || p.toNs > 0xffffffffffffffffn) bad(`${name} period lies outside UInt64 ns`);
    if (p.fromNs >= p.toNs) bad(`${name} period is empty: fromNs must be before toNs`);
  }
  if (baseline.toNs > after.fromNs) bad('the baseline period must end before the after period begins');
}
