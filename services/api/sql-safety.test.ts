// Static check that literal.ts is the only way values become SQL text in the query paths the API
// drives: services/api (which must hold no SQL at all), services/compliance and the ClickHouse
// adapters behind them. Every template literal that reads as SQL (upper-case keywords) is parsed
// with the TypeScript compiler, and every ${...} in it must be SQL-safe:
//   - a call of a literal.ts function (sqlString, sqlInt, ...), or a method of its result;
//   - a constant (string or number literal, a template of safe parts, an array of them);
//   - a number or bigint (digits cannot carry SQL text);
//   - a variable, property or parameter whose every source is safe: its initializer, every value
//     pushed into it, and for a parameter the argument at every call site in the checked files;
//   - a call of a function in these files whose every return value is safe (.map/.join/.slice of
//     safe arrays and strings included).
// Anything else (a raw string parameter, a property of an interface filled elsewhere) fails the
// test with its file, line and the chain of reasons.
import path from 'node:path';
import fs from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const LITERAL_FILE = path.join(ROOT, 'services/adapters/clickhouse/literal.ts');
const SQL_WORDS = /\b(SELECT|FROM|WHERE|INSERT|PREWHERE|GROUP BY|ORDER BY|LIMIT|UNION ALL|AND|OR|IN|JOIN|FORMAT|FINAL)\b/;

function files(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('testkit') && !f.includes('fixture') && !f.includes('bench'))
    .map((f) => path.join(ROOT, dir, f));
}

const CHECKED = [
  ...files('services/api'),
  ...files('services/compliance'),
  ...['compliance-aggregate.ts', 'upgrade-queries.ts', 'rollup-columns.ts', 'queries.ts'].map((f) => path.join(ROOT, 'services/adapters/clickhouse', f)),
  path.join(ROOT, 'services/adapters/tenancy/registry.ts'),
];

let program = ts.createProgram(CHECKED, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true, strict: true });
let checker = program.getTypeChecker();
const sources = CHECKED.map((f) => program.getSourceFile(f)!);

function where(n: ts.Node): string {
  const sf = n.getSourceFile();
  return `${path.relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
}

function isLiteralModuleFunction(callee: ts.Expression): boolean {
  let sym = checker.getSymbolAtLocation(callee);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  return sym?.declarations?.some((d) => d.getSourceFile().fileName === LITERAL_FILE) ?? false;
}

function allNodes(pred: (n: ts.Node) => boolean): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if (pred(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  for (const sf of sources) visit(sf);
  return out;
}
const CALLS = allNodes(ts.isCallExpression) as ts.CallExpression[];
const PROPERTY_ASSIGNMENTS = allNodes((n) => ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) as (ts.PropertyAssignment | ts.ShorthandPropertyAssignment)[];

function symbolOf(e: ts.Expression): ts.Symbol | undefined {
  const s = checker.getSymbolAtLocation(e);
  return s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

const memo = new Map<ts.Node, string | null>();

/** null when safe, else why not. */
function unsafe(e: ts.Expression, depth = 0): string | null {
  if (memo.has(e)) return memo.get(e)!;
  memo.set(e, null); // cycles are judged by their other sources
  const r = judge(e, depth);
  memo.set(e, r);
  return r;
}

function numeric(e: ts.Expression): boolean {
  const t = checker.getTypeAtLocation(e);
  const flags = (t.isUnion() ? t.types : [t]).map((x) => x.flags);
  return flags.every((f) => (f & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) !== 0);
}

function symbolSources(sym: ts.Symbol, depth: number): string | null {
  for (const d of sym.declarations ?? []) {
    if (!CHECKED.includes(d.getSourceFile().fileName) && d.getSourceFile().fileName !== LITERAL_FILE) return `${sym.name} is declared outside the checked files (${where(d)})`;
    if (ts.isVariableDeclaration(d) || ts.isPropertyAssignment(d) || ts.isPropertyDeclaration(d)) {
      if (ts.isVariableDeclaration(d) && ts.isForOfStatement(d.parent.parent)) {
        const r = unsafe(d.parent.parent.expression, depth + 1);
        if (r) return `${sym.name} iterates ${r}`;
        continue;
      }
      if (d.initializer === undefined) return `${sym.name} has no initializer (${where(d)})`;
      const r = unsafe(d.initializer, depth + 1);
      if (r) return `${sym.name} = ${r}`;
    } else if (ts.isShorthandPropertyAssignment(d)) {
      const r = symbolSources(checker.getShorthandAssignmentValueSymbol(d)!, depth + 1);
      if (r) return r;
    } else if (ts.isParameter(d)) {
      const fn = d.parent;
      const index = fn.parameters.indexOf(d);
      if (ts.isArrowFunction(fn) && ts.isCallExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.expression) && ['map', 'flatMap', 'filter', 'forEach'].includes(fn.parent.expression.name.text)) {
        if (index > 0) continue; // the index of map((x, i) => ...): a number
        const r = unsafe(fn.parent.expression.expression, depth + 1);
        if (r) return `${sym.name} is an element of ${r}`;
        continue;
      }
      const fnSym = fn.name ? symbolOf(fn.name as ts.Identifier) : ts.isVariableDeclaration(fn.parent) ? symbolOf(fn.parent.name as ts.Identifier) : undefined;
      if (fnSym === undefined) return `parameter ${sym.name} of an anonymous function (${where(d)})`;
      const calls = CALLS.filter((c) => symbolOf(c.expression) === fnSym);
      if (calls.length === 0) return `parameter ${sym.name} of ${fnSym.name}, called from outside the checked files (${where(d)})`;
      for (const c of calls) {
        const arg = c.arguments[index];
        if (arg === undefined) continue;
        const r = unsafe(arg, depth + 1);
        if (r) return `parameter ${sym.name} of ${fnSym.name} gets ${r} at ${where(c)}`;
      }
    } else if (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) {
      // a function used as a value: judged where it is called
    } else if (ts.isPropertySignature(d)) {
      // A field of an interface: its sources are the object literals typed by it (and pushes, below).
      let literals = 0;
      for (const a of PROPERTY_ASSIGNMENTS) {
        if (a.name.getText() !== sym.name) continue;
        const t = checker.getContextualType(a.parent);
        if (t === undefined || !(t.isUnion() ? t.types : [t]).some((x) => x.getProperty(sym.name) === sym)) continue;
        literals++;
        const r = ts.isShorthandPropertyAssignment(a) ? symbolSources(checker.getShorthandAssignmentValueSymbol(a)!, depth + 1) : unsafe(a.initializer, depth + 1);
        if (r) return `${sym.name}: ${r} at ${where(a)}`;
      }
      if (literals === 0) return `${sym.name} is a field of an interface filled outside the checked files (${where(d)})`;
    } else if (ts.isBindingElement(d)) {
      // Destructured: judge the whole value it came from.
      let n: ts.Node = d;
      while (ts.isBindingElement(n) || ts.isArrayBindingPattern(n) || ts.isObjectBindingPattern(n)) n = n.parent;
      if (ts.isParameter(n) && ts.isArrowFunction(n.parent) && ts.isCallExpression(n.parent.parent) && ts.isPropertyAccessExpression(n.parent.parent.expression)) {
        const r = unsafe(n.parent.parent.expression.expression, depth + 1);
        if (r) return `${sym.name} is destructured from ${r}`;
      } else if (ts.isVariableDeclaration(n) && n.initializer) {
        const r = unsafe(n.initializer, depth + 1);
        if (r) return `${sym.name} is destructured from ${r}`;
      } else return `${sym.name} is destructured from an unchecked value (${where(d)})`;
    } else {
      return `${sym.name}: unsupported declaration ${ts.SyntaxKind[d.kind]} (${where(d)})`;
    }
  }
  // Values pushed into it later count as sources too.
  for (const c of CALLS) {
    if (ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'push' && symbolOf(c.expression.expression) === sym) {
      for (const a of c.arguments) {
        const r = unsafe(a, depth + 1);
        if (r) return `${sym.name}.push(${r}) at ${where(c)}`;
      }
    }
  }
  return null;
}

function judge(e: ts.Expression, depth: number): string | null {
  if (depth > 40) return `too deep at ${where(e)}`;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e)) return null;
  if (numeric(e)) return null;
  if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) return unsafe(e.expression, depth + 1);
  if (ts.isTemplateExpression(e)) {
    for (const s of e.templateSpans) {
      const r = unsafe(s.expression, depth + 1);
      if (r) return r;
    }
    return null;
  }
  if (ts.isConditionalExpression(e)) return unsafe(e.whenTrue, depth + 1) ?? unsafe(e.whenFalse, depth + 1);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.PlusToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return unsafe(e.left, depth + 1) ?? unsafe(e.right, depth + 1);
  if (ts.isArrayLiteralExpression(e)) {
    for (const x of e.elements) {
      const r = unsafe(ts.isSpreadElement(x) ? x.expression : x, depth + 1);
      if (r) return r;
    }
    return null;
  }
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      const r = ts.isPropertyAssignment(p) ? unsafe(p.initializer, depth + 1) : ts.isSpreadAssignment(p) ? unsafe(p.expression, depth + 1) : `${ts.SyntaxKind[p.kind]} in an object literal (${where(p)})`;
      if (r) return r;
    }
    return null;
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const sym = symbolOf(ts.isElementAccessExpression(e) ? e.expression : e);
    if (sym === undefined) return `${e.getText()} cannot be resolved (${where(e)})`;
    if (ts.isElementAccessExpression(e)) return symbolSources(sym, depth) ?? null;
    return symbolSources(sym, depth);
  }
  if (ts.isCallExpression(e)) {
    if (isLiteralModuleFunction(e.expression)) return null;
    if (ts.isPropertyAccessExpression(e.expression)) {
      const method = e.expression.name.text;
      const receiver = e.expression.expression;
      if (['join', 'slice', 'trim', 'toString', 'concat', 'filter', 'sort'].includes(method)) {
        for (const a of e.arguments) {
          if (method === 'filter' || method === 'sort') break;
          const r = unsafe(a, depth + 1);
          if (r) return r;
        }
        return unsafe(receiver, depth + 1);
      }
      if (method === 'map' || method === 'flatMap') {
        const cb = e.arguments[0];
        if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return returnsOf(cb, depth);
        return cb ? unsafe(cb, depth + 1) : null;
      }
    }
    const sym = symbolOf(e.expression);
    const decl = sym?.declarations?.[0];
    if (decl && CHECKED.includes(decl.getSourceFile().fileName)) {
      const fn = ts.isVariableDeclaration(decl) ? decl.initializer : decl;
      if (fn && (ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn))) return returnsOf(fn, depth);
    }
    return `${e.expression.getText()}(...) is not a literal.ts function or a checked builder (${where(e)})`;
  }
  return `${ts.SyntaxKind[e.kind]} ${e.getText().slice(0, 60)} (${where(e)})`;
}

function returnsOf(fn: ts.SignatureDeclaration & { body?: ts.ConciseBody }, depth: number): string | null {
  if (fn.body === undefined) return `no body (${where(fn)})`;
  if (!ts.isBlock(fn.body)) return unsafe(fn.body, depth + 1);
  let bad: string | null = null;
  const visit = (n: ts.Node) => {
    if (bad) return;
    if (ts.isReturnStatement(n) && n.expression) bad = unsafe(n.expression, depth + 1);
    else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return bad;
}

function sqlTemplates(sf: ts.SourceFile): ts.TemplateExpression[] {
  const out: ts.TemplateExpression[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isTemplateExpression(n)) {
      const text = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ');
      if (SQL_WORDS.test(text)) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('values reach SQL only through literal.ts', () => {
  it('services/api holds no SQL text', () => {
    const api = sources.filter((s) => s.fileName.startsWith(path.join(ROOT, 'services/api/')));
    expect(api.length).toBeGreaterThan(5);
    const found = api.flatMap((sf) => sqlTemplates(sf).map((t) => `${where(t)}: ${t.getText().slice(0, 80)}`));
    expect(found).toEqual([]);
  });

  it('every ${...} in a SQL template of the query code is SQL-safe', () => {
    const problems: string[] = [];
    let templates = 0;
    let interpolations = 0;
    for (const sf of sources) {
      for (const t of sqlTemplates(sf)) {
        templates++;
        for (const s of t.templateSpans) {
          interpolations++;
          const r = unsafe(s.expression);
          if (r) problems.push(`${where(s.expression)} \${${s.expression.getText().slice(0, 60)}}: ${r}`);
        }
      }
    }
    console.log(`[sql-safety] ${templates} SQL templates, ${interpolations} interpolations checked in ${sources.length} files`);
    expect(problems).toEqual([]);
    expect(templates).toBeGreaterThan(20);
    expect(interpolations).toBeGreaterThan(50);
  });

  it('flags a raw string parameter, a raw interface field and a raw loop variable (the check has teeth)', () => {
    const text = `
      import { sqlString } from '${LITERAL_FILE}';
      interface Scope { readonly enterpriseId: string }
      export function a(id: string) { return \`SELECT 1 FROM t WHERE id = \${id}\`; }
      export function b(s: Scope) { return \`SELECT 1 FROM t WHERE id = \${s.enterpriseId}\`; }
      export function c(ids: string[]) { const parts: string[] = []; for (const i of ids) parts.push(\`id = \${i}\`); return \`SELECT 1 FROM t WHERE \${parts.join(' OR ')}\`; }
      export function d(s: Scope) { const parts: string[] = []; parts.push(\`id = '\${s.enterpriseId}'\`); return \`SELECT 1 FROM t WHERE \${parts.join(' AND ')}\`; }
      function build(where: string) { return \`SELECT 1 FROM t WHERE \${where}\`; }
      export function e(id: string) { return build(\`id = \${id}\`); }
      export function ok(s: Scope, n: number) { return \`SELECT 1 FROM t WHERE id = \${sqlString(s.enterpriseId)} LIMIT \${n}\`; }
      function buildOk(where: string) { return \`SELECT 1 FROM t WHERE \${where}\`; }
      export function okBuilder(s: Scope) { const parts = [\`id = \${sqlString(s.enterpriseId)}\`]; return buildOk(parts.join(' AND ')); }
    `;
    const file = path.join(ROOT, 'services/api/__sql_safety_probe__.ts');
    const host = ts.createCompilerHost({});
    const orig = host.getSourceFile;
    host.getSourceFile = (name, lang) => (name === file ? ts.createSourceFile(name, text, lang, true) : orig(name, lang));
    const p = ts.createProgram([file], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true }, host);
    const probe = p.getSourceFile(file)!;
    // Judge with this program's checker: rebind the module state for the probe.
    const results = judgeWith(p, probe, file);
    memo.clear();
    expect(results).toEqual({ a: true, b: true, c: true, d: true, build: true, e: false, ok: false, buildOk: false, okBuilder: false });
  });
});

/** Runs the same judgement over one extra program (the probe) and says which functions were flagged. */
function judgeWith(p: ts.Program, sf: ts.SourceFile, file: string): Record<string, boolean> {
  const saved = { program, checker, sources: [...sources], calls: [...CALLS], checked: [...CHECKED] };
  const out: Record<string, boolean> = {};
  try {
    swap(p, [sf], [file]);
    for (const stmt of sf.statements) {
      if (!ts.isFunctionDeclaration(stmt) || !stmt.name) continue;
      const templates: ts.TemplateExpression[] = [];
      const visit = (n: ts.Node) => {
        if (ts.isTemplateExpression(n) && SQL_WORDS.test([n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' '))) templates.push(n);
        ts.forEachChild(n, visit);
      };
      visit(stmt);
      out[stmt.name.text] = templates.some((t) => t.templateSpans.some((s) => unsafe(s.expression) !== null));
    }
  } finally {
    swap(saved.program, saved.sources, saved.checked, saved.checker, saved.calls);
  }
  return out;
}

// The judgement reads module-level state; the probe test swaps it for its own program.
function swap(p: ts.Program, srcs: ts.SourceFile[], checked: string[], chk?: ts.TypeChecker, calls?: ts.CallExpression[]) {
  program = p;
  checker = chk ?? p.getTypeChecker();
  sources.splice(0, sources.length, ...srcs);
  CHECKED.splice(0, CHECKED.length, ...checked);
  memo.clear();
  CALLS.splice(0, CALLS.length, ...(calls ?? (allNodes(ts.isCallExpression) as ts.CallExpression[])));
  PROPERTY_ASSIGNMENTS.splice(0, PROPERTY_ASSIGNMENTS.length, ...(allNodes((n) => ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) as (ts.PropertyAssignment | ts.ShorthandPropertyAssignment)[]));
}
