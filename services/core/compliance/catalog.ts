// The set of profile files in force: validated together (one error for every problem of every
// file), looked up by (id, version). A past audit names the version it used; the latest version
// is what new assignments get.
import { IsochronError } from '../errors.ts';
import { profileFileProblems, validateProfileFile } from './validate.ts';
import type { Profile, ProfileFile } from './types.ts';

export interface NamedFile {
  /** File name, e.g. "3gpp-ts22261.json"; the family must equal it without ".json". */
  readonly name: string;
  /** Parsed JSON, or the parse error's message when the text was not JSON. */
  readonly content: unknown;
  readonly parseError?: string;
}

export interface CatalogEntry {
  readonly family: string;
  readonly file: string;
  readonly profile: Profile;
}

export interface ProfileCatalog {
  readonly files: readonly ProfileFile[];
  readonly entries: readonly CatalogEntry[];
  /** The given version, or the latest when version is omitted; undefined when unknown. */
  get(id: string, version?: number): CatalogEntry | undefined;
}

/** Validates every file and the set (unique families and (id, version)); throws one ISO_PROFILE_INVALID. */
export function buildCatalog(files: readonly NamedFile[]): ProfileCatalog {
  const problems: string[] = [];
  const valid: { name: string; file: ProfileFile }[] = [];
  for (const f of files) {
    if (f.parseError !== undefined) {
      problems.push(`${f.name}: not JSON: ${f.parseError}`);
      continue;
    }
    const own = profileFileProblems(f.content);
    problems.push(...own.map((p) => `${f.name} ${p}`));
    if (own.length > 0) continue;
    const file = validateProfileFile(f.content, f.name);
    if (`${file.family}.json` !== f.name) problems.push(`${f.name} $.family: got "${file.family}"; rename the file to ${file.family}.json or fix the family`);
    valid.push({ name: f.name, file });
  }
  const byKey = new Map<string, string>();
  const entries: CatalogEntry[] = [];
  for (const { name, file } of valid) {
    for (const profile of file.profiles) {
      const key = `${profile.id}@${profile.version}`;
      const other = byKey.get(key);
      if (other !== undefined && other !== name) problems.push(`${name}: ${key} is also defined in ${other}; profile ids are global`);
      byKey.set(key, name);
      entries.push(Object.freeze({ family: file.family, file: name, profile }));
    }
  }
  if (problems.length > 0) {
    throw new IsochronError('PROFILE_INVALID', `profiles: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`, { problems });
  }
  const byId = new Map<string, CatalogEntry[]>();
  for (const e of entries) {
    const list = byId.get(e.profile.id) ?? [];
    list.push(e);
    byId.set(e.profile.id, list);
  }
  for (const list of byId.values()) list.sort((a, b) => a.profile.version - b.profile.version);
  return Object.freeze({
    files: Object.freeze(valid.map((v) => v.file)),
    entries: Object.freeze(entries),
    get(id: string, version?: number): CatalogEntry | undefined {
      const list = byId.get(id);
      if (list === undefined) return undefined;
      return version === undefined ? list[list.length - 1] : list.find((e) => e.profile.version === version);
    },
  });
}

/**
 * JSON with object keys sorted at every level: the same profile always gives the same text, so
 * its hash can name the exact profile an audit used.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
