// One enterprise's compliance over a period: the verdict of every flow (against the profile given
// in the request, or its assignment in force as of a registry version), rolled up to devices,
// sites and the enterprise (worst of, core/compliance/combine.ts), the threshold results behind
// each verdict, the base windows that failed, the [U] values used, and the versions the answer
// was computed from, with a content hash. docs/audit.md.
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import type { LoadedCatalog, LoadedProfile } from '../adapters/profiles/load.ts';
import { auditSlices, type RollupSlice } from '../core/compliance/audit-period.ts';
import { rollUpVerdicts, type DeviceVerdict, type LevelVerdict, type SiteVerdict } from '../core/compliance/combine.ts';
import { addFingerprints, EMPTY_FINGERPRINT, fingerprintJson, type FingerprintJson } from '../core/compliance/fingerprint.ts';
import type { DowntimeOrigin, ThresholdKind } from '../core/compliance/types.ts';
import { DEFAULT_ENGINE_CONFIG } from '../core/engine/config.ts';
import { IsochronError } from '../core/errors.ts';
import { indexAssignments } from '../core/tenancy/assignments.ts';
import { failedWindows, type FailedWindows, type FailingFlow } from './failed-windows.ts';
import { chooseProfile, judgeFlow, profilesUsed, readFlowAggregates, type FlowResult } from './flows.ts';
import { enterpriseAsOfSql } from './sql.ts';
import { withContentHash } from './hash.ts';
import type { ProgrammeAuditCache } from './programme-cache.ts';
import type { AuditRegistry } from './registry.ts';

export interface ProfileSelector {
  readonly id: string;
  /** Latest version in the catalog when omitted (the request records the version used). */
  readonly version?: number;
}

export interface EnterpriseComplianceRequest {
  readonly enterpriseId: string;
  /** Whole UTC hours, [fromNs, toNs). */
  readonly fromNs: bigint;
  readonly toNs: bigint;
  /** Judge every flow by this profile instead of its assignment. */
  readonly profile?: ProfileSelector;
  /** Registry version to read assignments and the enterprise as of; the current one when omitted. */
  readonly asOf?: bigint;
  /** Most failed windows listed (default 100, at most 10 000); the total is always counted. */
  readonly failedWindowsLimit?: number;
}

export interface AuditOptions {
  /**
   * The worker's downtime origin (not stored per row; docs/profiles.md "Parameters"). Default: the
   * engine's default, which the worker uses.
   */
  readonly downtimeOrigin?: DowntimeOrigin | null;
  /**
   * Programme audits only: where finished audits are kept for reuse while nothing they were
   * computed from changed (programme-cache.ts). Default: one cache per process; null: none.
   */
  readonly programmeCache?: ProgrammeAuditCache | null;
}

/** The request as recorded: every default resolved, 64-bit values as decimal text. */
export interface EnterpriseComplianceRequestJson {
  readonly enterpriseId: string;
  readonly fromNs: string;
  readonly toNs: string;
  readonly profile: { readonly id: string; readonly version: number } | null;
  readonly asOf: string;
  readonly failedWindowsLimit: number;
}

export interface Versions {
  /** Every profile a verdict used, with the sha256 of its canonical JSON. */
  readonly profiles: readonly { readonly id: string; readonly version: number; readonly contentHash: string }[];
  /** The registry version read as of (decimal text). */
  readonly registryVersion: string;
  /** Fingerprint of the rollup rows read (core/compliance/fingerprint.ts). */
  readonly data: FingerprintJson;
  readonly downtimeOrigin: DowntimeOrigin | null;
}

export interface EnterpriseCompliance {
  readonly kind: 'enterprise_compliance';
  readonly request: EnterpriseComplianceRequestJson;
  /** The rollup slices read: '1h' rows at partial days, '1d' rows for whole UTC days. */
  readonly slices: readonly { readonly period: '1h' | '1d'; readonly fromNs: string; readonly toNs: string }[];
  readonly enterprise: LevelVerdict & { readonly enterpriseId: string; readonly name: string; readonly region: string; readonly industry: string };
  readonly sites: readonly SiteVerdict[];
  readonly devices: readonly DeviceVerdict[];
  readonly flows: readonly FlowResult[];
  readonly failedWindows: FailedWindows;
  /** "profileId@version: threshold.field" of every [U] value a verdict used. */
  readonly unverified: readonly string[];
  readonly versions: Versions;
  readonly contentHash: string;
}

export const DEFAULT_FAILED_WINDOWS_LIMIT = 100;
export const MAX_FAILED_WINDOWS_LIMIT = 10_000;

export function slicesJson(slices: readonly RollupSlice[]): EnterpriseCompliance['slices'] {
  return slices.map((s) => ({ period: s.period, fromNs: s.fromNs.toString(), toNs: s.toNs.toString() }));
}

export function findProfile(catalog: LoadedCatalog, sel: ProfileSelector): LoadedProfile {
  const entry = catalog.find(sel.id, sel.version);
  if (entry === undefined) {
    throw new IsochronError('AUDIT_PROFILE_UNKNOWN', `profile ${sel.id}${sel.version === undefined ? '' : `@${sel.version}`} is not in the profile catalog`, { profileId: sel.id, profileVersion: sel.version ?? null });
  }
  return entry;
}

export function unverifiedOf(flows: readonly FlowResult[]): string[] {
  const out = new Set<string>();
  for (const f of flows) if (f.verdict !== null) for (const u of f.verdict.unverified) out.add(`${f.verdict.profileId}@${f.verdict.profileVersion}: ${u}`);
  return [...out].sort();
}

export interface RegisteredEnterprise {
  readonly enterpriseId: string;
  readonly name: string;
  readonly region: string;
  readonly industry: string;
}

/** One enterprise in force as of a registry version (sql.ts enterpriseAsOfSql), or undefined. */
export async function registeredEnterprise(ch: ClickHouse, enterpriseId: string, asOf: bigint): Promise<RegisteredEnterprise | undefined> {
  const found = await ch.query<{ enterprise_id: string; n: string; r: string; i: string }>(enterpriseAsOfSql(enterpriseId, asOf));
  return found.length === 0 ? undefined : { enterpriseId: found[0].enterprise_id, name: found[0].n, region: found[0].r, industry: found[0].i };
}

export async function enterpriseCompliance(
  ch: ClickHouse,
  catalog: LoadedCatalog,
  registry: AuditRegistry,
  req: EnterpriseComplianceRequest,
  options: AuditOptions = {},
): Promise<EnterpriseCompliance> {
  const slices = auditSlices(req.fromNs, req.toNs);
  const limit = req.failedWindowsLimit ?? DEFAULT_FAILED_WINDOWS_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_FAILED_WINDOWS_LIMIT) {
    throw new IsochronError('AUDIT_REQUEST_INVALID', `failedWindowsLimit must be an integer in 0..${MAX_FAILED_WINDOWS_LIMIT}`, { failedWindowsLimit: String(limit) });
  }
  const explicit = req.profile === undefined ? null : findProfile(catalog, req.profile);
  const downtimeOrigin = options.downtimeOrigin === undefined ? DEFAULT_ENGINE_CONFIG.downtimeOrigin : options.downtimeOrigin;
  const asOf = req.asOf ?? (await registry.currentVersion());
  const [enterprise, records, aggregates] = await Promise.all([
    registeredEnterprise(ch, req.enterpriseId, asOf),
    registry.assignmentRecords(asOf, req.enterpriseId),
    readFlowAggregates(ch, slices, { enterpriseId: req.enterpriseId }, downtimeOrigin),
  ]);
  if (enterprise === undefined) {
    throw new IsochronError('AUDIT_ENTERPRISE_UNKNOWN', `enterprise ${JSON.stringify(req.enterpriseId)} is not registered as of registry version ${asOf}`, { enterpriseId: req.enterpriseId, asOf: asOf.toString() });
  }
  const index = indexAssignments(records, asOf);

  const flows: FlowResult[] = [];
  const failing: FailingFlow[] = [];
  let fp = EMPTY_FINGERPRINT;
  for (const fa of aggregates) {
    fp = addFingerprints(fp, fa.fingerprint);
    const choice = chooseProfile(catalog, index, fa, explicit);
    const result = judgeFlow(fa, choice);
    flows.push(result);
    if (result.verdict !== null && result.verdict.verdict === 'fail' && 'entry' in choice) {
      const failed = result.verdict.thresholds.filter((t) => t.outcome === 'fail').map((t) => t.threshold as ThresholdKind);
      failing.push({ siteId: fa.siteId, deviceId: fa.deviceId, flowId: fa.flowId, profile: choice.entry.profile, failed });
    }
  }
  const hierarchy = rollUpVerdicts(flows);
  const windows = await failedWindows(ch, req.enterpriseId, req.fromNs, req.toNs, failing, limit);

  return withContentHash({
    kind: 'enterprise_compliance' as const,
    request: {
      enterpriseId: req.enterpriseId,
      fromNs: req.fromNs.toString(),
      toNs: req.toNs.toString(),
      profile: explicit === null ? null : { id: explicit.profile.id, version: explicit.profile.version },
      asOf: asOf.toString(),
      failedWindowsLimit: limit,
    },
    slices: slicesJson(slices),
    enterprise: { enterpriseId: enterprise.enterpriseId, name: enterprise.name, region: enterprise.region, industry: enterprise.industry, ...hierarchy.enterprise },
    sites: hierarchy.sites,
    devices: hierarchy.devices,
    flows,
    failedWindows: windows,
    unverified: unverifiedOf(flows),
    versions: { profiles: profilesUsed(flows), registryVersion: asOf.toString(), data: fingerprintJson(fp), downtimeOrigin },
  });
}
