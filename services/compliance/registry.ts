// What the audit reads from the programme registry (services/adapters/tenancy/registry.ts): the
// enterprises and the raw assignment rows as of a version, and the current version.
import type { Registry } from '../adapters/tenancy/registry.ts';

export type AuditRegistry = Pick<Registry, 'enterprises' | 'assignmentRecords' | 'currentVersion'>;
