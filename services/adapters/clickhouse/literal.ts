// The only place where values become SQL text. ClickHouse 18.16 has no query parameters, so
// every value that reaches SQL goes through one of these functions, which validate the type
// strictly and escape strings. Nothing else in the project builds SQL from values.
import { IsochronError } from '../../core/errors.ts';

function fail(message: string, value: unknown): never {
  throw new IsochronError('SQL_LITERAL_INVALID', message, { value: typeof value === 'string' ? value.slice(0, 64) : String(value) });
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A database, table or column name: plain ASCII identifier, written with backquotes. */
export function sqlIdentifier(name: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) fail(`not a valid identifier: ${JSON.stringify(name)}`, name);
  return `\`${name}\``;
}

/** A string literal. Backslash and quote are escaped; control characters are written as \xHH. */
export function sqlString(value: string): string {
  if (typeof value !== 'string') fail('expected a string', value);
  if (!value.isWellFormed()) fail('string is not well-formed UTF-16 (lone surrogate)', value);
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + "'";
}

/** An integer literal within the given type's range. Accepts number (safe integer) or bigint. */
export function sqlInt(value: number | bigint, type: 'UInt8' | 'UInt16' | 'UInt32' | 'UInt64' | 'Int32' | 'Int64' = 'Int64'): string {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else fail(`expected an integer for ${type}`, value);
  const bits = Number(type.replace(/\D/g, ''));
  const unsigned = type.startsWith('U');
  const min = unsigned ? 0n : -(1n << BigInt(bits - 1));
  const max = unsigned ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
  if (v < min || v > max) fail(`integer out of range for ${type}`, value);
  return v.toString();
}

/** A finite floating-point literal. */
export function sqlFloat(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail('expected a finite number', value);
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** A DateTime literal from Unix seconds (UTC): toDateTime(<int>). */
export function sqlDateTime(unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0 || unixSeconds > 4294967295) fail('expected Unix seconds within DateTime range', unixSeconds);
  return `toDateTime(${unixSeconds})`;
}

/** An array of string literals. */
export function sqlStringArray(values: readonly string[]): string {
  if (!Array.isArray(values)) fail('expected an array of strings', values);
  return `[${values.map(sqlString).join(', ')}]`;
}

/** One value of a fixed vocabulary (Enum8 values), checked against the allowed list. */
export function sqlEnum<T extends string>(value: T, allowed: readonly T[]): string {
  if (!allowed.includes(value)) fail(`expected one of ${allowed.join(', ')}`, value);
  return sqlString(value);
}
