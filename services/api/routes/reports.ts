// Self-contained HTML reports (services/reports, docs/reports.md) of a viewer's own enterprise:
// the same requests as GET /v1/compliance and GET /v1/upgrade-validation, rendered as one page
// that loads nothing (its CSP is repeated as a response header). The compliance report adds the
// period's charts (periodCharts: merged delay histogram, hourly PDV and availability, worst
// flows), read from the 1 h rollups of the same enterprise and period as the audit.
import { createHash } from 'node:crypto';
import { DEFAULT_WORST_FLOWS, periodCharts, validateUpgrade, type PeriodCharts } from '../../adapters/clickhouse/upgrade-queries.ts';
import { registeredEnterprise, type EnterpriseCompliance } from '../../compliance/index.ts';
import { canonicalJson } from '../../core/compliance/catalog.ts';
import type { ThresholdResult } from '../../core/compliance/types.ts';
import { IsochronError } from '../../core/errors.ts';
import { renderComplianceReport } from '../../reports/compliance-report.ts';
import type { ComplianceReportInput, LevelSummary, FailedWindow as ReportFailedWindow } from '../../reports/types.ts';
import { renderUpgradeReport } from '../../reports/upgrade-report.ts';
import type { FastifyReply } from 'fastify';
import type { RouteContext } from '../app.ts';
import { credentialEnterprise, type ApiRoute } from '../route.ts';
import { AUTH_ERROR_RESPONSES } from '../schemas.ts';
import { complianceFor, complianceQuerySchema, type ComplianceQuery } from './compliance.ts';
import { period } from './params.ts';
import { upgradeQuerySchema, upgradeRequest, type UpgradeQuery } from './upgrade.ts';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function sendHtml(reply: FastifyReply, html: string) {
  return reply
    .headers({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': REPORT_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
    .send(html);
}

/** The value of one base window for a threshold it breaches, where the window row carries it. */
function windowMeasured(kind: string, t: ThresholdResult, w: EnterpriseCompliance['failedWindows']['windows'][number]): number | null {
  switch (kind) {
    case 'delay':
      return t.statistic.includes('max') ? w.owdMaxNs : null;
    case 'lossBurst':
      return w.lossBurstMaxPackets;
    case 'lossRatio':
      return w.sentPackets > 0 ? w.lostPackets / w.sentPackets : null;
    case 'errorRatio':
      return w.sentPackets > 0 ? w.corruptPackets / w.sentPackets : null;
    default:
      return null;
  }
}

/** Enterprise, site and device verdicts as the audit combined them (worst of their flows). */
function levelSummaries(c: EnterpriseCompliance): LevelSummary[] {
  return [
    { level: 'enterprise', verdict: c.enterprise.verdict, flows: c.enterprise.flows },
    ...c.sites.map((s) => ({ level: 'site' as const, siteId: s.siteId, verdict: s.verdict, flows: s.flows })),
    ...c.devices.map((d) => ({ level: 'device' as const, siteId: d.siteId, deviceId: d.deviceId, verdict: d.verdict, flows: d.flows })),
  ];
}

export function complianceReportInput(ctx: RouteContext, c: EnterpriseCompliance, generatedAt: string, charts?: PeriodCharts): ComplianceReportInput {
  const flowKey = (x: { siteId: string; deviceId: string; flowId: string }) => `${x.siteId}\u0000${x.deviceId}\u0000${x.flowId}`;
  const verdictOf = new Map(c.flows.map((f) => [flowKey(f), f.verdict]));
  const failedWindows: ReportFailedWindow[] = [];
  for (const w of c.failedWindows.windows) {
    for (const kind of w.breaches) {
      const t = verdictOf.get(flowKey(w))?.thresholds.find((x) => x.threshold === kind);
      if (t === undefined) continue;
      failedWindows.push({
        siteId: w.siteId,
        deviceId: w.deviceId,
        flowId: w.flowId,
        windowStartNs: w.windowStartNs,
        windowNs: ctx.windowMs * 1_000_000,
        threshold: kind,
        measured: windowMeasured(kind, t, w),
        bound: t.bound,
        unit: t.unit,
        reason: `this window alone is on the wrong side of the ${t.statistic} bound`,
      });
    }
  }
  return {
    enterprise: { id: c.enterprise.enterpriseId, name: c.enterprise.name, region: c.enterprise.region, industry: c.enterprise.industry },
    period: { fromNs: c.request.fromNs, toNs: c.request.toNs },
    profiles: c.versions.profiles.map((p) => ({ id: p.id, version: p.version, contentHash: p.contentHash, ...(ctx.catalog.find(p.id, p.version) ? { title: ctx.catalog.find(p.id, p.version)!.profile.title } : {}) })),
    levels: levelSummaries(c),
    verdicts: c.flows.flatMap((f) => (f.verdict === null ? [] : [{ level: 'flow' as const, siteId: f.siteId, deviceId: f.deviceId, flowId: f.flowId, verdict: f.verdict }])),
    failedWindows,
    failedWindowsTotal: c.failedWindows.total,
    dataVersion: { registryVersion: c.versions.registryVersion, contentHash: `${c.contentHash} (rollup rows ${c.versions.data.rows}, windows ${c.versions.data.windows}, fingerprint ${c.versions.data.hash})` },
    generatedAt,
    ...(charts === undefined ? {} : {
      delayHistogram: charts.delayHistogram,
      series: charts.series.map((p) => ({ startNs: p.startNs, pdvP99Ns: p.pdvP99Ns, availability: p.availability })),
      worstFlows: charts.worstFlows.map((f) => {
        const verdict = verdictOf.get(flowKey(f));
        return { label: `${f.deviceId}/${f.flowId}`, owdP99Ns: f.figures.owdP99Ns, ...(verdict ? { verdict: verdict.verdict } : {}) };
      }),
    }),
  };
}

export function reportRoutes(ctx: RouteContext): ApiRoute[] {
  const now = () => new Date(ctx.clock()).toISOString();
  return [
    {
      method: 'GET',
      url: '/v1/reports/compliance.html',
      access: ['viewer'],
      tag: 'enterprise',
      summary: "Compliance report of the key's own enterprise (self-contained HTML)",
      schema: { querystring: complianceQuerySchema, response: AUTH_ERROR_RESPONSES },
      produces: { status: 200, mediaType: 'text/html', description: 'one self-contained page: inline CSS and SVG, loads nothing (docs/reports.md)' },
      handler: async (req, reply) => {
        const enterpriseId = credentialEnterprise(req);
        const q = req.query as ComplianceQuery;
        // Audit periods are whole UTC hours (complianceFor rejects others), so the 1 h rollups serve.
        // The audit's error (a bad period, an unknown enterprise or profile) is the one answered.
        const [c, charts] = await Promise.allSettled([
          complianceFor(ctx, enterpriseId, q),
          periodCharts(ctx.ch, { enterpriseId }, period(ctx, q), DEFAULT_WORST_FLOWS, '1h'),
        ]);
        if (c.status === 'rejected') throw c.reason;
        if (charts.status === 'rejected') throw charts.reason;
        return sendHtml(reply, renderComplianceReport(complianceReportInput(ctx, c.value, now(), charts.value)));
      },
    },
    {
      method: 'GET',
      url: '/v1/reports/upgrade.html',
      access: ['viewer'],
      tag: 'enterprise',
      summary: "Upgrade validation report of the key's own enterprise (self-contained HTML)",
      schema: { querystring: upgradeQuerySchema, response: AUTH_ERROR_RESPONSES },
      produces: { status: 200, mediaType: 'text/html', description: 'one self-contained page: inline CSS and SVG, loads nothing (docs/reports.md)' },
      handler: async (req, reply) => {
        const enterpriseId = credentialEnterprise(req);
        const q = req.query as UpgradeQuery;
        const request = upgradeRequest(ctx, enterpriseId, q);
        // One enterprise row as of the current version, not the whole registry; its error wins.
        const [found, validated] = await Promise.allSettled([
          ctx.registry.currentVersion().then((v) => registeredEnterprise(ctx.ch, enterpriseId, v)),
          validateUpgrade(ctx.ch, request),
        ]);
        if (found.status === 'rejected') throw found.reason;
        const enterprise = found.value;
        if (enterprise === undefined) throw new IsochronError('AUDIT_ENTERPRISE_UNKNOWN', "the key's enterprise is no longer registered", {});
        if (validated.status === 'rejected') throw validated.reason;
        const result = validated.value;
        const entry = request.profile === undefined ? undefined : ctx.catalog.find(request.profile.id, request.profile.version);
        const html = renderUpgradeReport({
          enterprise: { id: enterprise.enterpriseId, name: enterprise.name, region: enterprise.region, industry: enterprise.industry },
          result,
          ...(entry !== undefined ? { profile: { id: entry.profile.id, version: entry.profile.version, title: entry.profile.title, contentHash: entry.contentHash } } : {}),
          dataVersion: { contentHash: `sha256:${createHash('sha256').update(canonicalJson(result)).digest('hex')} (of the validation result)` },
          generatedAt: now(),
        });
        return sendHtml(reply, html);
      },
    },
  ];
}
