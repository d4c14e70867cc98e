// The presented form of an API key: "iso_<keyId>_<secret>". keyId is public (it names the
// credential row); secret is 256 random bits in base64url without padding (RFC 4648 section 5),
// of which only the SHA-256 is stored. Parsing is strict so that one key has exactly one
// spelling: anything else is simply not a key.
import { IsochronError } from '../errors.ts';

const KEY_ID = /^[0-9a-f]{16}$/;
// 32 bytes = 256 bits = 42 full base64 characters plus one carrying the last 4 bits; its two
// low bits are padding and must be zero (RFC 4648 section 3.5, canonical encoding).
const SECRET = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const KEY = /^iso_([0-9a-f]{16})_([A-Za-z0-9_-]{42}[AEIMQUYcgkosw048])$/;

export const API_KEY_PREFIX = 'iso_';
/** Characters of a formatted key: "iso_" + 16 + "_" + 43. */
export const API_KEY_LENGTH = 4 + 16 + 1 + 43;

export function isValidKeyId(keyId: string): boolean {
  return typeof keyId === 'string' && KEY_ID.test(keyId);
}

export function formatApiKey(keyId: string, secret: string): string {
  if (!isValidKeyId(keyId)) throw new IsochronError('AUTH_INVALID', 'key id must be 16 lower-case hex characters');
  if (typeof secret !== 'string' || !SECRET.test(secret)) throw new IsochronError('AUTH_INVALID', 'secret must be 32 bytes in canonical base64url without padding (43 characters)');
  return `${API_KEY_PREFIX}${keyId}_${secret}`;
}

export function parseApiKey(text: string): { keyId: string; secret: string } | null {
  if (typeof text !== 'string' || text.length !== API_KEY_LENGTH) return null;
  const m = KEY.exec(text);
  return m === null ? null : { keyId: m[1], secret: m[2] };
}
