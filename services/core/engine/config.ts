// Metric engine configuration: one validated, frozen object. validateEngineConfig() reports every
// problem at once, each with the fix, and rejects unknown keys (a typo must not silently fall back
// to a default in a compliance audit). docs/metrics.md section "Settings" lists the same keys.
import { IsochronError } from '../errors.ts';

export type DowntimeOrigin = 'survival_expiry' | 'first_failure';

export interface EngineConfig {
  /** Tumbling event-time window length (t_send). */
  windowNs: number;
  /** How long a window waits for late packets; also the loss waiting time Tmax (RFC 7679 §3.4). */
  allowedLatenessNs: number;
  /** Rule (b): extra delay behind the partition's leading flow before a quiet flow's windows close. */
  flowIdleGraceNs: number;
  /** Rule (c): processing time without any data after which an idle partition closes windows. */
  partitionIdleTimeoutNs: number;
  /** Allowed difference between sender clocks and the worker clock (rule (c), future check). */
  maxClockSkewNs: number;
  /** Flows tracked at once; samples of further flows are counted as flow_state_full. */
  maxFlows: number;
  /** A flow with no open window this far (event time) behind its partition's leader is forgotten. */
  flowEvictAfterNs: number;
  /** RFC 3550 A.1 MAX_DROPOUT for 16-bit sequence numbers. */
  seqMaxDropout16: number;
  /** Same for 32-bit sequence numbers. */
  seqMaxDropout32: number;
  /** RFC 3550 A.1 MAX_MISORDER (both widths, a power of two); also the duplicate-detection span in packets. */
  seqMaxMisorder: number;
  /** H of RFC 4737 §6: reordering extents are exact below H and reported as H (">= H") above. */
  reorderExtentCap: number;
  /** Used when a flow does not declare them in the batch (0 = unknown). */
  defaultTransferIntervalNs: number;
  defaultMaxLatencyNs: number;
  defaultSurvivalTimeNs: number;
  /** Where a down interval starts (METRICS.md §7, not fixed by TS 22.104 text). */
  downtimeOrigin: DowntimeOrigin;
}

export const DEFAULT_ENGINE_CONFIG: Readonly<EngineConfig> = Object.freeze({
  windowNs: 1_000_000_000,
  allowedLatenessNs: 3_000_000_000,
  flowIdleGraceNs: 10_000_000_000,
  partitionIdleTimeoutNs: 10_000_000_000,
  maxClockSkewNs: 1_000_000_000,
  maxFlows: 1_000_000,
  flowEvictAfterNs: 300_000_000_000,
  seqMaxDropout16: 3000,
  seqMaxDropout32: 16_777_216,
  seqMaxMisorder: 1024,
  reorderExtentCap: 32,
  defaultTransferIntervalNs: 0,
  defaultMaxLatencyNs: 0,
  defaultSurvivalTimeNs: 0,
  downtimeOrigin: 'survival_expiry',
});

const NS_LIMIT = 2 ** 50; // keeps every derived sum of settings an exact integer in a Number

type IntRule = { min: number; max: number; fix: string };

const INT_RULES: Record<Exclude<keyof EngineConfig, 'downtimeOrigin'>, IntRule> = {
  windowNs: { min: 1_000_000, max: 86_400_000_000_000, fix: 'use 1 ms .. 1 day, e.g. 1000000000 for 1 s' },
  allowedLatenessNs: { min: 0, max: NS_LIMIT, fix: 'use a non-negative ns value, e.g. 3000000000 (Y.1540 Tmax)' },
  flowIdleGraceNs: { min: 0, max: NS_LIMIT, fix: 'use a non-negative ns value, e.g. 10000000000' },
  partitionIdleTimeoutNs: { min: 1, max: NS_LIMIT, fix: 'use a positive ns value, e.g. 10000000000' },
  maxClockSkewNs: { min: 0, max: NS_LIMIT, fix: 'use a non-negative ns value, e.g. 1000000000' },
  maxFlows: { min: 1, max: 50_000_000, fix: 'use 1 .. 50000000' },
  flowEvictAfterNs: { min: 0, max: NS_LIMIT, fix: 'use a non-negative ns value, e.g. 300000000000' },
  seqMaxDropout16: { min: 1, max: 2 ** 15 - 1, fix: 'use 1 .. 32767 (RFC 3550 suggests 3000)' },
  seqMaxDropout32: { min: 1, max: 2 ** 24, fix: 'use 1 .. 16777216' },
  seqMaxMisorder: { min: 32, max: 2 ** 14, fix: 'use a power of two in 32 .. 16384 (RFC 3550 suggests 100; 1024 is the default)' },
  reorderExtentCap: { min: 1, max: 128, fix: 'use 1 .. 128' },
  defaultTransferIntervalNs: { min: 0, max: NS_LIMIT, fix: 'use 0 (unknown) or the interval in ns' },
  defaultMaxLatencyNs: { min: 0, max: NS_LIMIT, fix: 'use 0 (unknown) or the latency bound in ns' },
  defaultSurvivalTimeNs: { min: 0, max: NS_LIMIT, fix: 'use 0 (none) or the survival time in ns' },
};

/** Checks a partial config against the defaults; returns the complete, frozen config. */
export function validateEngineConfig(input: Partial<EngineConfig> = {}): Readonly<EngineConfig> {
  const problems: string[] = [];
  if (input === null || typeof input !== 'object') {
    throw new IsochronError('CONFIG_INVALID', 'engine config: must be an object of settings');
  }
  const known = new Set(Object.keys(DEFAULT_ENGINE_CONFIG));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push(`${key}: unknown setting; remove it or check the spelling (known: ${[...known].join(', ')})`);
  }
  const merged = { ...DEFAULT_ENGINE_CONFIG, ...input } as EngineConfig;
  for (const [key, rule] of Object.entries(INT_RULES) as [keyof typeof INT_RULES, IntRule][]) {
    const v = merged[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < rule.min || v > rule.max) {
      problems.push(`${key}: got ${String(v)}; ${rule.fix}`);
    }
  }
  if (merged.downtimeOrigin !== 'survival_expiry' && merged.downtimeOrigin !== 'first_failure') {
    problems.push(`downtimeOrigin: got ${String(merged.downtimeOrigin)}; use 'survival_expiry' or 'first_failure'`);
  }
  const m = merged.seqMaxMisorder;
  if (Number.isInteger(m) && m >= 32 && (m & (m - 1)) !== 0) {
    problems.push(`seqMaxMisorder: got ${m}; use a power of two (it sizes a bitmap), e.g. 1024`);
  }
  // Breakpoints kept for reordering extents store sequence numbers modulo 2^32 (reorder.ts).
  if (merged.reorderExtentCap * merged.seqMaxDropout32 >= 2 ** 31) {
    problems.push('reorderExtentCap * seqMaxDropout32: must stay below 2^31; lower one of them');
  }
  if (problems.length > 0) {
    throw new IsochronError('CONFIG_INVALID', `engine config: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`, { problems });
  }
  return Object.freeze(merged);
}
