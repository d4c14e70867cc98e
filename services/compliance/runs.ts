// Stored audit runs (sql/005_audit_runs.sql) and their replay. A run records the resolved request
// (registry version and profile versions pinned), the content hashes of the profiles used, the
// data fingerprint and the answer's content hash. replayAudit() recomputes the same request as of
// the stored registry version; compareWithRun() says "same" or lists why not: data arrived or
// changed since (with the number of windows), a profile's content changed, the computation
// changed. docs/audit.md "Reproducibility".
import { randomUUID } from 'node:crypto';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { sqlString } from '../adapters/clickhouse/literal.ts';
import type { LoadedCatalog } from '../adapters/profiles/load.ts';
import { canonicalJson } from '../core/compliance/catalog.ts';
import type { FingerprintJson } from '../core/compliance/fingerprint.ts';
import type { DowntimeOrigin } from '../core/compliance/types.ts';
import { IsochronError, isIsochronError } from '../core/errors.ts';
import type { NetworkType } from '../core/wire/batch.ts';
import { AUDIT_FORMAT } from './format.ts';
import { enterpriseCompliance, type EnterpriseCompliance, type EnterpriseComplianceRequestJson } from './enterprise.ts';
import { programmeAudit, type ProgrammeAudit, type ProgrammeAuditRequestJson } from './programme.ts';
import type { AuditRegistry } from './registry.ts';

export { AUDIT_FORMAT };

export type AuditResult = EnterpriseCompliance | ProgrammeAudit;

export interface AuditRun {
  readonly runId: string;
  readonly kind: AuditResult['kind'];
  readonly request: EnterpriseComplianceRequestJson | ProgrammeAuditRequestJson;
  readonly registryVersion: string;
  readonly profiles: AuditResult['versions']['profiles'];
  readonly data: FingerprintJson;
  readonly downtimeOrigin: DowntimeOrigin | null;
  readonly contentHash: string;
  readonly format: string;
  /** Unix seconds. */
  readonly createdAtS: number;
}

/** Stores the run behind a result and returns it (runId is a random UUID). */
export async function recordAuditRun(ch: ClickHouse, result: AuditResult): Promise<AuditRun> {
  const run: AuditRun = {
    runId: randomUUID(),
    kind: result.kind,
    request: result.request,
    registryVersion: result.versions.registryVersion,
    profiles: result.versions.profiles,
    data: result.versions.data,
    downtimeOrigin: result.versions.downtimeOrigin,
    contentHash: result.contentHash,
    format: AUDIT_FORMAT,
    createdAtS: Math.floor(Date.now() / 1000),
  };
  await ch.insert('audit_runs', [{
    run_id: run.runId,
    kind: run.kind,
    request: canonicalJson(run.request),
    registry_version: run.registryVersion,
    profiles: canonicalJson(run.profiles),
    data_rows: run.data.rows,
    data_windows: run.data.windows,
    data_hash: run.data.hash,
    downtime_origin: run.downtimeOrigin ?? '',
    content_hash: run.contentHash,
    format: run.format,
    created_at: run.createdAtS,
  }]);
  return run;
}

export async function loadAuditRun(ch: ClickHouse, runId: string): Promise<AuditRun> {
  const rows = await ch.query<Record<string, unknown>>(
    `SELECT run_id, toString(kind) AS kind, request, toString(registry_version) AS rv, profiles, toString(data_rows) AS dr, toString(data_windows) AS dw, data_hash,
       downtime_origin, content_hash, format, toUInt32(created_at) AS created
     FROM audit_runs WHERE run_id = ${sqlString(runId)} LIMIT 1`,
  );
  if (rows.length === 0) throw new IsochronError('AUDIT_RUN_NOT_FOUND', `no audit run ${JSON.stringify(runId)}`, { runId });
  const r = rows[0];
  return {
    runId: String(r.run_id),
    kind: String(r.kind) as AuditRun['kind'],
    request: JSON.parse(String(r.request)) as AuditRun['request'],
    registryVersion: String(r.rv),
    profiles: JSON.parse(String(r.profiles)) as AuditRun['profiles'],
    data: { rows: String(r.dr), windows: String(r.dw), hash: String(r.data_hash) },
    downtimeOrigin: r.downtime_origin === '' ? null : (String(r.downtime_origin) as DowntimeOrigin),
    contentHash: String(r.content_hash),
    format: String(r.format),
    createdAtS: Number(r.created),
  };
}

function recompute(ch: ClickHouse, catalog: LoadedCatalog, registry: AuditRegistry, run: AuditRun): Promise<AuditResult> {
  const options = { downtimeOrigin: run.downtimeOrigin };
  if (run.kind === 'enterprise_compliance') {
    const q = run.request as EnterpriseComplianceRequestJson;
    return enterpriseCompliance(ch, catalog, registry, {
      enterpriseId: q.enterpriseId,
      fromNs: BigInt(q.fromNs),
      toNs: BigInt(q.toNs),
      profile: q.profile ?? undefined,
      asOf: BigInt(q.asOf),
      failedWindowsLimit: q.failedWindowsLimit,
    }, options);
  }
  const q = run.request as ProgrammeAuditRequestJson;
  const f = q.filters;
  return programmeAudit(ch, catalog, registry, {
    fromNs: BigInt(q.fromNs),
    toNs: BigInt(q.toNs),
    filters: {
      ...(f.region === null ? {} : { region: f.region }),
      ...(f.industry === null ? {} : { industry: f.industry }),
      ...(f.networkType === null ? {} : { networkType: f.networkType as NetworkType }),
      ...(f.profileId === null ? {} : { profileId: f.profileId }),
    },
    asOf: BigInt(q.asOf),
  }, options);
}

/** The stored request recomputed as of the stored registry version and profile versions. */
export async function replayAudit(ch: ClickHouse, catalog: LoadedCatalog, registry: AuditRegistry, runId: string): Promise<AuditResult> {
  return recompute(ch, catalog, registry, await loadAuditRun(ch, runId));
}

export interface RunComparison {
  readonly runId: string;
  readonly same: boolean;
  readonly stored: { readonly contentHash: string; readonly data: FingerprintJson; readonly format: string };
  /** null when the request can no longer be computed (the reason says why). */
  readonly recomputed: { readonly contentHash: string; readonly data: FingerprintJson; readonly format: string } | null;
  /** Empty when same. */
  readonly reasons: readonly string[];
  readonly result: AuditResult | null;
}

/** Why a recomputation differs from the stored run; each reason names what changed. */
export function differences(catalog: LoadedCatalog, run: AuditRun, now: AuditResult | null): string[] {
  const reasons: string[] = [];
  for (const p of run.profiles) {
    const current = catalog.find(p.id, p.version);
    if (current === undefined) reasons.push(`profile ${p.id}@${p.version} is no longer in the profile catalog`);
    else if (current.contentHash !== p.contentHash) reasons.push(`profile ${p.id}@${p.version} content changed (${p.contentHash} -> ${current.contentHash}); published versions must not be edited`);
  }
  if (now === null) return reasons;
  const before = run.profiles.map((p) => `${p.id}@${p.version}`);
  const after = now.versions.profiles.map((p) => `${p.id}@${p.version}`);
  const added = after.filter((k) => !before.includes(k));
  const removed = before.filter((k) => !after.includes(k));
  if (added.length > 0 || removed.length > 0) reasons.push(`profiles used differ:${added.length > 0 ? ` now also ${added.join(', ')}` : ''}${removed.length > 0 ? ` no longer ${removed.join(', ')}` : ''}`);
  const a = run.data;
  const b = now.versions.data;
  if (a.rows !== b.rows || a.windows !== b.windows || a.hash !== b.hash) {
    const dw = BigInt(b.windows) - BigInt(a.windows);
    const dr = BigInt(b.rows) - BigInt(a.rows);
    const what = dw > 0n ? `${dw} base windows added since (late or new data)` : dw < 0n ? `${-dw} base windows fewer than before (data deleted or expired)` : 'the same number of base windows, but different rows (data replaced or rollups rebuilt)';
    reasons.push(`data changed: ${what}; rollup rows ${a.rows} -> ${b.rows} (${dr >= 0n ? '+' : ''}${dr}), windows ${a.windows} -> ${b.windows}, fingerprint ${a.hash} -> ${b.hash}`);
  }
  if ((run.downtimeOrigin ?? null) !== now.versions.downtimeOrigin) reasons.push(`downtimeOrigin ${run.downtimeOrigin} -> ${now.versions.downtimeOrigin}`);
  if (reasons.length === 0 && now.contentHash !== run.contentHash) {
    reasons.push(run.format !== AUDIT_FORMAT
      ? `the computation changed (${run.format} -> ${AUDIT_FORMAT}) while data, profiles and registry version are the same`
      : `same data, profiles and registry version ${run.registryVersion}, yet a different answer: registry rows at or below that version were altered (versions only grow, so this should not happen) or the code changed without raising AUDIT_FORMAT`);
  }
  return reasons;
}

export async function compareWithRun(ch: ClickHouse, catalog: LoadedCatalog, registry: AuditRegistry, runId: string): Promise<RunComparison> {
  const run = await loadAuditRun(ch, runId);
  let result: AuditResult | null = null;
  let failure: string | null = null;
  try {
    result = await recompute(ch, catalog, registry, run);
  } catch (e) {
    if (!isIsochronError(e) || e.retriable) throw e;
    failure = `the request can no longer be computed: ${e.code}: ${e.message}`;
  }
  const reasons = differences(catalog, run, result);
  if (failure !== null) reasons.push(failure);
  const same = result !== null && result.contentHash === run.contentHash;
  return {
    runId,
    same,
    stored: { contentHash: run.contentHash, data: run.data, format: run.format },
    recomputed: result === null ? null : { contentHash: result.contentHash, data: result.versions.data, format: AUDIT_FORMAT },
    reasons: same ? [] : reasons,
    result,
  };
}
