// What the HTML reports are rendered from. The renderers are pure functions of these inputs (the
// caller passes the generation time), so the same input gives byte-identical HTML.
import type { LevelStatus, StatusCounts } from '../core/compliance/combine.ts';
import type { Verdict } from '../core/compliance/types.ts';
import type { DelayBucket, UpgradeValidationResult } from '../adapters/clickhouse/upgrade-queries.ts';

export interface EnterpriseRef {
  readonly id: string;
  /** Shown as text, always escaped (names come from the registry and may hold anything). */
  readonly name: string;
  readonly region?: string;
  readonly industry?: string;
}

/** One immutable requirement profile (id, version) and the hash of its file content. */
export interface ProfileRef {
  readonly id: string;
  readonly version: number;
  readonly title?: string;
  /** Content hash of the profile file (services/adapters/profiles/load.ts). */
  readonly contentHash: string;
}

/** Which stored data a report rests on, so it can be reproduced. */
export interface DataVersion {
  /** Registry version the audit read as of (decimal text), when there is one. */
  readonly registryVersion?: string;
  /** Content hash / fingerprint of the rows read (e.g. "rows 1234, windows 5678, hash 0f..."). */
  readonly contentHash: string;
}

export interface UpgradeReportInput {
  readonly enterprise: EnterpriseRef;
  readonly result: UpgradeValidationResult;
  /** The profile behind result.profile, with its content hash. */
  readonly profile?: ProfileRef;
  readonly dataVersion?: DataVersion;
  /** ISO 8601 time the report was made (given by the caller). */
  readonly generatedAt: string;
}

export type ComplianceLevel = 'enterprise' | 'site' | 'device' | 'flow';

/** A verdict of one subject: the whole enterprise, one site, one device or one flow. */
export interface SubjectVerdict {
  readonly level: ComplianceLevel;
  readonly siteId?: string;
  readonly deviceId?: string;
  readonly flowId?: string;
  /** The thresholds inside carry the measured values behind the verdict. */
  readonly verdict: Verdict;
}

/**
 * The verdict of the whole enterprise, one site or one device: the worst of its flows' verdicts
 * (docs/audit.md "Combining"; flows are never pooled), with how many of its flows had each status.
 */
export interface LevelSummary {
  readonly level: Exclude<ComplianceLevel, 'flow'>;
  readonly siteId?: string;
  readonly deviceId?: string;
  readonly verdict: LevelStatus;
  readonly flows: StatusCounts;
}

/** A base window or period in which a threshold failed. */
export interface FailedWindow {
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
  /** ns since the epoch, decimal text. */
  readonly windowStartNs: string;
  readonly windowNs: number;
  readonly threshold: string;
  readonly measured: number | null;
  readonly bound: number;
  readonly unit: 'ns' | 'ratio' | 'packets' | 's';
  readonly reason: string;
}

export interface ComplianceSeriesPoint {
  readonly startNs: string;
  readonly pdvP99Ns: number | null;
  readonly availability: number | null;
}

export interface ComplianceFlowFigure {
  readonly label: string;
  readonly owdP99Ns: number | null;
  readonly verdict?: Verdict['verdict'];
}

export interface ComplianceReportInput {
  readonly enterprise: EnterpriseRef;
  readonly period: { readonly fromNs: string; readonly toNs: string };
  readonly profiles: readonly ProfileRef[];
  /** Enterprise, site and device verdicts (worst of their flows), shown as given: enterprise first is customary. */
  readonly levels?: readonly LevelSummary[];
  /** Verdicts with a profile's thresholds behind them (the audit gives them per flow); shown as given. */
  readonly verdicts: readonly SubjectVerdict[];
  readonly failedWindows: readonly FailedWindow[];
  /** Failed windows that exist in total (the list may be capped). */
  readonly failedWindowsTotal?: number;
  readonly dataVersion: DataVersion;
  readonly generatedAt: string;
  /** Chart data (any may be empty): merged delay histogram, hourly PDV/availability, worst flows. */
  readonly delayHistogram?: readonly DelayBucket[];
  readonly series?: readonly ComplianceSeriesPoint[];
  readonly worstFlows?: readonly ComplianceFlowFigure[];
}
