// Device identifiers in the industrial internet identifier form "<prefix>/<suffix>", e.g.
// "88.100.1/DEV-0001". China's industrial internet identifier resolution system is built on
// the Handle System, whose identifiers are a prefix (naming authority) and a suffix (local
// name) joined by "/" (RFC 3650 section 3); prefixes are dot-separated decimal segments
// assigned hierarchically (national node, then industry/secondary node, then enterprise).
//
// isochron accepts a deliberately narrow, canonical subset so that one device has one spelling
// and a prefix can be compared with the registry by plain string equality:
//   prefix: 2..8 segments joined by ".", each 1..10 decimal digits without leading zeros
//           (a lone "0" is allowed), at most 64 characters;
//   suffix: 1..128 characters of [A-Za-z0-9._:-] (case-sensitive; no "/", spaces or non-ASCII).
import { IsochronError } from '../errors.ts';

export const MAX_PREFIX_SEGMENTS = 8;
export const MAX_PREFIX_CHARS = 64;
export const MAX_SUFFIX_CHARS = 128;

const SEGMENT = /^(0|[1-9][0-9]{0,9})$/;
const SUFFIX = /^[A-Za-z0-9._:-]+$/;

function prefixProblem(prefix: string): string | null {
  if (prefix.length === 0) return 'the prefix before "/" is empty';
  if (prefix.length > MAX_PREFIX_CHARS) return `the prefix is ${prefix.length} characters, over ${MAX_PREFIX_CHARS}`;
  const segments = prefix.split('.');
  if (segments.length < 2) return 'the prefix needs at least 2 dot-separated decimal segments (e.g. 88.100)';
  if (segments.length > MAX_PREFIX_SEGMENTS) return `the prefix has ${segments.length} segments, over ${MAX_PREFIX_SEGMENTS}`;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.length === 0) return `prefix segment ${i + 1} is empty`;
    if (!SEGMENT.test(s)) {
      return /^[0-9]+$/.test(s)
        ? `prefix segment ${i + 1} "${s}" has a leading zero or more than 10 digits`
        : `prefix segment ${i + 1} "${s}" is not decimal digits`;
    }
  }
  return null;
}

export function isValidIdentifierPrefix(prefix: string): boolean {
  return typeof prefix === 'string' && prefixProblem(prefix) === null;
}

function invalid(id: string, problem: string): IsochronError {
  return new IsochronError('IDENTIFIER_INVALID', `device identifier ${JSON.stringify(id.slice(0, 200))}: ${problem} (form <prefix>/<suffix>, e.g. 88.100.1/DEV-0001)`, {
    identifier: id.slice(0, 200),
  });
}

/** Splits and validates "<prefix>/<suffix>"; throws ISO_IDENTIFIER_INVALID naming the problem. */
export function parseDeviceIdentifier(id: string): { prefix: string; suffix: string } {
  if (typeof id !== 'string') throw new IsochronError('IDENTIFIER_INVALID', 'device identifier must be a string');
  if (id.length === 0) throw invalid(id, 'it is empty');
  const slash = id.indexOf('/');
  if (slash < 0) throw invalid(id, 'it has no "/" between prefix and suffix');
  const prefix = id.slice(0, slash);
  const suffix = id.slice(slash + 1);
  const p = prefixProblem(prefix);
  if (p !== null) throw invalid(id, p);
  if (suffix.length === 0) throw invalid(id, 'the suffix after "/" is empty');
  if (suffix.length > MAX_SUFFIX_CHARS) throw invalid(id, `the suffix is ${suffix.length} characters, over ${MAX_SUFFIX_CHARS}`);
  if (!SUFFIX.test(suffix)) {
    const bad = [...suffix].find((ch) => !SUFFIX.test(ch)) ?? '';
    throw invalid(id, `the suffix contains ${JSON.stringify(bad)}; allowed are A-Z a-z 0-9 . _ : -`);
  }
  return { prefix, suffix };
}
