import { describe, expect, it } from 'vitest';
import { checkRetentionPolicy, retentionPolicyProblems, type PolicyKey, type RetentionPolicy } from './policy.ts';

const OK: RetentionPolicy = { windowsDays: 35, rollups1mDays: 90, rollups1hDays: 730, rollups1dDays: 0, legacyCheckpointsDays: 7, replayHorizonDays: 14 };
const env = (k: PolicyKey) => `ENV_${k}`;

describe('retention policy rules', () => {
  it('accepts the defaults, keep-forever everywhere, and the tightest legal base window retention', () => {
    expect(retentionPolicyProblems(OK)).toEqual([]);
    expect(retentionPolicyProblems({ ...OK, windowsDays: 0, rollups1mDays: 0, rollups1hDays: 0, rollups1dDays: 0, replayHorizonDays: 0 })).toEqual([]);
    expect(retentionPolicyProblems({ ...OK, windowsDays: 15 })).toEqual([]);
    // equal retention along the chain is fine; forever after a finite level too
    expect(retentionPolicyProblems({ ...OK, windowsDays: 90, rollups1mDays: 90, rollups1hDays: 90, rollups1dDays: 90 })).toEqual([]);
  });

  it('keeps base windows past the replay horizon by a day, and forever when the topic keeps records forever', () => {
    expect(retentionPolicyProblems({ ...OK, windowsDays: 14 }, env)).toEqual([
      'ENV_windowsDays=14 is shorter than ENV_replayHorizonDays=14 + 1: a replay of records still in the topic would re-emit base windows into days already dropped, and their rollups would be recomputed from the few windows left; set ENV_windowsDays to 15 or more (0 keeps them forever), or shorten the topic\'s retention and lower ENV_replayHorizonDays',
    ]);
    const unbounded = retentionPolicyProblems({ ...OK, replayHorizonDays: 0 }, env);
    expect(unbounded).toHaveLength(1);
    expect(unbounded[0]).toMatch(/^ENV_windowsDays=35 with ENV_replayHorizonDays=0: .* set ENV_windowsDays=0 \(keep base windows forever\), or set ENV_replayHorizonDays to the topic's retention.ms \+ segment.ms in days$/);
  });

  it('keeps every rollup level at least as long as the level it is computed from, and reports every break at once', () => {
    const problems = retentionPolicyProblems({ ...OK, rollups1mDays: 20, rollups1hDays: 10, rollups1dDays: 5 }, env);
    expect(problems).toEqual([
      'ENV_rollups1mDays=20 drops 1 min rollups before the base windows they are computed from (ENV_windowsDays=35); set ENV_rollups1mDays to 35 or more, or 0 (forever), or lower ENV_windowsDays',
      'ENV_rollups1hDays=10 drops 1 h rollups before the 1 min rollups they are computed from (ENV_rollups1mDays=20); set ENV_rollups1hDays to 20 or more, or 0 (forever), or lower ENV_rollups1mDays',
      'ENV_rollups1dDays=5 drops 1 day rollups before the 1 h rollups they are computed from (ENV_rollups1hDays=10); set ENV_rollups1dDays to 10 or more, or 0 (forever), or lower ENV_rollups1hDays',
    ]);
    expect(retentionPolicyProblems({ ...OK, rollups1mDays: 0 }, env)).toEqual([
      'ENV_rollups1hDays=730 drops 1 h rollups before the 1 min rollups they are computed from (ENV_rollups1mDays=0); set ENV_rollups1hDays to 0 (forever), or lower ENV_rollups1mDays',
    ]);
  });

  it('rejects values that are not whole days, and throws ISO_CONFIG_INVALID from checkRetentionPolicy', () => {
    expect(retentionPolicyProblems({ ...OK, windowsDays: 1.5, legacyCheckpointsDays: -1 })).toEqual([
      'windowsDays=1.5: expected whole days from 0 (forever) to 36600',
      'legacyCheckpointsDays=-1: expected whole days from 0 (forever) to 36600',
    ]);
    expect(() => checkRetentionPolicy({ ...OK, windowsDays: 3 })).toThrow(expect.objectContaining({ code: 'ISO_CONFIG_INVALID', retriable: false }));
    expect(() => checkRetentionPolicy(OK)).not.toThrow();
  });
});
