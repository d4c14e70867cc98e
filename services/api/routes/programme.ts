// The programme view for auditor and admin keys: the audit across every registered enterprise
// (JSON and streamed CSV), the drill-down into one enterprise, and stored audit runs that can be
// replayed and compared later. An auditor key is not bound to an enterprise: here the enterprise
// id is a parameter, and only these roles can reach it.
import { Readable } from 'node:stream';
import { compareWithRun, programmeAudit, programmeAuditCsv, recordAuditRun, type AuditResult, type ProgrammeAuditRequest } from '../../compliance/index.ts';
import { NETWORK_TYPES, type NetworkType } from '../../core/wire/batch.ts';
import type { RouteContext } from '../app.ts';
import type { ApiRoute } from '../route.ts';
import { AUTH_ERROR_RESPONSES, idSchema, object, type JsonSchema } from '../schemas.ts';
import { auditRunSchema, enterpriseComplianceSchema, programmeAuditSchema, runComparisonSchema } from '../schemas-audit.ts';
import { complianceFor, complianceQuerySchema, type ComplianceQuery } from './compliance.ts';
import { asOf, asOfParam, period, periodParams } from './params.ts';
import { PROFILE_ID_PATTERN } from './profiles.ts';

const PROGRAMME = ['auditor', 'admin'] as const;
/** Registry text (region, industry): up to 256 characters without control characters. */
const filterText = (description: string): JsonSchema => ({ type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$', description });

const filterParams: Record<string, JsonSchema> = {
  region: filterText('only enterprises of this region'),
  industry: filterText('only enterprises of this industry'),
  networkType: { type: 'string', enum: [...NETWORK_TYPES], description: 'only flows of this network type' },
  profile: { type: 'string', pattern: PROFILE_ID_PATTERN, description: 'only flows assigned this profile id' },
};
type AuditQuery = { from: string; to: string; region?: string; industry?: string; networkType?: NetworkType; profile?: string; asOf?: string };
const auditQuerySchema = object({ ...periodParams, ...filterParams, ...asOfParam }, ['from', 'to']);

const RUN_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

function auditRequest(ctx: RouteContext, q: AuditQuery): ProgrammeAuditRequest {
  return {
    ...period(ctx, q),
    filters: {
      ...(q.region !== undefined ? { region: q.region } : {}),
      ...(q.industry !== undefined ? { industry: q.industry } : {}),
      ...(q.networkType !== undefined ? { networkType: q.networkType } : {}),
      ...(q.profile !== undefined ? { profileId: q.profile } : {}),
    },
    asOf: asOf(q),
  };
}

export function programmeRoutes(ctx: RouteContext): ApiRoute[] {
  return [
    {
      method: 'GET',
      url: '/v1/programme/audit',
      access: PROGRAMME,
      tag: 'programme',
      summary: 'Programme audit: every registered enterprise with its status over a period',
      schema: { querystring: auditQuerySchema, response: { 200: programmeAuditSchema, ...AUTH_ERROR_RESPONSES } },
      handler: async (req) => programmeAudit(ctx.ch, ctx.catalog, ctx.registry, auditRequest(ctx, req.query as AuditQuery)),
    },
    {
      method: 'GET',
      url: '/v1/programme/audit.csv',
      access: PROGRAMME,
      tag: 'programme',
      summary: 'Programme audit as CSV (RFC 4180), streamed one enterprise per record',
      description: 'The headers X-Isochron-Content-Hash, X-Isochron-Csv-Sha256, X-Isochron-Registry-Version and X-Isochron-Data-Fingerprint name exactly what the CSV shows.',
      schema: { querystring: auditQuerySchema, response: AUTH_ERROR_RESPONSES },
      produces: { status: 200, mediaType: 'text/csv', description: 'header record, then one record per enterprise (CRLF)' },
      handler: async (req, reply) => {
        const csv = await programmeAuditCsv(ctx.ch, ctx.catalog, ctx.registry, auditRequest(ctx, req.query as AuditQuery));
        reply.headers({ ...csv.headers, 'content-disposition': 'attachment; filename="programme-audit.csv"' });
        return reply.send(Readable.from(csv.lines));
      },
    },
    {
      method: 'GET',
      url: '/v1/programme/enterprises/:enterpriseId/compliance',
      access: PROGRAMME,
      tag: 'programme',
      summary: "Drill-down: one enterprise's compliance over a period",
      schema: {
        params: object({ enterpriseId: idSchema('enterprise id') }, ['enterpriseId']),
        querystring: complianceQuerySchema,
        response: { 200: enterpriseComplianceSchema, ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req) => complianceFor(ctx, (req.params as { enterpriseId: string }).enterpriseId, req.query as ComplianceQuery),
    },
    {
      method: 'POST',
      url: '/v1/programme/audits',
      access: PROGRAMME,
      tag: 'programme',
      summary: 'Run an audit and store it (its id can be replayed and compared later)',
      description: 'Body: the query of GET /v1/programme/audit, or with enterpriseId that of the drill-down, as JSON strings.',
      schema: {
        body: {
          anyOf: [
            object({ kind: { type: 'string', enum: ['programme_audit'] }, ...(auditQuerySchema.properties as Record<string, JsonSchema>) }, ['kind', 'from', 'to']),
            object({ kind: { type: 'string', enum: ['enterprise_compliance'] }, enterpriseId: idSchema('enterprise id'), ...(complianceQuerySchema.properties as Record<string, JsonSchema>) }, ['kind', 'enterpriseId', 'from', 'to']),
          ],
        },
        response: { 201: object({ run: auditRunSchema, result: { anyOf: [enterpriseComplianceSchema, programmeAuditSchema] } }, ['run', 'result']), ...AUTH_ERROR_RESPONSES },
      },
      handler: async (req, reply) => {
        const b = req.body as ({ kind: 'programme_audit' } & AuditQuery) | ({ kind: 'enterprise_compliance'; enterpriseId: string } & ComplianceQuery);
        const { kind, ...q } = b;
        const result: AuditResult =
          kind === 'programme_audit'
            ? await programmeAudit(ctx.ch, ctx.catalog, ctx.registry, auditRequest(ctx, q as AuditQuery))
            : await complianceFor(ctx, (b as { enterpriseId: string }).enterpriseId, q as ComplianceQuery);
        const run = await recordAuditRun(ctx.ch, result);
        return reply.code(201).send({ run, result });
      },
    },
    {
      method: 'GET',
      url: '/v1/programme/audits/:runId',
      access: PROGRAMME,
      tag: 'programme',
      summary: 'A stored audit run recomputed and compared: same answer, or why not',
      schema: { params: object({ runId: { type: 'string', pattern: RUN_ID_PATTERN, description: 'run id (UUID) from POST /v1/programme/audits' } }, ['runId']), response: { 200: runComparisonSchema, ...AUTH_ERROR_RESPONSES } },
      handler: async (req) => compareWithRun(ctx.ch, ctx.catalog, ctx.registry, (req.params as { runId: string }).runId),
    },
  ];
}
