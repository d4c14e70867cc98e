// Registers a set of enterprises and gives each a fresh ingest key: what `npm start` does for
// the simulated fleet, and what a programme office does when onboarding a batch of enterprises.
import type { Registry } from './registry.ts';

export interface EnterpriseToProvision {
  readonly enterpriseId: string;
  readonly name: string;
  readonly region: string;
  readonly industry: string;
  readonly identifierPrefix: string;
}

/** Puts the enterprises (one insert) and creates one ingest key each: { enterpriseId: apiKey }. */
export async function provisionEnterprises(registry: Registry, enterprises: readonly EnterpriseToProvision[], label = 'provisioned'): Promise<Record<string, string>> {
  await registry.putEnterprises(enterprises.map((e) => ({ enterpriseId: e.enterpriseId, name: e.name, region: e.region, industry: e.industry, identifierPrefix: e.identifierPrefix })));
  const created = await registry.createCredentials(enterprises.map((e) => ({ role: 'ingest' as const, enterpriseId: e.enterpriseId, label })));
  const keys: Record<string, string> = {};
  created.forEach((c, i) => (keys[enterprises[i].enterpriseId] = c.apiKey));
  return keys;
}
