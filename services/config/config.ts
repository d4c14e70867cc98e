// Configuration from the environment, validated once at start: every problem is reported
// together with its fix, unknown ISOCHRON_* variables are rejected (a typo must not silently
// fall back to a default), and the result is frozen. Units live in the names.
import { IsochronError } from '../core/errors.ts';

interface BaseSetting {
  readonly env: string;
  readonly description: string;
}
export interface IntSetting extends BaseSetting {
  readonly type: 'int';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}
export interface StringSetting extends BaseSetting {
  readonly type: 'string';
  readonly default: string;
  readonly pattern?: RegExp;
}
export interface EnumSetting<T extends string = string> extends BaseSetting {
  readonly type: 'enum';
  readonly default: T;
  readonly values: readonly T[];
}
export interface ListSetting extends BaseSetting {
  readonly type: 'list';
  readonly default: readonly string[];
}
export type Setting = IntSetting | StringSetting | EnumSetting | ListSetting;
export type SettingsSpec = Record<string, Setting>;

type ValueOf<S extends Setting> = S extends IntSetting
  ? number
  : S extends EnumSetting<infer T>
    ? T
    : S extends ListSetting
      ? readonly string[]
      : string;
export type ConfigOf<Spec extends SettingsSpec> = { readonly [K in keyof Spec]: ValueOf<Spec[K]> };

/**
 * Reads `spec` from `env`. `known` is every ISOCHRON_* variable any part of the project reads
 * (services/config/settings.ts ALL_ENV_VARS); any other ISOCHRON_* variable is a typo.
 */
export function loadConfig<Spec extends SettingsSpec>(service: string, spec: Spec, known: ReadonlySet<string>, env: NodeJS.ProcessEnv = process.env): ConfigOf<Spec> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(spec)) {
    const raw = env[s.env];
    if (raw === undefined || raw === '') {
      out[key] = s.default;
      continue;
    }
    switch (s.type) {
      case 'int': {
        const n = Number(raw);
        if (!Number.isSafeInteger(n) || n < s.min || n > s.max) problems.push(`${s.env}=${raw}: expected an integer from ${s.min} to ${s.max} (${s.description})`);
        else out[key] = n;
        break;
      }
      case 'enum':
        if (!s.values.includes(raw)) problems.push(`${s.env}=${raw}: expected one of ${s.values.join(', ')}`);
        else out[key] = raw;
        break;
      case 'list': {
        const items = raw.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
        if (items.length === 0) problems.push(`${s.env}: expected a comma-separated list (${s.description})`);
        else out[key] = Object.freeze(items);
        break;
      }
      case 'string':
        if (s.pattern && !s.pattern.test(raw)) problems.push(`${s.env}=${raw}: must match ${s.pattern} (${s.description})`);
        else out[key] = raw;
        break;
    }
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith('ISOCHRON_') && !known.has(name)) problems.push(`${name} is not a known setting: check its spelling (see README, Configuration)`);
  }
  if (problems.length > 0) {
    throw new IsochronError('CONFIG_INVALID', `${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  return Object.freeze(out) as ConfigOf<Spec>;
}
