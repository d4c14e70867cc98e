// Generates the protobufjs static code for every proto/**/*.proto into services/generated/proto/.
//
//   npm run gen:proto     rewrite the committed output
//   npm run check:proto   regenerate into a temp dir and fail when the committed output is stale
//
// All .proto files go into ONE bundle: separate static modules would each assign their top-level
// namespace on a shared protobufjs root and overwrite one another. The output carries no
// timestamps or absolute paths, so regenerating on any machine gives the same bytes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROTO_ROOT = join(REPO_ROOT, 'proto');
export const OUT_DIR = join(REPO_ROOT, 'services', 'generated', 'proto');
/** Base name of the bundle: isochron.js + isochron.d.ts. */
const BUNDLE = 'isochron';
/** protobufjs.roots key, so our types never share a root with another generated bundle. */
const ROOT_NAME = 'isochron';

const require = createRequire(import.meta.url);
const PBJS = require.resolve('protobufjs-cli/bin/pbjs');
const PBTS = require.resolve('protobufjs-cli/bin/pbts');

function listProtoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listProtoFiles(full));
    else if (name.endsWith('.proto')) out.push(full);
  }
  return out;
}

function header(sources: string[]): string {
  return [
    '// GENERATED — DO NOT EDIT; run npm run gen:proto',
    `// Sources: ${sources.join(', ')}`,
    '',
  ].join('\n');
}

/** Writes the generated files into `outDir` and returns their names. */
export function generate(outDir: string): string[] {
  const protoFiles = listProtoFiles(PROTO_ROOT);
  if (protoFiles.length === 0) throw new Error(`no .proto files under ${PROTO_ROOT}`);
  // Relative paths keep the output (and its Sources line) independent of the checkout location.
  const relFiles = protoFiles.map((f) => relative(REPO_ROOT, f).split(sep).join('/'));
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'isochron-pbjs-'));
  try {
    const rawJs = join(work, `${BUNDLE}.js`);
    const rawDts = join(work, `${BUNDLE}.d.ts`);
    // protobufjs 8 is CommonJS without an exports map: Node's ESM loader needs the .js suffix,
    // and the es6 wrapper imports its default export (module.exports), which always works.
    execFileSync(process.execPath, [
      PBJS, '-t', 'static-module', '-w', 'es6', '--es6',
      '--dependency', 'protobufjs/minimal.js', '-r', ROOT_NAME,
      '-p', 'proto', '-o', rawJs, ...relFiles,
    ], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync(process.execPath, [PBTS, '-o', rawDts, rawJs], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const head = header(relFiles);
    const js = head + readFileSync(rawJs, 'utf8');
    // pbts emits a CommonJS-style `import Long = require("long")`; this package is ESM.
    const dts = head + readFileSync(rawDts, 'utf8').replace('import Long = require("long");', 'import type Long from "long";');
    writeFileSync(join(outDir, `${BUNDLE}.js`), js);
    writeFileSync(join(outDir, `${BUNDLE}.d.ts`), dts);
    return [`${BUNDLE}.js`, `${BUNDLE}.d.ts`];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface CheckResult {
  ok: boolean;
  /** One line per stale, missing or unexpected file. */
  problems: string[];
}

/** Regenerates into a temp dir and compares with the committed output (or `committedDir`). */
export function check(committedDir: string = OUT_DIR): CheckResult {
  const fresh = mkdtempSync(join(tmpdir(), 'isochron-proto-check-'));
  try {
    const names = generate(fresh);
    const problems: string[] = [];
    for (const name of names) {
      const committed = join(committedDir, name);
      const shown = relative(REPO_ROOT, committed);
      if (!existsSync(committed)) problems.push(`${shown} is missing`);
      else if (!readFileSync(committed).equals(readFileSync(join(fresh, name)))) problems.push(`${shown} is stale`);
    }
    const extra = existsSync(committedDir) ? readdirSync(committedDir).filter((n) => !names.includes(n)) : [];
    for (const name of extra) problems.push(`${relative(REPO_ROOT, join(committedDir, name))} is not produced by the generator`);
    return { ok: problems.length === 0, problems };
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    const result = check();
    if (result.ok) {
      console.log('generated protobuf code is up to date');
      return 0;
    }
    console.error(`generated protobuf code is out of date:\n  ${result.problems.join('\n  ')}\nfix: run npm run gen:proto and commit services/generated/proto/`);
    return 1;
  }
  const names = generate(OUT_DIR);
  console.log(`wrote ${names.map((n) => relative(REPO_ROOT, join(OUT_DIR, n))).join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
