// Turns "Authorization: Bearer iso_<keyId>_<secret>" into a Principal. The credential table is
// cached (RefreshingTable): revoked keys stop working at the next reload, new keys at once.
// The presented secret is hashed with SHA-256 and compared in constant time with the stored
// hash, so response timing reveals nothing about how much of a guess was right.
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseApiKey } from '../../core/tenancy/api-key.ts';
import { ENTERPRISE_ROLES, type Principal } from '../../core/tenancy/types.ts';
import type { Registry } from './registry.ts';
import { RefreshingTable, type RefreshingTableOptions } from './refreshing.ts';

export type AuthResult = { ok: true; principal: Principal } | { ok: false; error: 'AUTH_MISSING' | 'AUTH_INVALID' };

export interface Authenticator {
  authenticate(authorizationHeader: string | undefined): Promise<AuthResult>;
  refresh(): Promise<void>;
  close(): void;
}

interface CachedCredential {
  readonly secretSha256: Buffer;
  readonly principal: Principal;
}

// RFC 6750 section 2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive
// (RFC 9110 section 11.1).
const BEARER = /^bearer +(\S+)$/i;

export function createAuthenticator(registry: Registry, opts: RefreshingTableOptions): Authenticator {
  const table = new RefreshingTable<CachedCredential>(async () => {
    const map = new Map<string, CachedCredential>();
    for (const c of await registry.credentials()) {
      const enterpriseId = ENTERPRISE_ROLES.includes(c.role) ? c.enterpriseId : null;
      map.set(c.keyId, { secretSha256: Buffer.from(c.secretSha256, 'hex'), principal: Object.freeze({ keyId: c.keyId, role: c.role, enterpriseId }) });
    }
    return map;
  }, opts);

  return {
    async authenticate(header) {
      if (header === undefined || header.trim() === '') return { ok: false, error: 'AUTH_MISSING' };
      const m = BEARER.exec(header.trim());
      if (m === null) return { ok: false, error: 'AUTH_INVALID' };
      const key = parseApiKey(m[1]);
      if (key === null) return { ok: false, error: 'AUTH_INVALID' };
      const cached = await table.get(key.keyId);
      if (cached === undefined) return { ok: false, error: 'AUTH_INVALID' };
      const presented = createHash('sha256').update(key.secret, 'utf8').digest();
      if (cached.secretSha256.length !== presented.length || !timingSafeEqual(cached.secretSha256, presented)) return { ok: false, error: 'AUTH_INVALID' };
      return { ok: true, principal: cached.principal };
    },
    refresh: () => table.refresh(),
    close: () => table.close(),
  };
}
