// The audit's read queries over the rollups: one aggregate per flow (enterprise, site, device,
// flow) over a period, built from the 1 h and 1 d slices of core/compliance/audit-period.ts.
// Values reach SQL only through literal.ts. Rollup tables are read with FINAL (docs/rollups.md), or
// without it where the answer is provably the same (flowAggregatesUnmergedSql).
import type { RollupSlice } from '../core/compliance/audit-period.ts';
import { NETWORK_TYPES, type NetworkType } from '../core/wire/batch.ts';
import { COMPLIANCE_OUTPUT_COLUMNS, complianceAggregateList, fingerprintList, ROLLUP_SOURCE_COLUMNS } from '../adapters/clickhouse/compliance-aggregate.ts';
import { rollupLevel } from '../adapters/clickhouse/rollup-columns.ts';
import { sqlEnum, sqlIdentifier, sqlInt, sqlString, sqlStringArray } from '../adapters/clickhouse/literal.ts';

export interface FlowScope {
  /** One enterprise, or (undefined) every enterprise. */
  readonly enterpriseId?: string;
  /** Only these enterprises (ignored when enterpriseId is set); undefined: all. */
  readonly enterpriseIds?: readonly string[];
  /** Only rows of this network type. */
  readonly networkType?: NetworkType;
  /** Only enterprise ids in [enterpriseFrom, enterpriseTo) (a chunk of the primary key's prefix). */
  readonly enterpriseFrom?: string;
  readonly enterpriseTo?: string;
}

function scopeWhere(scope: FlowScope): string {
  const parts: string[] = [];
  if (scope.enterpriseId !== undefined) parts.push(`enterprise_id = ${sqlString(scope.enterpriseId)}`);
  else if (scope.enterpriseIds !== undefined) parts.push(`enterprise_id IN (${scope.enterpriseIds.length === 0 ? "''" : sqlStringArray(scope.enterpriseIds).slice(1, -1)})`);
  if (scope.enterpriseFrom !== undefined) parts.push(`enterprise_id >= ${sqlString(scope.enterpriseFrom)}`);
  if (scope.enterpriseTo !== undefined) parts.push(`enterprise_id < ${sqlString(scope.enterpriseTo)}`);
  if (scope.networkType !== undefined) parts.push(`network_type = ${sqlEnum<NetworkType>(scope.networkType, NETWORK_TYPES)}`);
  return parts.length === 0 ? '1' : parts.join(' AND ');
}

/** The rollup rows of the period: each slice from its table, with FINAL, UNION ALL. */
export function periodRowsSql(slices: readonly RollupSlice[], scope: FlowScope): string {
  const where = scopeWhere(scope);
  return slices
    .map((s) => `SELECT ${ROLLUP_SOURCE_COLUMNS.join(', ')} FROM ${sqlIdentifier(rollupLevel(s.period).table)} FINAL
  WHERE ${where} AND period_start_ns >= ${sqlInt(s.fromNs, 'UInt64')} AND period_start_ns < ${sqlInt(s.toNs, 'UInt64')}`)
    .join('\n  UNION ALL\n  ');
}

/**
 * One row per flow (enterprise_id, site_id, device_id, flow_id) with the network types it used
 * and every compliance aggregate column (compliance-aggregate.ts). A flow that changed segment or
 * network type in the period is one flow here: its assignment is keyed by site, device and flow.
 * One thread: the floating-point sums are added in one order every time, so a repeated request
 * gets a bit-identical answer (and content hash) even when a sum passes 2^53.
 */
export function flowAggregatesSql(slices: readonly RollupSlice[], scope: FlowScope): string {
  return `SELECT enterprise_id, site_id, device_id, flow_id, network_types, ${COMPLIANCE_OUTPUT_COLUMNS.join(', ')}
FROM (
  SELECT enterprise_id, site_id, device_id, flow_id, groupUniqArray(toString(network_type)) AS network_types,
    ${complianceAggregateList('rollups').join(',\n    ')}
  FROM (
  ${periodRowsSql(slices, scope)}
  )
  GROUP BY enterprise_id, site_id, device_id, flow_id
)
ORDER BY enterprise_id, site_id, device_id, flow_id
SETTINGS max_threads = 1`;
}

/**
 * flowAggregatesSql without FINAL, which in 18.16 merges every column of every row in one stream
 * and was most of the programme read's ClickHouse time (about 1.5 s of CPU for 1.5 M daily rows;
 * 0.65 s without). Each flow says whether its answer is the FINAL answer (c_exact = 1):
 *   - no two of its rows share a primary key (c_rows = the distinct (network type, segment,
 *     period start) it has; a flow's slices cover disjoint periods), so FINAL would have kept
 *     every row: the same rows;
 *   - in each slice its rows come from one data part, read in that part's (primary key) order by
 *     one thread (max_threads = 1), as FINAL would read them: the same order of floating-point
 *     additions.
 * Flows with c_exact = 0 (a refreshed row not merged yet, rows spread over parts) must be read
 * again with flowAggregatesSql; core of the check tested in compliance.int.test.ts.
 */
export function flowAggregatesUnmergedSql(slices: readonly RollupSlice[], scope: FlowScope): string {
  const where = scopeWhere(scope);
  const rows = slices
    .map((s, i) => `SELECT ${ROLLUP_SOURCE_COLUMNS.join(', ')}, ${sqlInt(i, 'UInt32')} AS c_slice, _part_index AS c_part FROM ${sqlIdentifier(rollupLevel(s.period).table)}
  WHERE ${where} AND period_start_ns >= ${sqlInt(s.fromNs, 'UInt64')} AND period_start_ns < ${sqlInt(s.toNs, 'UInt64')}`)
    .join('\n  UNION ALL\n  ');
  return `SELECT enterprise_id, site_id, device_id, flow_id, network_types, ${COMPLIANCE_OUTPUT_COLUMNS.join(', ')}, c_rows = c_keys AND c_parts = c_slices AS c_exact
FROM (
  SELECT enterprise_id, site_id, device_id, flow_id, groupUniqArray(toString(network_type)) AS network_types,
    ${complianceAggregateList('rollups').join(',\n    ')},
    uniqExact(network_type, segment_id, period_start_ns) AS c_keys,
    uniqExact(c_slice, c_part) AS c_parts,
    uniqExact(c_slice) AS c_slices
  FROM (
  ${rows}
  )
  GROUP BY enterprise_id, site_id, device_id, flow_id
)
ORDER BY enterprise_id, site_id, device_id, flow_id
SETTINGS max_threads = 1`;
}

/**
 * The fingerprint of the period's rows per enterprise (compliance-aggregate.ts fingerprintList):
 * what a cached programme audit is checked against. Summing these over enterprises gives the
 * same value as summing flowAggregatesSql's per-flow fingerprints (sums modulo 2^64).
 */
export function enterpriseFingerprintsSql(slices: readonly RollupSlice[], scope: FlowScope): string {
  return `SELECT enterprise_id, c_rows, c_windows, toString(c_fp_hash) AS c_fp
FROM (
  SELECT enterprise_id, ${fingerprintList('rollups').join(', ')}
  FROM (
  ${slices
    .map((s) => `SELECT enterprise_id, site_id, network_type, segment_id, device_id, flow_id, period_start_ns, windows, sent_packets, owd_count FROM ${sqlIdentifier(rollupLevel(s.period).table)} FINAL
  WHERE ${scopeWhere(scope)} AND period_start_ns >= ${sqlInt(s.fromNs, 'UInt64')} AND period_start_ns < ${sqlInt(s.toNs, 'UInt64')}`)
    .join('\n  UNION ALL\n  ')}
  )
  GROUP BY enterprise_id
)`;
}

/**
 * The newest enterprise and assignment rows at or below a registry version. Rows are
 * append-only with strictly increasing versions, so two versions with the same pair read the
 * same enterprises and assignments (sql/004_tenancy.sql). With the database's name, so caches
 * never mix two databases.
 */
export function registryContentVersionsSql(asOf: bigint): string {
  const v = sqlInt(asOf, 'UInt64');
  return `SELECT currentDatabase() AS db, toString((SELECT max(registry_version) FROM enterprises WHERE registry_version <= ${v})) AS e,
  toString((SELECT max(registry_version) FROM profile_assignments WHERE registry_version <= ${v})) AS a`;
}

/**
 * One enterprise as of a registry version, read like the registry reads all of them
 * (services/adapters/tenancy/registry.ts enterprises(): newest row at or below the version,
 * none when that row is a deletion), without loading the other 50 000.
 */
export function enterpriseAsOfSql(enterpriseId: string, asOf: bigint): string {
  return `SELECT enterprise_id, n, r, i FROM (
  SELECT enterprise_id, argMax(name, registry_version) AS n, argMax(region, registry_version) AS r, argMax(industry, registry_version) AS i,
    argMax(deleted, registry_version) AS d
  FROM enterprises WHERE enterprise_id = ${sqlString(enterpriseId)} AND registry_version <= ${sqlInt(asOf, 'UInt64')} GROUP BY enterprise_id
) WHERE d = 0`;
}
