// The registry for admin keys: enterprises, API credentials (the key is shown once, at
// creation), and versioned profile assignments. Every change is a new registry version
// (sql/004_tenancy.sql); the answers name it so an audit can be reproduced "as of" it.
import { registeredEnterprise } from '../../compliance/index.ts';
import { IsochronError } from '../../core/errors.ts';
import type { AssignmentRecord, CredentialRecord, EnterpriseRecord } from '../../core/tenancy/types.ts';
import type { RouteContext } from '../app.ts';
import type { ApiRoute } from '../route.ts';
import { AUTH_ERROR_RESPONSES, ID_PATTERN, idSchema, object, roleSchema, versionSchema, type JsonSchema } from '../schemas.ts';
import { PROFILE_ID_PATTERN } from './profiles.ts';

const ADMIN = ['admin'] as const;
const MAX_ITEMS = 1000;
const text = (description: string, minLength = 0): JsonSchema => ({ type: 'string', minLength, maxLength: 256, description });
const KEY_ID_PATTERN = '^[0-9a-f]{16}$';
/** Industrial internet identifier prefix (services/core/tenancy/identifier.ts); the registry checks it exactly. */
const PREFIX_PATTERN = '^[0-9]{1,10}(\\.[0-9]{1,10}){1,7}$';
/** "<prefix>/<suffix>" device identifier; the registry checks it exactly. */
const DEVICE_PATTERN = '^[0-9.]{3,64}/[A-Za-z0-9._:-]{1,128}$';

const registryVersion = object({ registryVersion: versionSchema('the registry version this change was written as') }, ['registryVersion']);

const enterpriseFields = {
  enterpriseId: idSchema('enterprise id'),
  name: text('display name', 1),
  region: text('region (audit filter)'),
  industry: text('industry (audit filter)'),
  identifierPrefix: { type: 'string', pattern: PREFIX_PATTERN, maxLength: 64, description: 'industrial internet identifier prefix of its devices, e.g. 88.100.1' },
};
const enterpriseIn = object(enterpriseFields, ['enterpriseId', 'name', 'region', 'industry', 'identifierPrefix']);
const enterpriseOut = object({ ...enterpriseFields, registryVersion: versionSchema('version of this row') }, ['enterpriseId', 'name', 'region', 'industry', 'identifierPrefix', 'registryVersion']);

const credentialOut = object(
  {
    keyId: { type: 'string', pattern: KEY_ID_PATTERN, description: 'public part of the key' },
    role: roleSchema,
    enterpriseId: { type: 'string', description: "the enterprise of an ingest or viewer key; '' for auditor and admin" },
    label: { type: 'string' },
    registryVersion: versionSchema('version of this row'),
  },
  ['keyId', 'role', 'enterpriseId', 'label', 'registryVersion'],
);

const assignmentKeyFields = {
  enterpriseId: idSchema('enterprise id'),
  scope: { type: 'string', enum: ['enterprise', 'site', 'device', 'flow'], description: 'how specific: flow > device > site > enterprise wins' },
  siteId: { anyOf: [{ type: 'string', maxLength: 0 }, { type: 'string', pattern: ID_PATTERN }], description: "'' unless scope is site, device or flow" },
  deviceId: { anyOf: [{ type: 'string', maxLength: 0 }, { type: 'string', pattern: DEVICE_PATTERN }], description: "'' unless scope is device or flow" },
  flowId: { anyOf: [{ type: 'string', maxLength: 0 }, { type: 'string', pattern: ID_PATTERN }], description: "'' unless scope is flow" },
};
const assignmentKeyRequired = ['enterpriseId', 'scope', 'siteId', 'deviceId', 'flowId'];
const assignmentFields = {
  ...assignmentKeyFields,
  profileId: { type: 'string', pattern: PROFILE_ID_PATTERN, description: 'a profile id of GET /v1/profiles' },
  profileVersion: { type: 'integer', minimum: 1, maximum: 999999 },
};
const assignmentOut = object(
  { ...assignmentFields, profileId: { type: 'string' }, profileVersion: { type: 'integer' }, registryVersion: versionSchema('version of this row'), deleted: { type: 'boolean', description: 'true: the assignment of this key is withdrawn from this version on' } },
  [...assignmentKeyRequired, 'profileId', 'profileVersion', 'registryVersion', 'deleted'],
);

const enterpriseJson = (e: EnterpriseRecord) => ({ enterpriseId: e.enterpriseId, name: e.name, region: e.region, industry: e.industry, identifierPrefix: e.identifierPrefix, registryVersion: e.registryVersion.toString() });
const credentialJson = (c: CredentialRecord) => ({ keyId: c.keyId, role: c.role, enterpriseId: c.enterpriseId, label: c.label, registryVersion: c.registryVersion.toString() });
const assignmentJson = (a: AssignmentRecord) => ({ enterpriseId: a.enterpriseId, scope: a.scope, siteId: a.siteId, deviceId: a.deviceId, flowId: a.flowId, profileId: a.profileId, profileVersion: a.profileVersion, registryVersion: a.registryVersion.toString(), deleted: a.deleted });

export function adminRoutes(ctx: RouteContext): ApiRoute[] {
  const reg = ctx.registry;
  return [
    {
      method: 'POST',
      url: '/v1/admin/enterprises',
      access: ADMIN,
      tag: 'admin',
      summary: 'Create or update enterprises (one registry version for the whole list)',
      schema: { body: object({ enterprises: { type: 'array', minItems: 1, maxItems: MAX_ITEMS, items: enterpriseIn } }, ['enterprises']), response: { 200: registryVersion, ...AUTH_ERROR_RESPONSES } },
      handler: async (req) => ({ registryVersion: (await reg.putEnterprises((req.body as { enterprises: EnterpriseRecord[] }).enterprises)).toString() }),
    },
    {
      method: 'GET',
      url: '/v1/admin/enterprises',
      access: ADMIN,
      tag: 'admin',
      summary: 'Enterprises in force (as of a registry version)',
      schema: {
        querystring: object({ asOf: versionSchema('registry version (default: current)') }),
        response: { 200: object({ enterprises: { type: 'array', items: enterpriseOut } }, ['enterprises']), ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req) => {
        const { asOf } = req.query as { asOf?: string };
        return { enterprises: (await reg.enterprises(asOf === undefined ? undefined : BigInt(asOf))).map(enterpriseJson) };
      },
    },
    {
      method: 'DELETE',
      url: '/v1/admin/enterprises/:enterpriseId',
      access: ADMIN,
      tag: 'admin',
      summary: 'Delete an enterprise from this registry version on (past audits still see it)',
      schema: { params: object({ enterpriseId: idSchema('enterprise id') }, ['enterpriseId']), response: { 200: registryVersion, ...AUTH_ERROR_RESPONSES } },
      handler: async (req) => {
        const { enterpriseId } = req.params as { enterpriseId: string };
        // One enterprise row as of now, not the whole registry.
        if ((await registeredEnterprise(ctx.ch, enterpriseId, await reg.currentVersion())) === undefined) throw new IsochronError('API_NOT_FOUND', 'no such enterprise in force');
        return { registryVersion: (await reg.deleteEnterprise(enterpriseId)).toString() };
      },
    },
    {
      method: 'POST',
      url: '/v1/admin/credentials',
      access: ADMIN,
      tag: 'admin',
      summary: 'Create an API key; the answer is the only time the key is shown',
      schema: {
        body: object({ role: roleSchema, enterpriseId: { anyOf: [{ type: 'string', maxLength: 0 }, { type: 'string', pattern: ID_PATTERN }], description: "required for ingest and viewer; '' or absent for auditor and admin" }, label: text('what the key is for') }, ['role']),
        response: { 201: object({ apiKey: { type: 'string', description: 'iso_<keyId>_<secret>: store it now' }, credential: credentialOut }, ['apiKey', 'credential']), ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req, reply) => {
        const b = req.body as { role: CredentialRecord['role']; enterpriseId?: string; label?: string };
        const { apiKey, record } = await reg.createCredential({ role: b.role, enterpriseId: b.enterpriseId ?? '', label: b.label ?? '' });
        return reply.code(201).send({ apiKey, credential: credentialJson(record) });
      },
    },
    {
      method: 'GET',
      url: '/v1/admin/credentials',
      access: ADMIN,
      tag: 'admin',
      summary: 'Credentials in force (never the secret or its hash)',
      schema: { response: { 200: object({ credentials: { type: 'array', items: credentialOut } }, ['credentials']), ...AUTH_ERROR_RESPONSES } },
      handler: async () => ({ credentials: (await reg.credentials()).map(credentialJson) }),
    },
    {
      method: 'DELETE',
      url: '/v1/admin/credentials/:keyId',
      access: ADMIN,
      tag: 'admin',
      summary: 'Revoke a key (refused by every API instance within the auth refresh interval)',
      schema: { params: object({ keyId: { type: 'string', pattern: KEY_ID_PATTERN, description: 'key id' } }, ['keyId']), response: { 200: registryVersion, ...AUTH_ERROR_RESPONSES } },
      handler: async (req) => {
        const { keyId } = req.params as { keyId: string };
        if (!(await reg.credentials()).some((c) => c.keyId === keyId)) throw new IsochronError('API_NOT_FOUND', 'no credential in force has this key id');
        return { registryVersion: (await reg.revokeCredential(keyId)).toString() };
      },
    },
    {
      method: 'POST',
      url: '/v1/admin/assignments',
      access: ADMIN,
      tag: 'admin',
      summary: 'Assign requirement profiles (one new registry version for the whole list)',
      schema: {
        body: object({ assignments: { type: 'array', minItems: 1, maxItems: MAX_ITEMS, items: object(assignmentFields, [...assignmentKeyRequired, 'profileId', 'profileVersion']) } }, ['assignments']),
        response: { 200: registryVersion, ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req) => {
        const list = (req.body as { assignments: Omit<AssignmentRecord, 'registryVersion' | 'deleted'>[] }).assignments;
        const unknown = list.map((a, i) => (ctx.catalog.find(a.profileId, a.profileVersion) === undefined ? i : -1)).filter((i) => i >= 0);
        if (unknown.length > 0) throw new IsochronError('REGISTRY_INVALID', `assignments ${unknown.slice(0, 20).join(', ')}: profile (id, version) not in the catalog (GET /v1/profiles)`);
        return { registryVersion: (await reg.assign(list)).toString() };
      },
    },
    {
      method: 'POST',
      url: '/v1/admin/assignments/withdrawals',
      access: ADMIN,
      tag: 'admin',
      summary: 'Withdraw assignments (by key) from a new registry version on',
      schema: {
        body: object({ assignments: { type: 'array', minItems: 1, maxItems: MAX_ITEMS, items: object(assignmentKeyFields, assignmentKeyRequired) } }, ['assignments']),
        response: { 200: registryVersion, ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req) => ({ registryVersion: (await reg.unassign((req.body as { assignments: Omit<AssignmentRecord, 'registryVersion' | 'deleted' | 'profileId' | 'profileVersion'>[] }).assignments)).toString() }),
    },
    {
      method: 'GET',
      url: '/v1/admin/assignments',
      access: ADMIN,
      tag: 'admin',
      summary: 'Assignment history rows up to a registry version (latest row per key is in force unless deleted)',
      schema: {
        querystring: object({ asOf: versionSchema('registry version (default: current)'), enterpriseId: idSchema('only this enterprise') }),
        response: { 200: object({ registryVersion: versionSchema('the version read'), assignments: { type: 'array', items: assignmentOut } }, ['registryVersion', 'assignments']), ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req) => {
        const q = req.query as { asOf?: string; enterpriseId?: string };
        const asOf = q.asOf === undefined ? await reg.currentVersion() : BigInt(q.asOf);
        return { registryVersion: asOf.toString(), assignments: (await reg.assignmentRecords(asOf, q.enterpriseId)).map(assignmentJson) };
      },
    },
  ];
}
