// npm run admin against a fresh registry database on the test ClickHouse, as an operator runs
// it (a child process with ISOCHRON_CLICKHOUSE_* in its environment).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../services/adapters/clickhouse/migrate.ts';
import { createAuthenticator } from '../services/adapters/tenancy/authenticator.ts';
import { createRegistry } from '../services/adapters/tenancy/registry.ts';
import { parseApiKey } from '../services/core/tenancy/api-key.ts';
import { buildFleet } from '../services/simulator/fleet.ts';
import { simulatedAssignments } from '../services/simulator/provision.ts';
import { clickhouseUrl, freshDatabase } from '../test/support/stack.ts';

const run = promisify(execFile);
let database: string;
let drop: () => Promise<void>;
let ch: Awaited<ReturnType<typeof freshDatabase>>['ch'];

async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return adminWith({}, ...args);
}

async function adminWith(extraEnv: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ISOCHRON_')) env[k] = v;
  Object.assign(env, { ISOCHRON_CLICKHOUSE_URL: clickhouseUrl(), ISOCHRON_CLICKHOUSE_DATABASE: database }, extraEnv);
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  const db = await freshDatabase('admin');
  ({ database, drop, ch } = db);
  await migrate(ch, database, loadMigrations(path.resolve('sql')));
});
afterAll(async () => {
  await drop?.();
});

describe('npm run admin', () => {
  it('creates an enterprise and a key that authenticates, assigns a profile, lists, revokes', async () => {
    expect(await admin('create-enterprise', '--id', 'ent-7', '--name', 'Jinhai Steel 7', '--prefix', '88.107.1', '--region', 'Jiangsu', '--industry', 'steel')).toMatchObject({ code: 0 });
    const key = await admin('create-key', '--role', 'ingest', '--enterprise', 'ent-7', '--label', 'probes');
    expect(key.code).toBe(0);
    const apiKey = key.stdout.trim();
    const parsed = parseApiKey(apiKey);
    expect(parsed).not.toBeNull();
    expect(key.stderr).toContain(`key ${parsed!.keyId} (ingest of ent-7) created`);

    const auth = createAuthenticator(createRegistry(ch), { refreshIntervalMs: 3_600_000, minRefreshGapMs: 0 });
    try {
      expect(await auth.authenticate(`Bearer ${apiKey}`)).toMatchObject({ ok: true, principal: { role: 'ingest', enterpriseId: 'ent-7' } });

      expect(await admin('assign-profile', '--enterprise', 'ent-7', '--site', 'mill-1', '--profile', '3gpp-ts22104-motion-control-1ms')).toMatchObject({ code: 0 });
      const listed = await admin('list', 'assignments');
      const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ enterpriseId: 'ent-7', scope: 'site', siteId: 'mill-1', deviceId: '', flowId: '', profileId: '3gpp-ts22104-motion-control-1ms', deleted: false });

      const keys = await admin('list', 'keys');
      expect(keys.stdout).toContain(parsed!.keyId);
      expect(keys.stdout).not.toContain(parsed!.secret);
      expect(keys.stdout).not.toMatch(/secretSha256/);
      expect(JSON.parse((await admin('list', 'enterprises')).stdout)).toMatchObject({ enterpriseId: 'ent-7', identifierPrefix: '88.107.1', region: 'Jiangsu' });

      expect(await admin('revoke-key', '--key-id', parsed!.keyId)).toMatchObject({ code: 0 });
      await auth.refresh();
      expect(await auth.authenticate(`Bearer ${apiKey}`)).toEqual({ ok: false, error: 'AUTH_INVALID' });
    } finally {
      auth.close();
    }
  });

  it('refuses bad input with the reason and a non-zero exit', async () => {
    const noPrefix = await admin('create-enterprise', '--id', 'ent-8', '--name', 'X', '--prefix', '88');
    expect(noPrefix.code).toBe(1);
    expect(noPrefix.stderr).toMatch(/ISO_REGISTRY_INVALID: .*identifierPrefix "88"/);
    const auditorWithEnterprise = await admin('create-key', '--role', 'auditor', '--enterprise', 'ent-7');
    expect(auditorWithEnterprise.stderr).toMatch(/enterpriseId must be ''/);
    expect(auditorWithEnterprise.stdout).toBe('');
    const unknownProfile = await admin('assign-profile', '--enterprise', 'ent-7', '--profile', 'nope');
    expect(unknownProfile.code).toBe(2);
    expect(unknownProfile.stderr).toMatch(/profile nope is not in profiles\//);
    expect((await admin('frobnicate')).stderr).toMatch(/unknown command "frobnicate"/);
    expect((await admin('create-key', '--bogus')).code).toBe(2);
  });

  it('provision-simulator registers the simulated fleet, writes one working ingest key per enterprise and assigns profiles', async () => {
    const file = path.join(os.tmpdir(), `isochron-admin-${process.pid}-${Date.now()}`, 'keys.json');
    const fleet = { seed: 11, enterprises: 3, sitesPerEnterprise: 1, devicesPerSite: 3, flowsPerDevice: 1 };
    // A world-readable file from an earlier run: the new keys must not inherit its mode.
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{}', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const res = await adminWith(
      { ISOCHRON_SIMULATOR_SEED: '11', ISOCHRON_SIMULATOR_ENTERPRISES: '3', ISOCHRON_SIMULATOR_SITES_PER_ENTERPRISE: '1', ISOCHRON_SIMULATOR_DEVICES_PER_SITE: '3', ISOCHRON_SIMULATOR_FLOWS_PER_DEVICE: '1' },
      'provision-simulator', '--out', file,
    );
    expect(res.code, res.stderr).toBe(0);
    try {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['keys.json']); // no temporary file left
      const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
      const expected = buildFleet(fleet).enterprises;
      expect(Object.keys(keys).sort()).toEqual(expected.map((e) => e.enterpriseId).sort());
      const registry = createRegistry(ch);
      const registered = new Map((await registry.enterprises()).map((e) => [e.enterpriseId, e]));
      for (const e of expected) expect(registered.get(e.enterpriseId)).toMatchObject({ identifierPrefix: e.identifierPrefix, region: e.region, industry: e.industry });
      const auth = createAuthenticator(registry, { refreshIntervalMs: 3_600_000, minRefreshGapMs: 0 });
      try {
        for (const [enterpriseId, key] of Object.entries(keys)) expect(await auth.authenticate(`Bearer ${key}`)).toMatchObject({ ok: true, principal: { role: 'ingest', enterpriseId } });
      } finally {
        auth.close();
      }
      const assigned = (await registry.assignmentRecords()).filter((a) => keys[a.enterpriseId] !== undefined);
      expect(assigned.map((a) => `${a.enterpriseId}|${a.scope}|${a.deviceId}|${a.profileId}`).sort()).toEqual(simulatedAssignments(fleet).map((a) => `${a.enterpriseId}|${a.scope}|${a.deviceId}|${a.profileId}`).sort());
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
