import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isIsochronError } from '../../core/errors.ts';
import { validateProfileFile } from '../../core/compliance/validate.ts';
import { DEFAULT_PROFILES_DIR, loadProfiles, readProfileFiles } from './load.ts';

describe('shipped profile files', () => {
  const files = fs.readdirSync(DEFAULT_PROFILES_DIR).filter((n) => n.endsWith('.json')).sort();

  it('are the expected families', () => {
    expect(files).toEqual(['3gpp-ts22104.json', '3gpp-ts22261.json', '3gpp-urllc.json', 'custom-example.json', 'itu-y1541.json', 'tsn-industrial.json']);
  });

  it.each(files)('%s validates on its own and names its family after the file', (name) => {
    const content = JSON.parse(fs.readFileSync(path.join(DEFAULT_PROFILES_DIR, name), 'utf8')) as unknown;
    const file = validateProfileFile(content, name);
    expect(`${file.family}.json`).toBe(name);
  });

  it('load together into one catalog with global ids and stable content hashes', () => {
    const a = loadProfiles();
    const b = loadProfiles();
    expect(a.profiles.length).toBe(30);
    expect(new Set(a.profiles.map((p) => `${p.profile.id}@${p.profile.version}`)).size).toBe(a.profiles.length);
    expect(a.profiles.map((p) => p.contentHash)).toEqual(b.profiles.map((p) => p.contentHash));
    for (const p of a.profiles) expect(p.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const v1 = a.find('custom-example-packaging-line', 1);
    const v2 = a.find('custom-example-packaging-line');
    expect(v2?.profile.version).toBe(2);
    expect(v1?.contentHash).not.toBe(v2?.contentHash);
    expect(v1?.file).toBe('custom-example.json');
  });
});

describe('docs/profiles.md', () => {
  it('lists every shipped profile in its table', () => {
    const doc = fs.readFileSync(path.resolve('docs/profiles.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const { profile } of loadProfiles().profiles) {
      const row = rows.find((l) => l.startsWith(`| \`${profile.id}\` v`));
      expect(row, `${profile.id} missing from docs/profiles.md`).toBeDefined();
      const versions = (row as string).split('|')[1].match(/\bv\d+\b/g) ?? [];
      expect(versions, `${profile.id} v${profile.version} missing from docs/profiles.md`).toContain(`v${profile.version}`);
    }
  });
});

describe('loading a folder with broken files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-profiles-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports every problem of every file in one error', () => {
    fs.writeFileSync(path.join(dir, 'a.json'), '{ "format": ');
    fs.writeFileSync(
      path.join(dir, 'b.json'),
      JSON.stringify({ format: 'isochron-profiles/1', family: 'b', title: 'B', profiles: [{ id: 'B', version: 0, title: 'b', useCase: 'b', source: { standard: 's', section: 's', status: 'X' }, thresholds: { lossRatio: { maxLossRatio: 2, status: {} } } }] }),
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    expect(readProfileFiles(dir).map((f) => f.name)).toEqual(['a.json', 'b.json']);
    let err: unknown;
    try {
      loadProfiles(dir);
    } catch (e) {
      err = e;
    }
    expect(isIsochronError(err)).toBe(true);
    const e = err as { code: string; details: { problems: string[] } };
    expect(e.code).toBe('ISO_PROFILE_INVALID');
    expect(e.details.problems).toHaveLength(6);
    expect(e.details.problems[0]).toMatch(/^a\.json: not JSON: /);
    expect(e.details.problems.slice(1)).toEqual([
      'b.json $.profiles[0].id: got "B"; use lower-case letters and digits separated by single "-" or ".", at most 100 characters',
      'b.json $.profiles[0].version: got 0; use a positive whole number; raise it whenever a value changes',
      "b.json $.profiles[0].source.status: got \"X\"; use one of 'V', 'S', 'U', 'D'",
      'b.json $.profiles[0].thresholds.lossRatio.maxLossRatio: got 2; use a number strictly between 0 and 1 with at most 12 decimals, e.g. 0.001',
      "b.json $.profiles[0].thresholds.lossRatio.status.maxLossRatio: missing; give the value's status: 'V', 'S', 'U' or 'D' (shared/METRICS.md tags)",
    ]);
  });
});
