// Content hashes of audit results: "sha256:" of the canonical JSON (keys sorted at every level,
// core/compliance/catalog.ts) of the result without its own hash. The same result always gives
// the same hash, whichever process or run computed it.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/compliance/catalog.ts';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function contentHash(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

/** The value with a contentHash field computed over everything else in it. */
export function withContentHash<T extends object>(value: T): T & { readonly contentHash: string } {
  return { ...value, contentHash: contentHash(value) };
}
