// Calendar days for retention: partitions are named by the calendar day, month or year of their
// rows in the ClickHouse server's time zone (toYYYYMMDD and friends), so retention reasons in
// calendar days of that zone, never in 24-hour steps of an instant. A day is held as its day
// number (days since 1970-01-01): plain integers compare and subtract without time zones.
import { IsochronError } from '../errors.ts';

const MS_PER_DAY = 86_400_000;

/** Day number of a proleptic Gregorian date, or undefined when the date does not exist. */
export function dayNumber(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2023-02-30 over into March: such a date does not exist.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

/** The last day number of a month (month 1..12). */
export function lastDayOfMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return Date.UTC(year, month, 0) / MS_PER_DAY;
}

/** 'YYYY-MM-DD' of a day number. */
export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day number of 'YYYY-MM-DD'; throws when it is not a real date. */
export function parseIsoDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = m ? dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  if (day === undefined) throw new IsochronError('CONFIG_INVALID', `not a calendar date YYYY-MM-DD: ${JSON.stringify(text)}`, { value: text });
  return day;
}

/** Day number of YYYYMMDD as toYYYYMMDD() prints it (20240131), or undefined. */
export function dayOfYmd(ymd: number): number | undefined {
  if (!Number.isSafeInteger(ymd) || ymd < 10000101 || ymd > 99991231) return undefined;
  return dayNumber(Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100, ymd % 100);
}

/**
 * The calendar day (day number) that the instant `unixMs` falls on in the IANA time zone
 * `timeZone` (the ClickHouse server's, `SELECT timezone()`). Pure: the instant comes in as data.
 */
export function dayInTimeZone(unixMs: number, timeZone: string): number {
  if (!Number.isFinite(unixMs)) throw new IsochronError('CONFIG_INVALID', `not an instant: ${unixMs}`, { value: unixMs });
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' }).formatToParts(unixMs);
  } catch (e) {
    throw new IsochronError('CONFIG_INVALID', `unknown time zone ${JSON.stringify(timeZone)}`, { timeZone }, { cause: e });
  }
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const day = dayNumber(get('year'), get('month'), get('day'));
  if (day === undefined) throw new IsochronError('CONFIG_INVALID', `cannot read the date of ${unixMs} in ${timeZone}`, { timeZone });
  return day;
}
