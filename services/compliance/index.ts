// The compliance audit's entry points (docs/audit.md), for the API and tools.
export { enterpriseCompliance, registeredEnterprise, DEFAULT_FAILED_WINDOWS_LIMIT, MAX_FAILED_WINDOWS_LIMIT } from './enterprise.ts';
export type { AuditOptions, EnterpriseCompliance, RegisteredEnterprise, EnterpriseComplianceRequest, EnterpriseComplianceRequestJson, ProfileSelector, Versions } from './enterprise.ts';
export { programmeAudit } from './programme.ts';
export type { ProgrammeAudit, ProgrammeAuditRequest, ProgrammeAuditRequestJson, ProgrammeAuditRow, ProgrammeFilters } from './programme.ts';
export { programmeAuditCsv, CSV_COLUMNS } from './csv-export.ts';
export type { ProgrammeAuditCsv } from './csv-export.ts';
export { recordAuditRun, loadAuditRun, replayAudit, compareWithRun, AUDIT_FORMAT } from './runs.ts';
export type { AuditResult, AuditRun, RunComparison } from './runs.ts';
export type { FlowResult, ProfileRef } from './flows.ts';
export type { FailedWindow, FailedWindows } from './failed-windows.ts';
export type { AuditRegistry } from './registry.ts';
export { createProgrammeAuditCache } from './programme-cache.ts';
export type { ProgrammeAuditCache } from './programme-cache.ts';
