import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/stack.ts';
import { indexAssignments } from '../../core/tenancy/assignments.ts';
import { parseApiKey } from '../../core/tenancy/api-key.ts';
import type { ClickHouse } from '../clickhouse/client.ts';
import { loadMigrations, migrate } from '../clickhouse/migrate.ts';
import { createAuthenticator } from './authenticator.ts';
import { provisionEnterprises } from './provision.ts';
import { createRegistry, type Registry } from './registry.ts';

let ch: ClickHouse;
let drop: () => Promise<void>;
let registry: Registry;

beforeAll(async () => {
  const db = await freshDatabase('tenancy');
  ch = db.ch;
  drop = db.drop;
  await migrate(ch, db.database, loadMigrations(path.resolve('sql')));
  registry = createRegistry(ch);
});
afterAll(async () => {
  await drop?.();
});

const ent = (i: number) => ({ enterpriseId: `ent-${i}`, name: `Enterprise ${i}`, region: i % 2 ? 'east' : 'west', industry: 'steel', identifierPrefix: `88.${100 + i}.1` });

describe('registry (real ClickHouse)', () => {
  it('versions every write strictly upwards and reads enterprises as of a version', async () => {
    expect(await registry.currentVersion()).toBe(0n);
    const v1 = await registry.putEnterprises([ent(1), ent(2)]);
    const v2 = await registry.putEnterprises([{ ...ent(1), name: 'Renamed' }]);
    const v3 = await registry.deleteEnterprise('ent-2');
    expect(v1 < v2 && v2 < v3).toBe(true);
    expect(await registry.currentVersion()).toBe(v3);
    const names = async (asOf?: bigint) => (await registry.enterprises(asOf)).map((e) => `${e.enterpriseId}:${e.name}`);
    expect(await names(v1 - 1n)).toEqual([]);
    expect(await names(v1)).toEqual(['ent-1:Enterprise 1', 'ent-2:Enterprise 2']);
    expect(await names(v2)).toEqual(['ent-1:Renamed', 'ent-2:Enterprise 2']);
    expect(await names()).toEqual(['ent-1:Renamed']);
  });

  it('serializes concurrent writers in one process into distinct versions', async () => {
    const versions = await Promise.all([3, 4, 5, 6, 7].map((i) => registry.putEnterprises([ent(i)])));
    expect(new Set(versions.map(String)).size).toBe(5);
    const sorted = [...versions].sort((a, b) => (a < b ? -1 : 1));
    expect(versions).toEqual(sorted); // issued in call order
  });

  it('rejects inconsistent enterprises, naming every problem', async () => {
    await expect(registry.putEnterprises([{ ...ent(8), identifierPrefix: '88' }, { ...ent(9), enterpriseId: 'bad id' }])).rejects.toThrow(/identifierPrefix "88".*enterpriseId must be/);
    await expect(registry.putEnterprises([{ ...ent(10), identifierPrefix: ent(1).identifierPrefix }])).rejects.toThrow(/already registered to ent-1/);
    await expect(registry.deleteEnterprise('nobody')).rejects.toMatchObject({ code: 'ISO_REGISTRY_INVALID' });
  });

  it('stores only the SHA-256 of a new key, validates role and enterprise, and revokes', async () => {
    const { apiKey, record } = await registry.createCredential({ role: 'ingest', enterpriseId: 'ent-1', label: 'probe fleet' });
    const parsed = parseApiKey(apiKey)!;
    expect(parsed.keyId).toBe(record.keyId);
    expect(record.secretSha256).toBe(createHash('sha256').update(parsed.secret).digest('hex'));
    const stored = await ch.query<Record<string, string>>(`SELECT * FROM api_credentials`);
    expect(JSON.stringify(stored)).not.toContain(parsed.secret);
    expect((await registry.credentials()).find((c) => c.keyId === record.keyId)).toEqual(record);

    await expect(registry.createCredential({ role: 'ingest', enterpriseId: '', label: '' })).rejects.toThrow(/needs an enterprise/);
    await expect(registry.createCredential({ role: 'viewer', enterpriseId: 'ent-2', label: '' })).rejects.toThrow(/not registered/); // deleted above
    await expect(registry.createCredential({ role: 'auditor', enterpriseId: 'ent-1', label: '' })).rejects.toThrow(/must be ''/);
    const auditor = await registry.createCredential({ role: 'auditor', enterpriseId: '', label: 'programme office' });
    expect(auditor.record.enterpriseId).toBe('');

    await registry.revokeCredential(record.keyId);
    expect((await registry.credentials()).map((c) => c.keyId)).toEqual([auditor.record.keyId]);
    await expect(registry.revokeCredential(record.keyId)).rejects.toThrow(/no credential in force/);
  });

  it('stores assignments with scope checks and answers as of a version through indexAssignments', async () => {
    const flow = { enterpriseId: 'ent-1', siteId: 'site-a', deviceId: '88.101.1/DEV-1', flowId: 'f1' };
    const vEnt = await registry.assign([{ enterpriseId: 'ent-1', scope: 'enterprise', siteId: '', deviceId: '', flowId: '', profileId: 'urllc-motion', profileVersion: 1 }]);
    const vDev = await registry.assign([{ ...flow, scope: 'device', flowId: '', profileId: 'tsn-class-a', profileVersion: 2 }]);
    const vDel = await registry.unassign([{ ...flow, scope: 'device', flowId: '' }]);
    const resolveAt = async (v: bigint) => indexAssignments(await registry.assignmentRecords(v, 'ent-1'), v).resolve(flow)?.profileId ?? null;
    expect(await resolveAt(vEnt - 1n)).toBe(null);
    expect(await resolveAt(vEnt)).toBe('urllc-motion');
    expect(await resolveAt(vDev)).toBe('tsn-class-a');
    expect(await resolveAt(vDel)).toBe('urllc-motion');
    expect((await registry.assignmentRecords(undefined, 'ent-3')).length).toBe(0);

    await expect(registry.assign([{ ...flow, scope: 'site', profileId: 'x', profileVersion: 1 }])).rejects.toThrow(/scope site needs/);
    await expect(registry.assign([{ ...flow, scope: 'flow', deviceId: '88.999.1/DEV-1', profileId: 'x', profileVersion: 1 }])).rejects.toThrow(/not the enterprise's prefix/);
    await expect(registry.assign([{ ...flow, scope: 'flow', enterpriseId: 'nobody', profileId: 'x', profileVersion: 1 }])).rejects.toThrow(/not registered/);
  });

  it('writes 50,000 enterprises in one call', async () => {
    const list = Array.from({ length: 50_000 }, (_, i) => ({ enterpriseId: `bulk-${i}`, name: `Bulk ${i}`, region: 'r', industry: 'i', identifierPrefix: `88.${1000 + Math.floor(i / 1000)}.${i % 1000}` }));
    const started = performance.now();
    const v = await registry.putEnterprises(list);
    const ms = performance.now() - started;
    const rows = await ch.query<{ n: string }>(`SELECT count() AS n FROM enterprises WHERE registry_version = ${v}`);
    expect(Number(rows[0].n)).toBe(50_000);
    console.log(JSON.stringify({ test: 'putEnterprises', enterprises: 50_000, ms: Math.round(ms) }));
  }, 60_000);
});

describe('provisionEnterprises (real ClickHouse)', () => {
  it('registers 50,000 enterprises with one ingest key each in two writes, and every key authenticates', async () => {
    const list = Array.from({ length: 50_000 }, (_, i) => ({ enterpriseId: `prov-${i}`, name: `Prov ${i}`, region: 'r', industry: 'i', identifierPrefix: `88.${3000 + Math.floor(i / 1000)}.${i % 1000}` }));
    const before = await registry.currentVersion();
    const started = performance.now();
    const keys = await provisionEnterprises(registry, list, 'bulk onboarding');
    const ms = performance.now() - started;
    console.log(JSON.stringify({ test: 'provisionEnterprises', enterprises: 50_000, ms: Math.round(ms) }));
    expect(Object.keys(keys)).toHaveLength(50_000);
    const versions = await ch.query<{ v: string; n: string }>(`SELECT registry_version AS v, count() AS n FROM api_credentials WHERE registry_version > ${before} GROUP BY v`);
    expect(versions.map((r) => Number(r.n))).toEqual([50_000]);
    const auth = createAuthenticator(registry, { refreshIntervalMs: 3_600_000, minRefreshGapMs: 0 });
    try {
      for (const i of [0, 12_345, 49_999]) {
        expect(await auth.authenticate(`Bearer ${keys[`prov-${i}`]}`)).toMatchObject({ ok: true, principal: { role: 'ingest', enterpriseId: `prov-${i}` } });
      }
    } finally {
      auth.close();
    }
  }, 120_000);
});

describe('authenticator (real ClickHouse)', () => {
  it('accepts a new key at once, rejects bad ones, and stops a revoked key after refresh', async () => {
    const auth = createAuthenticator(registry, { refreshIntervalMs: 3_600_000, minRefreshGapMs: 0 });
    try {
      await auth.refresh();
      const { apiKey, record } = await registry.createCredential({ role: 'viewer', enterpriseId: 'ent-1', label: 'dashboards' });
      // unknown key id -> on-demand reload (gap 0) finds it
      expect(await auth.authenticate(`Bearer ${apiKey}`)).toEqual({ ok: true, principal: { keyId: record.keyId, role: 'viewer', enterpriseId: 'ent-1' } });
      expect(await auth.authenticate(`bearer   ${apiKey}`)).toMatchObject({ ok: true });
      expect(await auth.authenticate(undefined)).toEqual({ ok: false, error: 'AUTH_MISSING' });
      expect(await auth.authenticate('')).toEqual({ ok: false, error: 'AUTH_MISSING' });
      expect(await auth.authenticate(apiKey)).toEqual({ ok: false, error: 'AUTH_INVALID' }); // no scheme
      expect(await auth.authenticate(`Basic ${apiKey}`)).toEqual({ ok: false, error: 'AUTH_INVALID' });
      const parsed = parseApiKey(apiKey)!;
      const flipped = parsed.secret[0] === 'A' ? `B${parsed.secret.slice(1)}` : `A${parsed.secret.slice(1)}`;
      expect(await auth.authenticate(`Bearer iso_${parsed.keyId}_${flipped}`)).toEqual({ ok: false, error: 'AUTH_INVALID' });

      await registry.revokeCredential(record.keyId);
      expect(await auth.authenticate(`Bearer ${apiKey}`)).toMatchObject({ ok: true }); // cached until the next reload
      await auth.refresh();
      expect(await auth.authenticate(`Bearer ${apiKey}`)).toEqual({ ok: false, error: 'AUTH_INVALID' });

      const admin = await registry.createCredential({ role: 'admin', enterpriseId: '', label: 'ops' });
      expect(await auth.authenticate(`Bearer ${admin.apiKey}`)).toMatchObject({ ok: true, principal: { role: 'admin', enterpriseId: null } });
    } finally {
      auth.close();
    }
  });

  it('reloads on unknown keys at most once per minRefreshGapMs', async () => {
    const auth = createAuthenticator(registry, { refreshIntervalMs: 3_600_000, minRefreshGapMs: 60_000 });
    try {
      await auth.refresh();
      const { apiKey } = await registry.createCredential({ role: 'ingest', enterpriseId: 'ent-1', label: 'late' });
      // the explicit refresh just ran: an unknown key must not trigger another one yet
      expect(await auth.authenticate(`Bearer ${apiKey}`)).toEqual({ ok: false, error: 'AUTH_INVALID' });
      await auth.refresh();
      expect(await auth.authenticate(`Bearer ${apiKey}`)).toMatchObject({ ok: true });
    } finally {
      auth.close();
    }
  });
});
