import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUT_DIR, check, generate } from './gen-proto.ts';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'isochron-gen-proto-test-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('generated protobuf code (services/generated/proto)', () => {
  it('is up to date with proto/ (fix: npm run gen:proto)', () => {
    const result = check();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('is deterministic and carries the do-not-edit header in every file', () => {
    const a = tempDir();
    const b = tempDir();
    const names = generate(a);
    generate(b);
    expect(names.sort()).toEqual(readdirSync(OUT_DIR).sort());
    for (const name of names) {
      const text = readFileSync(join(a, name), 'utf8');
      expect(text).toBe(readFileSync(join(b, name), 'utf8'));
      expect(text.startsWith('// GENERATED — DO NOT EDIT; run npm run gen:proto\n')).toBe(true);
      expect(text).not.toContain(tmpdir());
    }
  });

  it('the check notices a stale, a missing and an unexpected file', () => {
    const dir = tempDir();
    cpSync(OUT_DIR, dir, { recursive: true });
    const [first, second] = readdirSync(dir).sort();
    writeFileSync(join(dir, first), `${readFileSync(join(dir, first), 'utf8')}\n// edited by hand\n`);
    rmSync(join(dir, second));
    writeFileSync(join(dir, 'leftover.js'), '');
    const result = check(dir);
    expect(result.ok).toBe(false);
    const problems = result.problems.join('\n');
    expect(problems).toContain(`${first} is stale`);
    expect(problems).toContain(`${second} is missing`);
    expect(problems).toContain('leftover.js is not produced by the generator');
  });
});
