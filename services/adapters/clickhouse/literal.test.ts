import { describe, expect, it } from 'vitest';
import { sqlDateTime, sqlEnum, sqlFloat, sqlIdentifier, sqlInt, sqlString, sqlStringArray } from './literal.ts';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('SQL literals', () => {
  it('escapes quotes, backslashes and control characters in strings', () => {
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString('a\\b')).toBe("'a\\\\b'");
    expect(sqlString('x\ny\0')).toBe("'x\\x0ay\\x00'");
    expect(sqlString("'; DROP TABLE t; --")).toBe("'\\'; DROP TABLE t; --'");
    expect(sqlString('88.100.1/DEV-0001')).toBe("'88.100.1/DEV-0001'");
  });
  it('rejects lone surrogates and non-strings', () => {
    expect(code(() => sqlString('\ud800'))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(code(() => sqlString(42 as unknown as string))).toBe('ISO_SQL_LITERAL_INVALID');
  });
  it('accepts only plain identifiers', () => {
    expect(sqlIdentifier('flow_windows_1s')).toBe('`flow_windows_1s`');
    for (const bad of ['', '1abc', 'a-b', 'a`b', 'a b', 'x'.repeat(129), 'é']) {
      expect(code(() => sqlIdentifier(bad))).toBe('ISO_SQL_LITERAL_INVALID');
    }
  });
  it('checks integer ranges per type', () => {
    expect(sqlInt(255, 'UInt8')).toBe('255');
    expect(code(() => sqlInt(256, 'UInt8'))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(code(() => sqlInt(-1, 'UInt64'))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(sqlInt(18446744073709551615n, 'UInt64')).toBe('18446744073709551615');
    expect(code(() => sqlInt(18446744073709551616n, 'UInt64'))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(code(() => sqlInt(1.5))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(code(() => sqlInt(2 ** 53))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(sqlInt(-(2n ** 63n), 'Int64')).toBe('-9223372036854775808');
  });
  it('writes floats, datetimes, arrays and enums', () => {
    expect(sqlFloat(0.5)).toBe('0.5');
    expect(sqlFloat(3)).toBe('3.0');
    expect(code(() => sqlFloat(Number.NaN))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(code(() => sqlFloat(Infinity))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(sqlDateTime(1700000000)).toBe('toDateTime(1700000000)');
    expect(code(() => sqlDateTime(-1))).toBe('ISO_SQL_LITERAL_INVALID');
    expect(sqlStringArray(['a', "b'"])).toBe("['a', 'b\\'']");
    expect(sqlEnum('tsn', ['5g', 'tsn'])).toBe("'tsn'");
    expect(code(() => sqlEnum('x' as 'tsn', ['5g', 'tsn']))).toBe('ISO_SQL_LITERAL_INVALID');
  });
});
