// The maintenance command's configuration: the ClickHouse connection and the retention policy,
// validated once at start. Every problem is reported together: settings that do not parse
// (ranges, unknown ISOCHRON_* variables) and the cross-table rules of the retention policy
// (services/core/retention/policy.ts) the parsed retention settings break, each with its fix.
import { loadConfig, type ConfigOf } from '../config/config.ts';
import { ALL_ENV_VARS, MAINTENANCE_SETTINGS, RETENTION_SETTINGS } from '../config/settings.ts';
import { IsochronError } from '../core/errors.ts';
import { retentionPolicyProblems, type PolicyKey } from '../core/retention/policy.ts';

export type MaintenanceConfig = ConfigOf<typeof MAINTENANCE_SETTINGS>;

/** The environment variable behind a retention policy key. */
export const retentionSettingName = (key: PolicyKey): string => RETENTION_SETTINGS[key].env;

function problemsOf(e: unknown): string[] {
  if (e instanceof IsochronError && e.code === 'ISO_CONFIG_INVALID' && Array.isArray(e.details?.problems)) return e.details.problems as string[];
  throw e;
}

export function loadMaintenanceConfig(env: NodeJS.ProcessEnv = process.env): MaintenanceConfig {
  const problems: string[] = [];
  let config: MaintenanceConfig | undefined;
  try {
    config = loadConfig('retention', MAINTENANCE_SETTINGS, ALL_ENV_VARS, env);
  } catch (e) {
    problems.push(...problemsOf(e));
  }
  // The cross-table rules need the retention settings only: check them whenever those parse,
  // also when another setting (the URL, a misspelt variable) does not.
  let retention: ConfigOf<typeof RETENTION_SETTINGS> | undefined = config;
  if (retention === undefined) {
    try {
      retention = loadConfig('retention', RETENTION_SETTINGS, new Set(Object.keys(env)), env);
    } catch (e) {
      problemsOf(e); // already reported by the full load above
    }
  }
  if (retention !== undefined) problems.push(...retentionPolicyProblems(retention, retentionSettingName));
  if (problems.length > 0 || config === undefined) {
    throw new IsochronError('CONFIG_INVALID', `retention: invalid configuration:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  return config;
}
