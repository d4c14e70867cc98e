// Times in the API: RFC 3339 timestamps in UTC ("Z"), whole seconds or up to 9 fractional
// digits (RFC 3339 section 5.6, restricted to the Z offset so one instant has few spellings),
// converted exactly to Unix nanoseconds as bigint. Pure: no clock.
import { IsochronError } from '../core/errors.ts';

/** The JSON-schema pattern of a timestamp parameter (the route schemas use it verbatim). */
export const RFC3339_UTC_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$';
const RFC3339_UTC = new RegExp(RFC3339_UTC_PATTERN);

const NS_PER_S = 1_000_000_000n;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * "2025-03-01T12:00:00.5Z" -> 1740830400500000000n. Rejects impossible dates (Feb 30), leap
 * seconds (second 60: Unix time has none) and years before 1970 (the tables hold UInt64 ns).
 * `name` is the parameter's name for the message; the value itself is never echoed.
 */
export function parseTimestampNs(text: string, name: string): bigint {
  const bad = (why: string) => new IsochronError('API_BAD_REQUEST', `${name}: ${why}; expected an RFC 3339 UTC timestamp such as 2025-03-01T12:00:00Z`, { parameter: name });
  if (typeof text !== 'string' || !RFC3339_UTC.test(text)) throw bad('not an RFC 3339 UTC timestamp');
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const hour = Number(text.slice(11, 13));
  const minute = Number(text.slice(14, 16));
  const second = Number(text.slice(17, 19));
  if (year < 1970) throw bad('year before 1970');
  if (month < 1 || month > 12) throw bad('month out of range');
  if (day < 1 || day > daysInMonth(year, month)) throw bad('day out of range for the month');
  if (hour > 23 || minute > 59 || second > 59) throw bad('time of day out of range');
  const frac = text.length > 20 ? text.slice(20, -1) : '';
  const seconds = BigInt(Date.UTC(year, month - 1, day, hour, minute, second) / 1000);
  return seconds * NS_PER_S + BigInt(frac.padEnd(9, '0') || '0');
}

/** Unix ns -> RFC 3339 UTC with 9 fractional digits when the value is not whole seconds. */
export function formatTimestampNs(ns: bigint): string {
  const s = ns / NS_PER_S;
  const frac = ns % NS_PER_S;
  const base = new Date(Number(s) * 1000).toISOString().slice(0, 19);
  return frac === 0n ? `${base}Z` : `${base}.${frac.toString().padStart(9, '0')}Z`;
}

/** A half-open range [from, to) that is non-empty and at most maxRangeNs long. */
export function parseRange(from: string, to: string, maxRangeNs: bigint, names: readonly [string, string] = ['from', 'to']): { fromNs: bigint; toNs: bigint } {
  const fromNs = parseTimestampNs(from, names[0]);
  const toNs = parseTimestampNs(to, names[1]);
  if (toNs <= fromNs) throw new IsochronError('API_BAD_REQUEST', `${names[1]} must be after ${names[0]}`, { parameter: names[1] });
  if (toNs - fromNs > maxRangeNs) {
    throw new IsochronError('API_BAD_REQUEST', `${names[0]}..${names[1]} spans more than ${maxRangeNs / (86_400n * NS_PER_S)} days; ask for a shorter range`, { parameter: names[1] });
  }
  return { fromNs, toNs };
}
