// The registry's records (sql/004_tenancy.sql) and who is asking (a Principal). Pure data:
// reading and writing them is services/adapters/tenancy; deciding with them is this folder.

export type Role = 'ingest' | 'viewer' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['ingest', 'viewer', 'auditor', 'admin'];

/** Roles bound to one enterprise; the others see the whole programme. */
export const ENTERPRISE_ROLES: readonly Role[] = ['ingest', 'viewer'];

export interface EnterpriseRecord {
  readonly enterpriseId: string;
  readonly name: string;
  readonly region: string;
  readonly industry: string;
  /** Industrial internet identifier prefix, e.g. "88.100.1"; device ids are "<prefix>/<suffix>". */
  readonly identifierPrefix: string;
  readonly registryVersion: bigint;
  readonly deleted: boolean;
}

export interface CredentialRecord {
  /** Public part of the key "iso_<keyId>_<secret>". */
  readonly keyId: string;
  /** Lower-case hex SHA-256 of the secret part. */
  readonly secretSha256: string;
  readonly role: Role;
  /** The enterprise of an ingest or viewer key; '' for auditor and admin. */
  readonly enterpriseId: string;
  readonly label: string;
  readonly registryVersion: bigint;
  readonly deleted: boolean;
}

export type AssignmentScope = 'enterprise' | 'site' | 'device' | 'flow';

export interface AssignmentRecord {
  readonly enterpriseId: string;
  readonly scope: AssignmentScope;
  /** '' when the scope is wider than a site (and likewise for device and flow). */
  readonly siteId: string;
  readonly deviceId: string;
  readonly flowId: string;
  readonly profileId: string;
  readonly profileVersion: number;
  readonly registryVersion: bigint;
  readonly deleted: boolean;
}

/** The authenticated caller. enterpriseId is set exactly for the enterprise roles. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  readonly enterpriseId: string | null;
}
