// The programme audit as CSV (RFC 4180, formula cells neutralised: core/compliance/csv.ts). The
// audit is computed in full first (its size is bounded by the number of enterprises, one row
// each), so the content hash of the JSON audit and the SHA-256 of the exact CSV body are known
// before the first byte is sent and travel as HTTP headers; the body is then produced lazily,
// record by record, and never holds more than one record. No hash or comment line goes into the
// CSV itself (it would not be CSV). docs/audit.md "CSV export".
import { createHash } from 'node:crypto';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import type { LoadedCatalog } from '../adapters/profiles/load.ts';
import { csvRecord, type CsvValue } from '../core/compliance/csv.ts';
import type { AuditOptions } from './enterprise.ts';
import { programmeAudit, type ProgrammeAudit, type ProgrammeAuditRequest, type ProgrammeAuditRow } from './programme.ts';
import type { AuditRegistry } from './registry.ts';

export const CSV_COLUMNS: readonly string[] = [
  'enterprise_id', 'name', 'region', 'industry', 'network_types', 'profiles', 'status',
  'flows', 'flows_pass', 'flows_fail', 'flows_insufficient_data', 'flows_no_profile',
  'failing_thresholds', 'unverified_values', 'windows', 'sent_packets', 'lost_packets', 'loss_ratio', 'owd_max_ns', 'worst_availability',
];

/** One CSV record per audit row; lists are joined with ';'. */
export function csvValues(r: ProgrammeAuditRow): CsvValue[] {
  return [
    r.enterpriseId, r.name, r.region, r.industry, r.networkTypes.join(';'), r.profiles.join(';'), r.status,
    r.flows.total, r.flows.pass, r.flows.fail, r.flows.insufficient_data, r.flows.no_profile,
    r.failingThresholds.join(';'), r.unverified ? 'yes' : 'no', r.windows, r.sentPackets, r.lostPackets, r.lossRatio, r.owdMaxNs, r.worstAvailability,
  ];
}

export function* csvLines(audit: ProgrammeAudit): Generator<string> {
  yield csvRecord(CSV_COLUMNS);
  for (const r of audit.rows) yield csvRecord(csvValues(r));
}

export interface ProgrammeAuditCsv {
  /** The JSON audit the CSV renders (its contentHash names it; the API may also store it as a run). */
  readonly audit: ProgrammeAudit;
  /** "sha256:<hex>" of the exact CSV body. */
  readonly csvSha256: string;
  /** Headers for the HTTP answer: hashes and versions, since the CSV cannot carry them. */
  readonly headers: Readonly<Record<string, string>>;
  /** Header record first, then one record per enterprise; each string ends with CRLF. */
  readonly lines: AsyncIterable<string>;
}

export async function programmeAuditCsv(
  ch: ClickHouse,
  catalog: LoadedCatalog,
  registry: AuditRegistry,
  req: ProgrammeAuditRequest,
  options: AuditOptions = {},
): Promise<ProgrammeAuditCsv> {
  const audit = await programmeAudit(ch, catalog, registry, req, options);
  // Rendering twice (once to hash, once to send) costs a few ms per 10 000 rows and keeps memory
  // at one record instead of the whole body.
  const hash = createHash('sha256');
  for (const line of csvLines(audit)) hash.update(line, 'utf8');
  const csvSha256 = `sha256:${hash.digest('hex')}`;
  async function* lines(): AsyncGenerator<string> {
    yield* csvLines(audit);
  }
  return {
    audit,
    csvSha256,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'x-isochron-content-hash': audit.contentHash,
      'x-isochron-csv-sha256': csvSha256,
      'x-isochron-registry-version': audit.versions.registryVersion,
      'x-isochron-data-fingerprint': `${audit.versions.data.rows}:${audit.versions.data.windows}:${audit.versions.data.hash}`,
    },
    lines: lines(),
  };
}
