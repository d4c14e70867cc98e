// Exact arithmetic for targets such as 0.999999: in binary floating point 1 - 0.999999 is
// 9.99999999995449e-7, so 3 / p would round up to 3 000 001 and a measurement exactly at the bound
// could land on either side. Profiles state targets as decimals; they are read as the rational
// number the decimal denotes and compared with integer counts in BigInt.

export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Decimal places a profile number may have (den <= 10^12). */
export const MAX_DECIMALS = 12;

/**
 * The decimal a finite non-negative number was written as (its shortest round-trip form, which
 * is what JSON.parse read), as num / 10^k; null when it needs more than MAX_DECIMALS places.
 */
export function decimalRational(x: number): Rational | null {
  if (!Number.isFinite(x) || x < 0) return null;
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) return null;
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? '0') - frac.length;
  const digits = BigInt(m[1] + frac);
  if (exp >= 0) return { num: digits * 10n ** BigInt(exp), den: 1n };
  if (-exp > MAX_DECIMALS) return null;
  return { num: digits, den: 10n ** BigInt(-exp) };
}

/** 1 - r for 0 <= r <= 1. */
export function complement(r: Rational): Rational {
  return { num: r.den - r.num, den: r.den };
}

/** a < b */
export function lessThan(a: Rational, b: Rational): boolean {
  return a.num * b.den < b.num * a.den;
}

/** ceil(a / b) for a >= 0, b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Non-negative integer count or ns sum from a (possibly Float64) column value. */
export function toBig(x: number): bigint {
  if (!Number.isFinite(x) || x <= 0) return 0n;
  return BigInt(Math.round(x));
}
