// `npm run admin -- <command>`: the programme registry by hand (docs/tenancy.md).
//
//   create-enterprise --id ID --name NAME --prefix 88.100.1 [--region R] [--industry I]
//   delete-enterprise --id ID
//   create-key --role ingest|viewer|auditor|admin [--enterprise ID] [--label TEXT]
//   revoke-key --key-id KEYID
//   assign-profile --enterprise ID [--site S [--device D [--flow F]]] --profile ID [--profile-version N]
//   unassign-profile --enterprise ID [--site S [--device D [--flow F]]]
//   list [enterprises|keys|assignments] [--as-of VERSION]
//   provision-simulator --out FILE   (the simulated fleet of the ISOCHRON_SIMULATOR_* settings:
//                                     enterprises, ingest keys written to FILE, profile assignments)
//
// The database comes from ISOCHRON_CLICKHOUSE_URL / _DATABASE / _USER / _PASSWORD. create-key
// prints the key once on stdout (only its SHA-256 is stored); everything else goes to stderr,
// so `npm run admin -s -- create-key ... > ent.key` captures exactly the key.
import { parseArgs } from 'node:util';
import { createClickHouse } from '../services/adapters/clickhouse/client.ts';
import { loadProfiles } from '../services/adapters/profiles/load.ts';
import { createRegistry, type Registry } from '../services/adapters/tenancy/registry.ts';
import { writeSecretFile } from '../services/adapters/tenancy/secret-file.ts';
import { loadConfig } from '../services/config/config.ts';
import { ALL_ENV_VARS, CLICKHOUSE_SETTINGS, SIMULATOR_SETTINGS } from '../services/config/settings.ts';
import { IsochronError, isIsochronError } from '../services/core/errors.ts';
import { provisionSimulatedFleet } from '../services/simulator/provision.ts';
import { ROLES, type AssignmentScope, type Role } from '../services/core/tenancy/types.ts';

const USAGE = `Usage: npm run admin -- <command> [options]
  create-enterprise --id ID --name NAME --prefix PREFIX [--region R] [--industry I]
  delete-enterprise --id ID
  create-key --role ${ROLES.join('|')} [--enterprise ID] [--label TEXT]   (prints the key once)
  revoke-key --key-id KEYID
  assign-profile --enterprise ID [--site S [--device D [--flow F]]] --profile ID [--profile-version N]
  unassign-profile --enterprise ID [--site S [--device D [--flow F]]]
  list [enterprises|keys|assignments] [--as-of VERSION]
  provision-simulator --out FILE   (simulated fleet of the ISOCHRON_SIMULATOR_* settings; keys to FILE)`;

const OPTIONS = {
  id: { type: 'string' },
  name: { type: 'string' },
  prefix: { type: 'string' },
  region: { type: 'string' },
  industry: { type: 'string' },
  role: { type: 'string' },
  enterprise: { type: 'string' },
  label: { type: 'string' },
  'key-id': { type: 'string' },
  site: { type: 'string' },
  device: { type: 'string' },
  flow: { type: 'string' },
  profile: { type: 'string' },
  'profile-version': { type: 'string' },
  'as-of': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function usageError(message: string): never {
  throw new IsochronError('CONFIG_INVALID', `${message}\n${USAGE}`);
}

function required(v: Record<string, unknown>, name: string): string {
  const value = v[name];
  if (typeof value !== 'string' || value === '') usageError(`--${name} is required`);
  return value;
}

/** Scope from the narrowest id given; narrower ids need the wider ones. */
function scopeOf(v: Record<string, string | boolean | undefined>): { scope: AssignmentScope; siteId: string; deviceId: string; flowId: string } {
  const siteId = (v.site as string | undefined) ?? '';
  const deviceId = (v.device as string | undefined) ?? '';
  const flowId = (v.flow as string | undefined) ?? '';
  const scope: AssignmentScope = flowId ? 'flow' : deviceId ? 'device' : siteId ? 'site' : 'enterprise';
  return { scope, siteId, deviceId, flowId };
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

async function run(registry: Registry, command: string, positionals: string[], v: Record<string, string | boolean | undefined>): Promise<void> {
  switch (command) {
    case 'create-enterprise': {
      const version = await registry.putEnterprises([
        { enterpriseId: required(v, 'id'), name: required(v, 'name'), identifierPrefix: required(v, 'prefix'), region: (v.region as string) ?? '', industry: (v.industry as string) ?? '' },
      ]);
      note(`enterprise ${v.id} registered with prefix ${v.prefix} at registry version ${version}`);
      return;
    }
    case 'delete-enterprise': {
      const version = await registry.deleteEnterprise(required(v, 'id'));
      note(`enterprise ${v.id} deleted at registry version ${version} (its keys still exist: revoke them with revoke-key)`);
      return;
    }
    case 'create-key': {
      const role = required(v, 'role') as Role;
      if (!ROLES.includes(role)) usageError(`--role must be one of ${ROLES.join(', ')}`);
      const { apiKey, record } = await registry.createCredential({ role, enterpriseId: (v.enterprise as string) ?? '', label: (v.label as string) ?? '' });
      out(apiKey);
      note(`key ${record.keyId} (${record.role}${record.enterpriseId ? ` of ${record.enterpriseId}` : ''}) created at registry version ${record.registryVersion}; this is the only time the key is shown`);
      return;
    }
    case 'revoke-key': {
      const version = await registry.revokeCredential(required(v, 'key-id'));
      note(`key ${v['key-id']} revoked at registry version ${version}; gateways and the API stop accepting it at their next registry reload`);
      return;
    }
    case 'assign-profile': {
      const profileId = required(v, 'profile');
      const catalog = loadProfiles();
      const wanted = v['profile-version'] === undefined ? undefined : Number(v['profile-version']);
      if (wanted !== undefined && !Number.isSafeInteger(wanted)) usageError('--profile-version must be an integer');
      const found = catalog.find(profileId, wanted);
      if (found === undefined) usageError(`profile ${profileId}${wanted !== undefined ? ` version ${wanted}` : ''} is not in profiles/ (known: ${[...new Set(catalog.entries.map((e) => e.profile.id))].join(', ')})`);
      const ids = scopeOf(v);
      const version = await registry.assign([{ enterpriseId: required(v, 'enterprise'), ...ids, profileId, profileVersion: found.profile.version }]);
      note(`${ids.scope} assignment of ${profileId} v${found.profile.version} at registry version ${version}`);
      return;
    }
    case 'unassign-profile': {
      const ids = scopeOf(v);
      const version = await registry.unassign([{ enterpriseId: required(v, 'enterprise'), ...ids }]);
      note(`${ids.scope} assignment withdrawn at registry version ${version}`);
      return;
    }
    case 'list': {
      const what = positionals[0] ?? 'enterprises';
      const asOf = v['as-of'] === undefined ? undefined : /^\d+$/.test(v['as-of'] as string) ? BigInt(v['as-of'] as string) : usageError('--as-of must be a registry version (decimal)');
      const json = (o: object) => out(JSON.stringify(o, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
      if (what === 'enterprises') for (const e of await registry.enterprises(asOf)) json(e);
      else if (what === 'keys') {
        if (asOf !== undefined) usageError('list keys shows the keys in force now (no --as-of)');
        // Never the hash: key id, role, enterprise, label, version.
        for (const c of await registry.credentials()) json({ keyId: c.keyId, role: c.role, enterpriseId: c.enterpriseId, label: c.label, registryVersion: c.registryVersion });
      } else if (what === 'assignments') for (const a of await registry.assignmentRecords(asOf)) json(a);
      else usageError(`list: unknown table ${JSON.stringify(what)}`);
      note(`registry version ${await registry.currentVersion()}`);
      return;
    }
    case 'provision-simulator': {
      const file = required(v, 'out');
      const sim = loadConfig('simulator', SIMULATOR_SETTINGS, ALL_ENV_VARS);
      const spec = { seed: sim.seed, enterprises: sim.enterprises, sitesPerEnterprise: sim.sitesPerEnterprise, devicesPerSite: sim.devicesPerSite, flowsPerDevice: sim.flowsPerDevice };
      const { keys, assignments } = await provisionSimulatedFleet(registry, spec, 'provision-simulator');
      writeSecretFile(file, JSON.stringify(keys, null, 2));
      note(`registered ${Object.keys(keys).length} simulated enterprises (keys in ${file}) and ${assignments} profile assignments`);
      return;
    }
    default:
      usageError(command === '' ? 'no command given' : `unknown command ${JSON.stringify(command)}`);
  }
}

try {
  const parsed = (() => {
    try {
      return parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      return usageError((e as Error).message);
    }
  })();
  if (parsed.values.help) {
    out(USAGE);
    process.exit(0);
  }
  const config = loadConfig('admin', CLICKHOUSE_SETTINGS, ALL_ENV_VARS);
  const registry = createRegistry(createClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase, user: config.clickhouseUser, password: config.clickhousePassword }));
  const [command = '', ...rest] = parsed.positionals;
  await run(registry, command, rest, parsed.values);
} catch (e) {
  if (isIsochronError(e)) {
    note(`admin: ${e.code}: ${e.message}`);
    process.exit(e.code === 'ISO_CONFIG_INVALID' ? 2 : 1);
  }
  throw e;
}
