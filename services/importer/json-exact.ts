// JSON.parse turns 1721824020685871901 (a wall-clock time in ns) into 1721824020685871872: every
// integer above 2^53 loses its low bits. Node 20 has no reviver access to the source text, so
// integer literals outside the safe range are rewritten as strings before parsing (outside
// string literals only) and read back with readExactInt(). Syntax errors are reported against
// the original text, as line and column.
import { inputError } from './capture.ts';

const SAFE_DIGITS = 15; // every integer of at most 15 digits is below 2^53

/** Parses JSON keeping every integer exact: unsafe integers come back as decimal strings. */
/** where: the file (or, for JSON lines, `file line N`, and then positions are given as columns only). */
export function parseJsonExact(text: string, where: string, oneLine = false): unknown {
  const rewritten = quoteUnsafeIntegers(text);
  try {
    return JSON.parse(rewritten);
  } catch {
    try {
      JSON.parse(text);
    } catch (e) {
      throw inputError(where, 'JSON', describeSyntaxError(text, (e as Error).message, oneLine));
    }
    throw inputError(where, 'JSON', 'could not be parsed');
  }
}

function quoteUnsafeIntegers(text: string): string {
  let out: string[] | null = null;
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal, honouring backslash escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) i++;
        else break;
      }
      const tok = text.slice(start, i);
      const digits = tok.startsWith('-') ? tok.length - 1 : tok.length;
      if (digits > SAFE_DIGITS && /^-?[0-9]+$/.test(tok) && !Number.isSafeInteger(Number(tok))) {
        out ??= [];
        out.push(text.slice(last, start), '"', tok, '"');
        last = i;
      }
      continue;
    }
    i++;
  }
  if (out === null) return text;
  out.push(text.slice(last));
  return out.join('');
}

/** Line and column of the first syntax error (V8's message does not always carry a position). */
function describeSyntaxError(text: string, message: string, oneLine: boolean): string {
  const found = firstSyntaxError(text);
  if (found === null) return message;
  let line = 1;
  let col = 1;
  for (let i = 0; i < found.pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  const at = found.pos < text.length ? `'${text[found.pos]}'` : 'end of input';
  return `syntax error at ${oneLine ? '' : `line ${line}, `}column ${col}: found ${at}, expected ${found.expected}`;
}

/** A minimal recursive-descent JSON (RFC 8259) checker that reports where parsing fails. */
function firstSyntaxError(text: string): { pos: number; expected: string } | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (expected: string): never => {
    throw { pos: i, expected };
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('less nesting');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail("':'");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail("',' or '}'");
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail("',' or ']'");
      }
    } else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
      if (!m) fail('a number');
      i += (m as RegExpExecArray)[0].length;
    } else {
      for (const lit of ['true', 'false', 'null']) {
        if (text.startsWith(lit, i)) {
          i += lit.length;
          return;
        }
      }
      fail('a value');
    }
  };
  const string = (): void => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('no control character inside a string');
      i += c === 0x5c ? 2 : 1;
    }
    fail("a closing '\"'");
  };
  try {
    value(0);
    ws();
    if (i < n) fail('end of input');
    return null;
  } catch (e) {
    if (e !== null && typeof e === 'object' && 'pos' in e) return e as { pos: number; expected: string };
    throw e;
  }
}

/**
 * An integer field read exactly: a JSON number that is a safe integer, or a string of decimal
 * digits (what parseJsonExact produces for large ones, and what some tools write on purpose).
 */
export function readExactInt(v: unknown): bigint | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : null;
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) return BigInt(v);
  return null;
}

/** obj[k1][k2]...; undefined when any step is missing or not an object. */
export function dig(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}
