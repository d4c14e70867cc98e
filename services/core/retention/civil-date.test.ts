import { describe, expect, it } from 'vitest';
import { dayInTimeZone, dayNumber, dayOfYmd, isoDay, lastDayOfMonth, parseIsoDay } from './civil-date.ts';

describe('calendar days', () => {
  it('numbers days from 1970-01-01 and rejects dates that do not exist', () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dayNumber(1970, 1, 2)).toBe(1);
    expect(dayNumber(2000, 3, 1)! - dayNumber(2000, 2, 28)!).toBe(2); // 2000 is a leap year
    expect(dayNumber(2100, 3, 1)! - dayNumber(2100, 2, 28)!).toBe(1); // 2100 is not
    expect(dayNumber(2024, 2, 29)).toBeDefined();
    expect(dayNumber(2023, 2, 29)).toBeUndefined();
    expect(dayNumber(2024, 4, 31)).toBeUndefined();
    expect(dayNumber(2024, 13, 1)).toBeUndefined();
    expect(dayNumber(2024, 0, 1)).toBeUndefined();
  });
  it('converts between YYYYMMDD, YYYY-MM-DD and day numbers', () => {
    expect(isoDay(dayOfYmd(20240131)!)).toBe('2024-01-31');
    expect(dayOfYmd(20240230)).toBeUndefined();
    expect(dayOfYmd(19700101)).toBe(0);
    expect(parseIsoDay('2025-03-15')).toBe(dayOfYmd(20250315));
    expect(() => parseIsoDay('2025-02-29')).toThrow(/not a calendar date/);
    expect(() => parseIsoDay('20250315')).toThrow(/not a calendar date/);
    expect(isoDay(lastDayOfMonth(2024, 2))).toBe('2024-02-29');
    expect(isoDay(lastDayOfMonth(2023, 2))).toBe('2023-02-28');
    expect(isoDay(lastDayOfMonth(2024, 12))).toBe('2024-12-31');
  });
  it('finds the calendar day of an instant in the server time zone', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(isoDay(dayInTimeZone(at('2024-03-31T22:30:00Z'), 'Etc/UTC'))).toBe('2024-03-31');
    expect(isoDay(dayInTimeZone(at('2024-03-31T22:30:00Z'), 'UTC'))).toBe('2024-03-31');
    // Central European Summer Time began that night: UTC+2, so it is already April 1st.
    expect(isoDay(dayInTimeZone(at('2024-03-31T22:30:00Z'), 'Europe/Berlin'))).toBe('2024-04-01');
    expect(isoDay(dayInTimeZone(at('2024-03-31T21:59:59Z'), 'Europe/Berlin'))).toBe('2024-03-31');
    expect(isoDay(dayInTimeZone(at('2024-01-01T05:00:00Z'), 'America/Los_Angeles'))).toBe('2023-12-31');
    expect(isoDay(dayInTimeZone(at('2024-12-31T16:00:00Z'), 'Asia/Shanghai'))).toBe('2025-01-01');
    expect(() => dayInTimeZone(0, 'Mars/Olympus_Mons')).toThrow(/unknown time zone/);
  });
});
