// An order-independent fingerprint of the stored rows an audit read: how many rows, how many base
// windows they hold, and the sum modulo 2^64 of a 64-bit hash of each row (its identity, period and
// the values that grow when windows arrive). Adding, removing or completing a row changes it; the
// order rows are read in does not. Computed by ClickHouse (compliance-aggregate.ts), combined here.

export interface DataFingerprint {
  readonly rows: bigint;
  readonly windows: bigint;
  /** Sum of the rows' cityHash64 values modulo 2^64. */
  readonly hash: bigint;
}

/** The JSON form stored with an audit run and put in results (64-bit values as decimal text). */
export interface FingerprintJson {
  readonly rows: string;
  readonly windows: string;
  /** 16 lower-case hex digits. */
  readonly hash: string;
}

const MASK = (1n << 64n) - 1n;

export const EMPTY_FINGERPRINT: DataFingerprint = Object.freeze({ rows: 0n, windows: 0n, hash: 0n });

export function addFingerprints(a: DataFingerprint, b: DataFingerprint): DataFingerprint {
  return { rows: a.rows + b.rows, windows: a.windows + b.windows, hash: (a.hash + b.hash) & MASK };
}

export function fingerprintJson(fp: DataFingerprint): FingerprintJson {
  return { rows: fp.rows.toString(), windows: fp.windows.toString(), hash: fp.hash.toString(16).padStart(16, '0') };
}

export function parseFingerprint(j: FingerprintJson): DataFingerprint {
  return { rows: BigInt(j.rows), windows: BigInt(j.windows), hash: BigInt(`0x${j.hash}`) };
}

export function sameFingerprint(a: DataFingerprint, b: DataFingerprint): boolean {
  return a.rows === b.rows && a.windows === b.windows && a.hash === b.hash;
}
