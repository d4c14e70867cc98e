// The retention policy and the rules that tie the tables' retentions together (docs/retention.md).
//
// 1. Base windows outlive every record a replay can read. The rollups are recomputed from the
//    base windows of a period whenever a window of it is written (docs/rollups.md), and a replay
//    (a restart from a checkpoint, a consumer group moved back) re-emits windows of the records
//    still in the telemetry topic. If those windows' day were already dropped, the recomputation
//    would see only the re-emitted windows. So no base-window partition is dropped while the
//    topic can still hold a record of that day: windows >= replay horizon + 1 day (the day
//    covers event time trailing a record's timestamp: allowed lateness, a device's backlog).
// 2. Each rollup level is kept at least as long as the level it is computed from
//    (windows <= 1 min <= 1 h <= 1 day). Every recomputation a replay can trigger (rule 1 keeps
//    it within the base windows' retention) then reads complete input at every level: the
//    minutes of a touched hour, the hours of a touched day. A level dropped earlier than its
//    source would instead be rebuilt from that source in fragments (a lone minute of a day whose
//    other minutes are gone) after every replay, until the next run drops it again.
// 0 means "keep forever" and counts as longer than any number of days.
import { IsochronError } from '../errors.ts';
import type { RetentionKey } from './tables.ts';

export interface RetentionPolicy {
  /** flow_windows and flow_discards. */
  readonly windowsDays: number;
  readonly rollups1mDays: number;
  readonly rollups1hDays: number;
  readonly rollups1dDays: number;
  /** worker_checkpoints (legacy checkpoint store, only read while partitions upgrade). */
  readonly legacyCheckpointsDays: number;
  /**
   * Age in days of the oldest record the telemetry topic can still hold (Kafka's retention.ms
   * plus segment.ms, rounded up); 0: no limit (retention.ms = -1, tiered storage kept forever).
   */
  readonly replayHorizonDays: number;
}

export type PolicyKey = RetentionKey | 'replayHorizonDays';

/** From finest to coarsest: each is computed from the one before it. */
export const ROLLUP_CHAIN: readonly RetentionKey[] = ['windowsDays', 'rollups1mDays', 'rollups1hDays', 'rollups1dDays'];

const WHAT: Record<PolicyKey, string> = {
  windowsDays: 'base windows',
  rollups1mDays: '1 min rollups',
  rollups1hDays: '1 h rollups',
  rollups1dDays: '1 day rollups',
  legacyCheckpointsDays: 'legacy checkpoints',
  replayHorizonDays: 'the replay horizon',
};

const MAX_DAYS = 36_600;

/** Days as an operator reads them: 0 is forever. */
function longer(a: number, b: number): boolean {
  if (a === 0) return b !== 0;
  return b !== 0 && a > b;
}

/**
 * Every problem of the policy, each naming its fix; `name` gives the setting behind a key (the
 * environment variable, services/config/settings.ts). Empty when the policy is consistent.
 */
export function retentionPolicyProblems(p: RetentionPolicy, name: (key: PolicyKey) => string = (k) => k): string[] {
  const problems: string[] = [];
  const show = (k: PolicyKey) => `${name(k)}=${p[k]}`;
  for (const k of Object.keys(WHAT) as PolicyKey[]) {
    const v = p[k];
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_DAYS) problems.push(`${name(k)}=${String(v)}: expected whole days from 0 (forever) to ${MAX_DAYS}`);
  }
  if (problems.length > 0) return problems;

  const w = p.windowsDays;
  const h = p.replayHorizonDays;
  if (h === 0 && w !== 0) {
    problems.push(
      `${show('windowsDays')} with ${show('replayHorizonDays')}: the telemetry topic keeps records without limit, so a replay can re-emit base windows of any age and their rollups would be recomputed from the few windows left; ` +
        `set ${name('windowsDays')}=0 (keep base windows forever), or set ${name('replayHorizonDays')} to the topic's retention.ms + segment.ms in days`,
    );
  } else if (w !== 0 && w < h + 1) {
    problems.push(
      `${show('windowsDays')} is shorter than ${show('replayHorizonDays')} + 1: a replay of records still in the topic would re-emit base windows into days already dropped, and their rollups would be recomputed from the few windows left; ` +
        `set ${name('windowsDays')} to ${h + 1} or more (0 keeps them forever), or shorten the topic's retention and lower ${name('replayHorizonDays')}`,
    );
  }
  for (let i = 1; i < ROLLUP_CHAIN.length; i++) {
    const finer = ROLLUP_CHAIN[i - 1];
    const coarser = ROLLUP_CHAIN[i];
    if (longer(p[finer], p[coarser])) {
      const fix = p[finer] === 0 ? '0 (forever)' : `${p[finer]} or more, or 0 (forever)`;
      problems.push(
        `${show(coarser)} drops ${WHAT[coarser]} before the ${WHAT[finer]} they are computed from (${show(finer)}); ` +
          `set ${name(coarser)} to ${fix}, or lower ${name(finer)}`,
      );
    }
  }
  return problems;
}

/** Throws ISO_CONFIG_INVALID listing every problem of the policy. */
export function checkRetentionPolicy(p: RetentionPolicy, name?: (key: PolicyKey) => string): void {
  const problems = retentionPolicyProblems(p, name);
  if (problems.length > 0) throw new IsochronError('CONFIG_INVALID', `retention: invalid policy:\n  - ${problems.join('\n  - ')}`, { problems });
}
