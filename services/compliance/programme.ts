// The programme audit: every registered enterprise with its status over a period, filterable by
// region, industry, network type and profile. One query reads one aggregate per flow for every
// enterprise at once (rollup slices, core/compliance/audit-period.ts); each flow is judged as in
// the enterprise view (flows.ts), and the enterprise's status is the worst of its flows
// (core/compliance/combine.ts). docs/audit.md "Programme audit".
import { createHash } from 'node:crypto';
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import type { LoadedCatalog, LoadedProfile } from '../adapters/profiles/load.ts';
import { auditSlices } from '../core/compliance/audit-period.ts';
import { levelVerdict, type FlowStatus, type LevelStatus, type StatusCounts } from '../core/compliance/combine.ts';
import { addFingerprints, EMPTY_FINGERPRINT, fingerprintJson, sameFingerprint, type DataFingerprint } from '../core/compliance/fingerprint.ts';
import { canonicalJson } from '../core/compliance/catalog.ts';
import { fingerprintOf } from '../adapters/clickhouse/compliance-aggregate.ts';
import type { ThresholdKind } from '../core/compliance/types.ts';
import { DEFAULT_ENGINE_CONFIG } from '../core/engine/config.ts';
import { IsochronError } from '../core/errors.ts';
import { indexAssignments } from '../core/tenancy/assignments.ts';
import { NETWORK_TYPES, type NetworkType } from '../core/wire/batch.ts';
import { findProfile, slicesJson, type AuditOptions, type EnterpriseCompliance, type Versions } from './enterprise.ts';
import { compileOutcomes, type CompiledOutcomes } from '../core/compliance/outcomes.ts';
import type { AssignmentIndex } from '../core/tenancy/assignments.ts';
import type { AssignmentRecord } from '../core/tenancy/types.ts';
import { chooseProfile, profilesUsed, readFlowAggregatesUnmerged, type FlowAggregate, type ProfileChoice, type ProfileRef } from './flows.ts';
import { AUDIT_FORMAT } from './format.ts';
import { contentHash } from './hash.ts';
import { createProgrammeAuditCache, type ProgrammeAuditCache } from './programme-cache.ts';
import { enterpriseFingerprintsSql, registryContentVersionsSql, type FlowScope } from './sql.ts';
import { sqlInt } from '../adapters/clickhouse/literal.ts';
import type { AuditRegistry } from './registry.ts';

export interface ProgrammeFilters {
  readonly region?: string;
  readonly industry?: string;
  /** Only flows of this network type are judged; only enterprises with such flows are listed. */
  readonly networkType?: NetworkType;
  /** Only flows assigned this profile id are judged; only enterprises with such an assignment are listed. */
  readonly profileId?: string;
}

export interface ProgrammeAuditRequest {
  readonly fromNs: bigint;
  readonly toNs: bigint;
  readonly filters?: ProgrammeFilters;
  readonly asOf?: bigint;
}

export interface ProgrammeAuditRequestJson {
  readonly fromNs: string;
  readonly toNs: string;
  readonly filters: { readonly region: string | null; readonly industry: string | null; readonly networkType: NetworkType | null; readonly profileId: string | null };
  readonly asOf: string;
}

export interface ProgrammeAuditRow {
  readonly enterpriseId: string;
  readonly name: string;
  readonly region: string;
  readonly industry: string;
  /** Network types of the judged flows' rows, sorted. */
  readonly networkTypes: readonly string[];
  /** "id@version" of every profile a flow was judged by, sorted. */
  readonly profiles: readonly string[];
  readonly status: LevelStatus;
  readonly flows: StatusCounts & { readonly total: number };
  /** Thresholds failed by at least one flow, in evaluation order. */
  readonly failingThresholds: readonly ThresholdKind[];
  /** Some verdict used a [U] value. */
  readonly unverified: boolean;
  readonly windows: number;
  readonly sentPackets: number;
  readonly lostPackets: number;
  /** Pooled lost / sent over the judged flows (informative; verdicts are per flow). */
  readonly lossRatio: number | null;
  readonly owdMaxNs: number | null;
  /** Lowest availability (1 - downtime / expected) among the flows that have one. */
  readonly worstAvailability: number | null;
}

export interface ProgrammeAudit {
  readonly kind: 'programme_audit';
  readonly request: ProgrammeAuditRequestJson;
  readonly slices: EnterpriseCompliance['slices'];
  /** Sorted by enterpriseId. */
  readonly rows: readonly ProgrammeAuditRow[];
  /** "sha256:" of the canonical JSON of rows; contentHash covers the rows through it. */
  readonly rowsSha256: string;
  readonly summary: {
    readonly enterprises: number;
    readonly status: Readonly<Record<LevelStatus, number>>;
    readonly flows: StatusCounts;
    /** Enterprise ids with rows in the period but not registered as of the version (not listed). */
    readonly unregisteredWithData: number;
  };
  /** versions.data: the rows of the listed enterprises in the period (of the network type filter). */
  readonly versions: Versions;
  /** "sha256:" of the canonical JSON of everything but rows (which rowsSha256 covers) and this field. */
  readonly contentHash: string;
}

const THRESHOLD_ORDER: readonly ThresholdKind[] = ['delay', 'pdv', 'reliability', 'availability', 'mtbf', 'lossBurst', 'lossRatio', 'errorRatio'];

/** Enterprise lists up to this size are pushed into the query; larger ones are filtered after. */
const MAX_ENTERPRISES_IN_QUERY = 5_000;
/** Ranges the unfiltered programme is read in (about 2000 enterprises or more each). */
const QUERY_CHUNKS = 8;

function checkFilters(catalog: LoadedCatalog, f: ProgrammeFilters): void {
  if (f.networkType !== undefined && !NETWORK_TYPES.includes(f.networkType)) {
    throw new IsochronError('AUDIT_REQUEST_INVALID', `filters.networkType must be one of ${NETWORK_TYPES.join(', ')}`, { filter: 'networkType' });
  }
  if (f.profileId !== undefined) findProfile(catalog, { id: f.profileId });
}

/**
 * What the programme audit keeps of one judged flow: evaluate()'s outcomes (compileOutcomes, held
 * equal to evaluate() by core/compliance/outcomes.test.ts), not the full verdict.
 */
interface JudgedFlow {
  readonly networkTypes: readonly string[];
  readonly status: FlowStatus;
  /** "id@version" of the profile that judged it; null for no_profile. */
  readonly profileKey: string | null;
  readonly profile: ProfileRef | null;
  readonly failing: readonly ThresholdKind[];
  readonly unverified: boolean;
}

function summarizeRow(flows: readonly JudgedFlow[], aggregates: readonly FlowAggregate[]): Omit<ProgrammeAuditRow, 'enterpriseId' | 'name' | 'region' | 'industry'> {
  const statuses: FlowStatus[] = [];
  const types = new Set<string>();
  const profiles = new Set<string>();
  const failing = new Set<ThresholdKind>();
  let unverified = false;
  for (const f of flows) {
    statuses.push(f.status);
    for (const t of f.networkTypes) types.add(t);
    if (f.profileKey !== null) {
      profiles.add(f.profileKey);
      for (const t of f.failing) failing.add(t);
      if (f.unverified) unverified = true;
    }
  }
  const lv = levelVerdict(statuses);
  let windows = 0;
  let sent = 0;
  let lost = 0;
  let owdMax: number | null = null;
  let worstAvail: number | null = null;
  for (const a of aggregates) {
    const g = a.aggregate;
    windows += g.windows;
    sent += g.sentPackets;
    lost += g.lostPackets;
    if (g.owdMaxNs !== null && (owdMax === null || g.owdMaxNs > owdMax)) owdMax = g.owdMaxNs;
    if (g.availExpectedNs > 0) {
      const av = Math.min(1, Math.max(0, 1 - g.downtimeNs / g.availExpectedNs));
      if (worstAvail === null || av < worstAvail) worstAvail = av;
    }
  }
  return {
    networkTypes: [...types].sort(),
    profiles: [...profiles].sort(),
    status: lv.verdict,
    flows: { ...lv.flows, total: flows.length },
    failingThresholds: THRESHOLD_ORDER.filter((k) => failing.has(k)),
    unverified,
    windows,
    sentPackets: sent,
    lostPackets: lost,
    lossRatio: sent > 0 ? lost / sent : null,
    owdMaxNs: owdMax,
    worstAvailability: worstAvail,
  };
}

const j = JSON.stringify;
const list = (xs: readonly string[]) => `[${xs.map((x) => j(x)).join(',')}]`;

/**
 * canonicalJson(row) (keys sorted at every level) written out for the row's fixed shape: the
 * generic walk costs about a second and much garbage for 50 000 rows. A unit test holds the two
 * equal.
 */
export function canonicalRowJson(r: ProgrammeAuditRow): string {
  const f = r.flows;
  return `{"enterpriseId":${j(r.enterpriseId)},"failingThresholds":${list(r.failingThresholds)},`
    + `"flows":{"fail":${f.fail},"insufficient_data":${f.insufficient_data},"no_profile":${f.no_profile},"pass":${f.pass},"total":${f.total}},`
    + `"industry":${j(r.industry)},"lossRatio":${j(r.lossRatio)},"lostPackets":${j(r.lostPackets)},"name":${j(r.name)},"networkTypes":${list(r.networkTypes)},`
    + `"owdMaxNs":${j(r.owdMaxNs)},"profiles":${list(r.profiles)},"region":${j(r.region)},"sentPackets":${j(r.sentPackets)},"status":${j(r.status)},`
    + `"unverified":${j(r.unverified)},"windows":${j(r.windows)},"worstAvailability":${j(r.worstAvailability)}}`;
}

/** rowsSha256, fed one row at a time (rows in their final order). */
function createRowsHash(): { add(r: ProgrammeAuditRow): void; digest(): string } {
  const h = createHash('sha256');
  let first = true;
  let pending = '[';
  return {
    add(r: ProgrammeAuditRow): void {
      pending += first ? canonicalRowJson(r) : `,${canonicalRowJson(r)}`;
      first = false;
      // Fewer, larger updates: one per row costs more than the hashing itself.
      if (pending.length > 65_536) {
        h.update(pending);
        pending = '';
      }
    },
    digest(): string {
      h.update(`${pending}]`);
      return `sha256:${h.digest('hex')}`;
    },
  };
}

/** "sha256:" of canonicalJson(rows). */
export function rowsSha256(rows: readonly ProgrammeAuditRow[]): string {
  const h = createRowsHash();
  for (const r of rows) h.add(r);
  return h.digest();
}

/** What a programme audit computes from the data; the rest is the request and its versions. */
interface Body {
  readonly rows: readonly ProgrammeAuditRow[];
  readonly rowsSha256: string;
  readonly summary: ProgrammeAudit['summary'];
  readonly profiles: Versions['profiles'];
}

const DEFAULT_CACHE = createProgrammeAuditCache(2);
const catalogDigests = new WeakMap<LoadedCatalog, string>();

/** Names the catalog's content: every (id, version, content hash) it holds. */
function catalogDigest(catalog: LoadedCatalog): string {
  let d = catalogDigests.get(catalog);
  if (d === undefined) {
    d = contentHash(catalog.profiles.map((p) => [p.profile.id, p.profile.version, p.contentHash]).sort());
    catalogDigests.set(catalog, d);
  }
  return d;
}

function sumListed(rows: readonly Record<string, unknown>[], listed: ReadonlySet<string>): DataFingerprint {
  let fp = EMPTY_FINGERPRINT;
  for (const r of rows) if (listed.has(String(r.enterprise_id))) fp = addFingerprints(fp, fingerprintOf(r));
  return fp;
}

/**
 * Starts the tasks, at most `concurrency` at a time (the next one as soon as one finishes), and
 * returns their results in task order, so the caller can consume range i while i + 1 is read.
 */
function startInOrder<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T>[] {
  const settle: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const out = tasks.map(() => new Promise<T>((resolve, reject) => settle.push({ resolve, reject })));
  // A rejection is thrown where its result is awaited; unconsumed ones must not crash the process.
  for (const p of out) p.catch(() => undefined);
  let next = 0;
  const launch = (): void => {
    if (next >= tasks.length) return;
    const i = next++;
    tasks[i]().then((v) => { settle[i].resolve(v); launch(); }, (e: unknown) => { settle[i].reject(e); next = tasks.length; });
  };
  for (let k = 0; k < concurrency; k++) launch();
  return out;
}

/**
 * ClickHouse's String order (bytes of UTF-8, i.e. code points) for JS strings: UTF-16 units
 * compared as code points (surrogates sort above U+E000..U+FFFF).
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
      if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
      return x - y;
    }
  }
  return a.length - b.length;
}

/** The enterprise ids ever registered at or below the version, sorted: only used to cut ranges. */
function enterpriseIdsSql(asOf: bigint): string {
  return `SELECT arraySort(groupUniqArray(enterprise_id)) AS ids FROM enterprises WHERE registry_version <= ${sqlInt(asOf, 'UInt64')}`;
}

function rangeChunks(n: number): number {
  return Math.min(QUERY_CHUNKS, Math.ceil(n / 2_000));
}

/** Splits the enterprise key space into ranges of about equal registered enterprises (the first and last are open). */
function enterpriseRanges(sortedIds: readonly string[], chunks: number): { from?: string; to?: string }[] {
  if (chunks <= 1 || sortedIds.length < chunks) return [{}];
  const step = Math.ceil(sortedIds.length / chunks);
  const cuts: string[] = [];
  for (let i = step; i < sortedIds.length; i += step) cuts.push(sortedIds[i]);
  return [{ to: cuts[0] }, ...cuts.slice(1).map((c, i) => ({ from: cuts[i], to: c })), { from: cuts[cuts.length - 1] }];
}

const compiledOutcomes = new WeakMap<LoadedProfile, CompiledOutcomes>();

function outcomesOf(entry: LoadedProfile): CompiledOutcomes {
  let c = compiledOutcomes.get(entry);
  if (c === undefined) compiledOutcomes.set(entry, (c = compileOutcomes(entry.profile)));
  return c;
}

/** chooseProfile (flows.ts) without an explicit profile. */
function choose(catalog: LoadedCatalog, index: AssignmentIndex, a: FlowAggregate): ProfileChoice {
  const r = index.resolve(a);
  if (r === null) return chooseProfile(catalog, index, a, null);
  const entry = catalog.find(r.profileId, r.profileVersion);
  if (entry === undefined) return chooseProfile(catalog, index, a, null);
  return { entry, origin: r.scope };
}

function judgeOutcomes(a: FlowAggregate, choice: ProfileChoice): JudgedFlow {
  if ('problem' in choice) return { networkTypes: a.networkTypes, status: 'no_profile', profileKey: null, profile: null, failing: [], unverified: false };
  const { entry } = choice;
  const compiled = outcomesOf(entry);
  const o = compiled.outcomes(a.aggregate);
  return {
    networkTypes: a.networkTypes,
    status: o.verdict,
    profileKey: `${entry.profile.id}@${entry.profile.version}`,
    profile: { id: entry.profile.id, version: entry.profile.version, contentHash: entry.contentHash, origin: choice.origin },
    failing: o.failing,
    unverified: compiled.unverified,
  };
}

async function computeBody(
  ch: ClickHouse, catalog: LoadedCatalog, registry: AuditRegistry, slices: ReturnType<typeof auditSlices>, filters: ProgrammeFilters, asOf: bigint, downtimeOrigin: Versions['downtimeOrigin'],
): Promise<{ body: Body; scope: FlowScope; listed: string[]; data: DataFingerprint }> {
  const registryRead = Promise.all([registry.enterprises(asOf), registry.assignmentRecords(asOf)]);
  registryRead.catch(() => undefined);
  const unfiltered = filters.region === undefined && filters.industry === undefined && filters.profileId === undefined;
  // The whole programme is read in ranges of enterprises, two queries in flight: ClickHouse
  // (FINAL reads one stream per query) works on the next range while this process judges the
  // last one. Unfiltered, the ranges are cut from a small id query so that reading flows starts
  // while the registry (50 000 enterprises and their assignments) is still being read.
  let early: { from?: string; to?: string }[] | null = null;
  if (unfiltered) {
    const [row] = await ch.query<{ ids: string[] }>(enterpriseIdsSql(asOf));
    early = enterpriseRanges(row.ids, rangeChunks(row.ids.length));
  }
  const read = (ranges: readonly { from?: string; to?: string }[], scope: FlowScope) =>
    startInOrder(ranges.map((r) => () => readFlowAggregatesUnmerged(ch, slices, { ...scope, enterpriseFrom: r.from, enterpriseTo: r.to }, downtimeOrigin, MAX_ENTERPRISES_IN_QUERY)), 2);
  const earlyScope: FlowScope = { networkType: filters.networkType };
  const earlyResults = early === null ? null : read(early, earlyScope);

  const [allEnterprises, records] = await registryRead;
  const index = indexAssignments(records, asOf);
  const registered = new Set(allEnterprises.map((e) => e.enterpriseId));
  let enterprises = allEnterprises.filter((e) => (filters.region === undefined || e.region === filters.region) && (filters.industry === undefined || e.industry === filters.industry));
  if (filters.profileId !== undefined) enterprises = enterprises.filter((e) => index.forEnterprise(e.enterpriseId).some((a) => a.profileId === filters.profileId));
  const narrowed = enterprises.length < allEnterprises.length && enterprises.length <= MAX_ENTERPRISES_IN_QUERY;
  const scope: FlowScope = early !== null ? earlyScope : { enterpriseIds: narrowed ? enterprises.map((e) => e.enterpriseId) : undefined, networkType: filters.networkType };
  const ranges = early ?? (narrowed ? [{}] : enterpriseRanges(allEnterprises.map((e) => e.enterpriseId), rangeChunks(allEnterprises.length)));
  const results = earlyResults ?? read(ranges, scope);

  // Each enterprise's flows are in exactly one range; its row is built once that range is judged,
  // while ClickHouse reads the next. Should a flow ever arrive after its enterprise's row was built
  // (an id this process orders differently from ClickHouse), every row is rebuilt at the end.
  const cuts = ranges.slice(1).map((r) => r.from as string);
  const position = new Map<string, number>();
  const byRange: number[][] = ranges.map(() => []);
  enterprises.forEach((e, i) => {
    position.set(e.enterpriseId, i);
    let k = 0;
    while (k < cuts.length && compareUtf8(e.enterpriseId, cuts[k]) >= 0) k++;
    byRange[k].push(i);
  });
  const built = new Uint8Array(enterprises.length);
  let rebuild = false;
  const perEnterprise = new Map<string, { judged: JudgedFlow[]; aggs: FlowAggregate[] }>();
  const unregistered = new Set<string>();
  let data = EMPTY_FINGERPRINT;

  const rowAt: (ProgrammeAuditRow | null)[] = new Array(enterprises.length).fill(null);
  const buildRow = (i: number): void => {
    const e = enterprises[i];
    const entry = perEnterprise.get(e.enterpriseId);
    built[i] = 1;
    if (filters.networkType !== undefined && entry === undefined) return;
    rowAt[i] = Object.freeze({ enterpriseId: e.enterpriseId, name: e.name, region: e.region, industry: e.industry, ...summarizeRow(entry?.judged ?? [], entry?.aggs ?? []) });
  };
  const hash = createRowsHash();
  let hashed = 0;
  const hashReady = (): void => {
    while (hashed < enterprises.length && built[hashed] === 1) {
      const r = rowAt[hashed++];
      if (r !== null) hash.add(r);
    }
  };

  for (let k = 0; k < ranges.length; k++) {
    for (const a of await results[k]) {
      if (!registered.has(a.enterpriseId)) {
        unregistered.add(a.enterpriseId);
        continue;
      }
      const at = position.get(a.enterpriseId);
      if (at === undefined) continue;
      if (built[at] === 1) rebuild = true;
      data = addFingerprints(data, a.fingerprint);
      let entry = perEnterprise.get(a.enterpriseId);
      if (entry === undefined) perEnterprise.set(a.enterpriseId, (entry = { judged: [], aggs: [] }));
      const choice = choose(catalog, index, a);
      if (filters.profileId !== undefined && !('entry' in choice && choice.entry.profile.id === filters.profileId)) continue;
      entry.judged.push(judgeOutcomes(a, choice));
      entry.aggs.push(a);
    }
    if (!rebuild) {
      for (const i of byRange[k]) buildRow(i);
      hashReady();
    }
  }
  let rowsHash: string;
  if (rebuild) {
    for (let i = 0; i < enterprises.length; i++) buildRow(i);
    rowsHash = rowsSha256(rowAt.filter((r): r is ProgrammeAuditRow => r !== null));
  } else {
    for (let i = 0; i < enterprises.length; i++) if (built[i] === 0) buildRow(i);
    hashReady();
    rowsHash = hash.digest();
  }

  const rows: ProgrammeAuditRow[] = [];
  const listed: string[] = [];
  const statuses: FlowStatus[] = [];
  const refs = new Map<string, ProfileRef>();
  for (const r of rowAt) {
    if (r === null) continue;
    rows.push(r);
    listed.push(r.enterpriseId);
    for (const f of perEnterprise.get(r.enterpriseId)?.judged ?? []) {
      statuses.push(f.status);
      if (f.profileKey !== null && !refs.has(f.profileKey)) refs.set(f.profileKey, f.profile as ProfileRef);
    }
  }
  const status: Record<LevelStatus, number> = { pass: 0, fail: 0, insufficient_data: 0, no_data: 0, no_profile: 0 };
  for (const r of rows) status[r.status]++;
  const body: Body = {
    rows: Object.freeze(rows),
    rowsSha256: rowsHash,
    summary: { enterprises: rows.length, status, flows: levelVerdict(statuses).flows, unregisteredWithData: unregistered.size },
    profiles: profilesUsed([...refs.values()].map((profile) => ({ profile }))),
  };
  return { body, scope, listed, data };
}

export async function programmeAudit(
  ch: ClickHouse,
  catalog: LoadedCatalog,
  registry: AuditRegistry,
  req: ProgrammeAuditRequest,
  options: AuditOptions = {},
): Promise<ProgrammeAudit> {
  const slices = auditSlices(req.fromNs, req.toNs);
  const filters = req.filters ?? {};
  checkFilters(catalog, filters);
  const downtimeOrigin = options.downtimeOrigin === undefined ? DEFAULT_ENGINE_CONFIG.downtimeOrigin : options.downtimeOrigin;
  const cache = options.programmeCache === undefined ? DEFAULT_CACHE : options.programmeCache;
  const asOf = req.asOf ?? (await registry.currentVersion());
  const request: ProgrammeAuditRequestJson = {
    fromNs: req.fromNs.toString(),
    toNs: req.toNs.toString(),
    filters: { region: filters.region ?? null, industry: filters.industry ?? null, networkType: filters.networkType ?? null, profileId: filters.profileId ?? null },
    asOf: asOf.toString(),
  };

  let found: { body: Body; data: DataFingerprint } | null = null;
  let key: string | null = null;
  if (cache !== null) {
    const [reg] = await ch.query<{ db: string; e: string; a: string }>(registryContentVersionsSql(asOf));
    key = canonicalJson({ format: AUDIT_FORMAT, slices: slicesJson(slices), filters: request.filters, registry: reg, catalog: catalogDigest(catalog), downtimeOrigin });
    const hit = cache.get(key);
    if (hit !== undefined) {
      const now = sumListed(await ch.query<Record<string, unknown>>(enterpriseFingerprintsSql(slices, hit.scope)), new Set(hit.listed));
      if (sameFingerprint(now, hit.data)) found = { body: hit.body as Body, data: hit.data };
    }
  }
  if (found === null) {
    const computed = await computeBody(ch, catalog, registry, slices, filters, asOf, downtimeOrigin);
    if (cache !== null && key !== null) cache.set(key, { scope: computed.scope, listed: computed.listed, data: computed.data, body: computed.body });
    found = { body: computed.body, data: computed.data };
  }
  const { rows, ...rest } = found.body;
  const header = {
    kind: 'programme_audit' as const,
    request,
    slices: slicesJson(slices),
    rowsSha256: rest.rowsSha256,
    summary: rest.summary,
    versions: { profiles: rest.profiles, registryVersion: asOf.toString(), data: fingerprintJson(found.data), downtimeOrigin },
  };
  return { ...header, rows, contentHash: contentHash(header) };
}
