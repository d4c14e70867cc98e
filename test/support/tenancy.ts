// Registry fixtures for integration tests: an enterprise with its keys, written through the
// real registry into the test's own database (which must have the migrations applied).
import type { ClickHouse } from '../../services/adapters/clickhouse/client.ts';
import { createRegistry } from '../../services/adapters/tenancy/registry.ts';

export interface TenantSpec {
  readonly enterpriseId: string;
  readonly identifierPrefix: string;
  readonly region?: string;
  readonly industry?: string;
}

/** Registers the enterprise and returns a new ingest key and viewer key for it. */
export async function provisionTenant(ch: ClickHouse, spec: TenantSpec): Promise<{ ingestKey: string; viewerKey: string }> {
  const registry = createRegistry(ch);
  await registry.putEnterprises([
    { enterpriseId: spec.enterpriseId, name: `Test ${spec.enterpriseId}`, region: spec.region ?? 'test-region', industry: spec.industry ?? 'test-industry', identifierPrefix: spec.identifierPrefix },
  ]);
  const ingest = await registry.createCredential({ role: 'ingest', enterpriseId: spec.enterpriseId, label: 'test ingest' });
  const viewer = await registry.createCredential({ role: 'viewer', enterpriseId: spec.enterpriseId, label: 'test viewer' });
  return { ingestKey: ingest.apiKey, viewerKey: viewer.apiKey };
}

/** A programme-wide key (auditor or admin). */
export async function provisionProgrammeKey(ch: ClickHouse, role: 'auditor' | 'admin'): Promise<string> {
  return (await createRegistry(ch).createCredential({ role, enterpriseId: '', label: `test ${role}` })).apiKey;
}

/**
 * The enterprises of the simulator's topology (test/support/stream.ts) with their ingest keys:
 * enterprise e (1-based) is ent-0000e with identifier prefix 88.(99+e).1.
 */
export async function provisionSimulatedTenants(ch: ClickHouse, enterprises: number): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (let e = 1; e <= enterprises; e++) {
    const enterpriseId = `ent-${String(e).padStart(5, '0')}`;
    keys[enterpriseId] = (await provisionTenant(ch, { enterpriseId, identifierPrefix: `88.${99 + e}.1` })).ingestKey;
  }
  return keys;
}

/** The Authorization header for a key. */
export function bearer(apiKey: string): { authorization: string } {
  return { authorization: `Bearer ${apiKey}` };
}
