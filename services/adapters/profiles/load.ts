// Reads the requirement profile files (profiles/*.json at the repository root, docs/profiles.md)
// and builds the catalog. The only I/O of the compliance code; validation and evaluation are in
// services/core/compliance.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, canonicalJson, type CatalogEntry, type NamedFile, type ProfileCatalog } from '../../core/compliance/catalog.ts';

/** profiles/ of this checkout. */
export const DEFAULT_PROFILES_DIR = fileURLToPath(new URL('../../../profiles/', import.meta.url));

export interface LoadedProfile extends CatalogEntry {
  /** "sha256:<hex>" of the profile's canonical JSON: names the exact thresholds an audit used. */
  readonly contentHash: string;
}

export interface LoadedCatalog extends ProfileCatalog {
  readonly dir: string;
  readonly profiles: readonly LoadedProfile[];
  /** Like get(), with the content hash. */
  find(id: string, version?: number): LoadedProfile | undefined;
}

export function profileContentHash(entry: CatalogEntry): string {
  return `sha256:${createHash('sha256').update(canonicalJson(entry.profile)).digest('hex')}`;
}

/** Parses every *.json file of dir (sorted by name); throws one ISO_PROFILE_INVALID listing all problems. */
export function readProfileFiles(dir: string): NamedFile[] {
  const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  return names.map((name) => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    try {
      return { name, content: JSON.parse(text) as unknown };
    } catch (e) {
      return { name, content: undefined, parseError: (e as Error).message };
    }
  });
}

export function loadProfiles(dir: string = DEFAULT_PROFILES_DIR): LoadedCatalog {
  const catalog = buildCatalog(readProfileFiles(dir));
  const profiles = catalog.entries.map((e) => Object.freeze({ ...e, contentHash: profileContentHash(e) }));
  const byEntry = new Map<CatalogEntry, LoadedProfile>(catalog.entries.map((e, i) => [e, profiles[i]]));
  return Object.freeze({
    ...catalog,
    dir,
    profiles: Object.freeze(profiles),
    find(id: string, version?: number): LoadedProfile | undefined {
      const e = catalog.get(id, version);
      return e === undefined ? undefined : byEntry.get(e);
    },
  });
}
