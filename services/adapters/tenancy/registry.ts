// The programme registry in ClickHouse (sql/004_tenancy.sql): enterprises, API credentials and
// profile assignments. Rows are append-only and versioned; a read "as of" a version takes, per
// key, the row with the highest registry_version at or below it (argMax, portable to 18.16).
//
// Versions are microseconds since the Unix epoch, bumped past the highest version already in
// the registry, so they are strictly increasing even when the clock steps back. Writers in one
// process are serialized here; run one registry writer (the admin tool or one service) at a
// time: two processes writing in the same microsecond could pick the same version.
//
// Reads put values into SQL only through literal.ts; writes go as JSONEachRow rows (data, not
// SQL text).
import { createHash, randomBytes } from 'node:crypto';
import { IsochronError } from '../../core/errors.ts';
import { formatApiKey } from '../../core/tenancy/api-key.ts';
import { assignmentIdsMatchScope } from '../../core/tenancy/assignments.ts';
import { isValidIdentifierPrefix, parseDeviceIdentifier } from '../../core/tenancy/identifier.ts';
import { ENTERPRISE_ROLES, ROLES, type AssignmentRecord, type AssignmentScope, type CredentialRecord, type EnterpriseRecord, type Role } from '../../core/tenancy/types.ts';
import type { ClickHouse } from '../clickhouse/client.ts';
import { sqlInt, sqlString } from '../clickhouse/literal.ts';

export type NewEnterprise = Omit<EnterpriseRecord, 'registryVersion' | 'deleted'>;
export type NewAssignment = Omit<AssignmentRecord, 'registryVersion' | 'deleted'>;
export interface CredentialRequest {
  readonly role: Role;
  readonly enterpriseId: string;
  readonly label: string;
}
export type AssignmentKey = Omit<AssignmentRecord, 'registryVersion' | 'deleted' | 'profileId' | 'profileVersion'>;

export interface Registry {
  /** Highest registry_version over the three tables (0n when empty). */
  currentVersion(): Promise<bigint>;
  /** Creates or updates enterprises in one insert; returns the version written. */
  putEnterprises(list: readonly NewEnterprise[]): Promise<bigint>;
  deleteEnterprise(enterpriseId: string): Promise<bigint>;
  /** Enterprises in force as of a version (latest row per id, deletions removed). */
  enterprises(asOf?: bigint): Promise<EnterpriseRecord[]>;
  /** A new key; the returned apiKey is the only copy of the secret (only its SHA-256 is stored). */
  createCredential(input: { role: Role; enterpriseId: string; label: string }): Promise<{ apiKey: string; record: CredentialRecord }>;
  /** Many keys in one write (one version, one insert): onboarding thousands of enterprises. */
  createCredentials(inputs: readonly CredentialRequest[]): Promise<{ apiKey: string; record: CredentialRecord }[]>;
  revokeCredential(keyId: string): Promise<bigint>;
  /** Credentials in force now. */
  credentials(): Promise<CredentialRecord[]>;
  assign(list: readonly NewAssignment[]): Promise<bigint>;
  unassign(list: readonly AssignmentKey[]): Promise<bigint>;
  /** Raw assignment rows with registry_version <= asOf (for indexAssignments). */
  assignmentRecords(asOf?: bigint, enterpriseId?: string): Promise<AssignmentRecord[]>;
}

/** Enterprise, site and flow ids: 1..128 characters of [A-Za-z0-9._:-]. */
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_TEXT_CHARS = 256;
const SCOPES: readonly AssignmentScope[] = ['enterprise', 'site', 'device', 'flow'];
const SCOPE_IDS: Readonly<Record<AssignmentScope, string>> = {
  enterprise: "siteId, deviceId and flowId ''",
  site: "siteId set, deviceId and flowId ''",
  device: "siteId and deviceId set, flowId ''",
  flow: 'siteId, deviceId and flowId set',
};

function invalid(problems: string[]): IsochronError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new IsochronError('REGISTRY_INVALID', `registry change rejected: ${shown.join('; ')}${more}`, { problems: shown });
}

function u64(v: unknown): bigint {
  return BigInt(String(v));
}

function asOfClause(asOf: bigint | undefined): string {
  return asOf === undefined ? '1' : `registry_version <= ${sqlInt(asOf, 'UInt64')}`;
}

function checkText(problems: string[], where: string, value: unknown, allowEmpty: boolean): void {
  if (typeof value !== 'string') problems.push(`${where} must be a string`);
  else if (!allowEmpty && value.length === 0) problems.push(`${where} must not be empty`);
  else if (value.length > MAX_TEXT_CHARS) problems.push(`${where} is longer than ${MAX_TEXT_CHARS} characters`);
  else if (!value.isWellFormed() || /[\u0000-\u001f\u007f]/.test(value)) problems.push(`${where} contains control characters or lone surrogates`);
}

function checkId(problems: string[], where: string, value: unknown): void {
  if (typeof value !== 'string' || !ID.test(value)) problems.push(`${where} must be 1..128 characters of A-Z a-z 0-9 . _ : - (got ${JSON.stringify(value)})`);
}

export function createRegistry(ch: ClickHouse): Registry {
  let lastVersion = 0n;
  let tail: Promise<unknown> = Promise.resolve();

  /** Runs registry writes one after another, each with a fresh, strictly higher version. */
  function write<T>(fn: (version: bigint) => Promise<T>): Promise<T> {
    const run = tail.then(async () => {
      const current = await currentVersion();
      const nowUs = BigInt(Date.now()) * 1000n;
      let v = nowUs;
      if (v <= current) v = current + 1n;
      if (v <= lastVersion) v = lastVersion + 1n;
      lastVersion = v;
      return fn(v);
    });
    tail = run.catch(() => undefined);
    return run;
  }

  async function currentVersion(): Promise<bigint> {
    const rows = await ch.query<{ v: string }>(
      `SELECT max(v) AS v FROM (SELECT max(registry_version) AS v FROM enterprises UNION ALL SELECT max(registry_version) AS v FROM api_credentials UNION ALL SELECT max(registry_version) AS v FROM profile_assignments)`,
    );
    return rows.length === 0 ? 0n : u64(rows[0].v);
  }

  async function enterprises(asOf?: bigint): Promise<EnterpriseRecord[]> {
    const rows = await ch.query<Record<string, string | number>>(
      `SELECT enterprise_id, n, r, i, p, v, d FROM (
         SELECT enterprise_id, argMax(name, registry_version) AS n, argMax(region, registry_version) AS r,
                argMax(industry, registry_version) AS i, argMax(identifier_prefix, registry_version) AS p,
                max(registry_version) AS v, argMax(deleted, registry_version) AS d
         FROM enterprises WHERE ${asOfClause(asOf)} GROUP BY enterprise_id
       ) WHERE d = 0 ORDER BY enterprise_id`,
    );
    return rows.map((r) => ({
      enterpriseId: String(r.enterprise_id),
      name: String(r.n),
      region: String(r.r),
      industry: String(r.i),
      identifierPrefix: String(r.p),
      registryVersion: u64(r.v),
      deleted: false,
    }));
  }

  async function credentials(): Promise<CredentialRecord[]> {
    const rows = await ch.query<Record<string, string | number>>(
      `SELECT key_id, s, ro, e, l, v, d FROM (
         SELECT key_id, argMax(secret_sha256, registry_version) AS s, argMax(role, registry_version) AS ro,
                argMax(enterprise_id, registry_version) AS e, argMax(label, registry_version) AS l,
                max(registry_version) AS v, argMax(deleted, registry_version) AS d
         FROM api_credentials GROUP BY key_id
       ) WHERE d = 0 ORDER BY key_id`,
    );
    return rows.map((r) => ({
      keyId: String(r.key_id),
      secretSha256: String(r.s),
      role: String(r.ro) as Role,
      enterpriseId: String(r.e),
      label: String(r.l),
      registryVersion: u64(r.v),
      deleted: false,
    }));
  }

  async function enterpriseById(): Promise<Map<string, EnterpriseRecord>> {
    return new Map((await enterprises()).map((e) => [e.enterpriseId, e]));
  }

  function assignmentRow(a: AssignmentKey & { profileId: string; profileVersion: number }, version: bigint, deleted: boolean): object {
    return {
      enterprise_id: a.enterpriseId,
      scope: a.scope,
      site_id: a.siteId,
      device_id: a.deviceId,
      flow_id: a.flowId,
      profile_id: a.profileId,
      profile_version: a.profileVersion,
      registry_version: version.toString(),
      deleted: deleted ? 1 : 0,
    };
  }

  function checkAssignmentKeys(list: readonly AssignmentKey[], known: Map<string, EnterpriseRecord>, problems: string[]): void {
    list.forEach((a, i) => {
      const at = `assignment ${i}`;
      const e = known.get(a.enterpriseId);
      if (e === undefined) problems.push(`${at}: enterprise ${JSON.stringify(a.enterpriseId)} is not registered`);
      if (!SCOPES.includes(a.scope)) {
        problems.push(`${at}: scope must be one of ${SCOPES.join(', ')}`);
        return;
      }
      if (!assignmentIdsMatchScope(a)) problems.push(`${at}: scope ${a.scope} needs ${SCOPE_IDS[a.scope]}`);
      if (a.siteId !== '') checkId(problems, `${at}.siteId`, a.siteId);
      if (a.flowId !== '') checkId(problems, `${at}.flowId`, a.flowId);
      if (a.deviceId !== '') {
        try {
          const { prefix } = parseDeviceIdentifier(a.deviceId);
          if (e !== undefined && prefix !== e.identifierPrefix) problems.push(`${at}.deviceId: prefix ${prefix} is not the enterprise's prefix ${e.identifierPrefix}`);
        } catch (err) {
          problems.push(`${at}.deviceId: ${(err as Error).message}`);
        }
      }
    });
  }

  async function createCredentials(inputs: readonly CredentialRequest[]): Promise<{ apiKey: string; record: CredentialRecord }[]> {
    if (inputs.length === 0) throw invalid(['no credentials requested']);
    const problems: string[] = [];
    inputs.forEach((input, i) => {
      const at = inputs.length === 1 ? '' : `credential ${i}: `;
      if (!ROLES.includes(input.role)) problems.push(`${at}role must be one of ${ROLES.join(', ')}`);
      checkText(problems, `${at}label`, input.label, true);
      const bound = ENTERPRISE_ROLES.includes(input.role);
      if (bound && input.enterpriseId === '') problems.push(`${at}role ${input.role} needs an enterprise`);
      if (!bound && input.enterpriseId !== '') problems.push(`${at}role ${input.role} sees the whole programme: enterpriseId must be ''`);
    });
    if (problems.length > 0) throw invalid(problems);
    return write(async (version) => {
      const known = await enterpriseById();
      inputs.forEach((input, i) => {
        if (ENTERPRISE_ROLES.includes(input.role) && !known.has(input.enterpriseId)) problems.push(`${inputs.length === 1 ? '' : `credential ${i}: `}enterprise ${JSON.stringify(input.enterpriseId)} is not registered`);
      });
      if (problems.length > 0) throw invalid(problems);
      const created = inputs.map((input) => {
        const keyId = randomBytes(8).toString('hex');
        const secret = randomBytes(32).toString('base64url');
        const record: CredentialRecord = {
          keyId,
          secretSha256: createHash('sha256').update(secret, 'utf8').digest('hex'),
          role: input.role,
          enterpriseId: input.enterpriseId,
          label: input.label,
          registryVersion: version,
          deleted: false,
        };
        return { apiKey: formatApiKey(keyId, secret), record };
      });
      await ch.insert('api_credentials', created.map((c) => credentialRow(c.record)));
      return created;
    });
  }

  return {
    currentVersion,
    enterprises,
    credentials,

    async putEnterprises(list) {
      if (list.length === 0) throw invalid(['no enterprises given']);
      const problems: string[] = [];
      const seenIds = new Set<string>();
      const prefixOwner = new Map<string, string>();
      list.forEach((e, i) => {
        const at = `enterprise ${i}`;
        checkId(problems, `${at}.enterpriseId`, e.enterpriseId);
        checkText(problems, `${at}.name`, e.name, false);
        checkText(problems, `${at}.region`, e.region, true);
        checkText(problems, `${at}.industry`, e.industry, true);
        if (!isValidIdentifierPrefix(e.identifierPrefix)) problems.push(`${at}.identifierPrefix ${JSON.stringify(e.identifierPrefix)} is not dot-separated decimal segments (at least 2, no leading zeros), e.g. 88.100.1`);
        if (seenIds.has(e.enterpriseId)) problems.push(`${at}: enterprise ${e.enterpriseId} appears twice`);
        seenIds.add(e.enterpriseId);
        const owner = prefixOwner.get(e.identifierPrefix);
        if (owner !== undefined && owner !== e.enterpriseId) problems.push(`${at}: prefix ${e.identifierPrefix} given to both ${owner} and ${e.enterpriseId}`);
        prefixOwner.set(e.identifierPrefix, e.enterpriseId);
      });
      if (problems.length > 0) throw invalid(problems);
      return write(async (version) => {
        // A prefix maps devices to exactly one enterprise: refuse one already held by another.
        for (const existing of await enterprises()) {
          const owner = prefixOwner.get(existing.identifierPrefix);
          if (owner !== undefined && owner !== existing.enterpriseId && !seenIds.has(existing.enterpriseId)) {
            problems.push(`prefix ${existing.identifierPrefix} is already registered to ${existing.enterpriseId} (asked for ${owner})`);
          }
        }
        if (problems.length > 0) throw invalid(problems);
        const v = version.toString();
        await ch.insert(
          'enterprises',
          list.map((e) => ({ enterprise_id: e.enterpriseId, name: e.name, region: e.region, industry: e.industry, identifier_prefix: e.identifierPrefix, registry_version: v, deleted: 0 })),
        );
        return version;
      });
    },

    async deleteEnterprise(enterpriseId) {
      return write(async (version) => {
        const e = (await enterpriseById()).get(enterpriseId);
        if (e === undefined) throw invalid([`enterprise ${JSON.stringify(enterpriseId)} is not registered`]);
        await ch.insert('enterprises', [
          { enterprise_id: e.enterpriseId, name: e.name, region: e.region, industry: e.industry, identifier_prefix: e.identifierPrefix, registry_version: version.toString(), deleted: 1 },
        ]);
        return version;
      });
    },

    async createCredential(input) {
      return (await createCredentials([input]))[0];
    },

    createCredentials,

    async revokeCredential(keyId) {
      return write(async (version) => {
        const found = (await credentials()).find((c) => c.keyId === keyId);
        if (found === undefined) throw invalid([`no credential in force has key id ${JSON.stringify(keyId)}`]);
        await ch.insert('api_credentials', [credentialRow({ ...found, registryVersion: version, deleted: true })]);
        return version;
      });
    },

    async assign(list) {
      if (list.length === 0) throw invalid(['no assignments given']);
      return write(async (version) => {
        const problems: string[] = [];
        checkAssignmentKeys(list, await enterpriseById(), problems);
        list.forEach((a, i) => {
          checkId(problems, `assignment ${i}.profileId`, a.profileId);
          if (!Number.isSafeInteger(a.profileVersion) || a.profileVersion < 1 || a.profileVersion > 0xffff_ffff) problems.push(`assignment ${i}.profileVersion must be an integer >= 1`);
        });
        if (problems.length > 0) throw invalid(problems);
        await ch.insert('profile_assignments', list.map((a) => assignmentRow(a, version, false)));
        return version;
      });
    },

    async unassign(list) {
      if (list.length === 0) throw invalid(['no assignments given']);
      return write(async (version) => {
        const problems: string[] = [];
        checkAssignmentKeys(list, await enterpriseById(), problems);
        if (problems.length > 0) throw invalid(problems);
        await ch.insert('profile_assignments', list.map((a) => assignmentRow({ ...a, profileId: '', profileVersion: 0 }, version, true)));
        return version;
      });
    },

    async assignmentRecords(asOf, enterpriseId) {
      const where = [asOfClause(asOf)];
      if (enterpriseId !== undefined) where.push(`enterprise_id = ${sqlString(enterpriseId)}`);
      const rows = await ch.query<Record<string, string | number>>(
        `SELECT enterprise_id, scope, site_id, device_id, flow_id, profile_id, profile_version, registry_version, deleted
         FROM profile_assignments WHERE ${where.join(' AND ')}
         ORDER BY enterprise_id, scope, site_id, device_id, flow_id, registry_version`,
      );
      return rows.map((r) => ({
        enterpriseId: String(r.enterprise_id),
        scope: String(r.scope) as AssignmentScope,
        siteId: String(r.site_id),
        deviceId: String(r.device_id),
        flowId: String(r.flow_id),
        profileId: String(r.profile_id),
        profileVersion: Number(r.profile_version),
        registryVersion: u64(r.registry_version),
        deleted: Number(r.deleted) === 1,
      }));
    },
  };
}

function credentialRow(c: CredentialRecord): object {
  return {
    key_id: c.keyId,
    secret_sha256: c.secretSha256,
    role: c.role,
    enterprise_id: c.enterpriseId,
    label: c.label,
    registry_version: c.registryVersion.toString(),
    deleted: c.deleted ? 1 : 0,
  };
}
