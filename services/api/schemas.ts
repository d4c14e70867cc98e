// JSON-schema fragments shared by the route schemas. Strict on purpose: every object closes
// with additionalProperties: false (an unknown query key such as enterpriseId is a 400, never
// silently ignored), ids are short plain ASCII, and times are RFC 3339 UTC strings (time.ts).
// The same schemas are the OpenAPI document (openapi.ts), so docs and validation cannot drift.
import { ROLES } from '../core/tenancy/types.ts';
import { RFC3339_UTC_PATTERN } from './time.ts';

export type JsonSchema = Record<string, unknown>;

/** Enterprise, site and flow ids: what the simulator and importer produce (ent-00001, site-1-a, qfi-1). */
export const ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';
export const idSchema = (description: string): JsonSchema => ({ type: 'string', pattern: ID_PATTERN, description });

export const timestampSchema = (description: string): JsonSchema => ({
  type: 'string',
  pattern: RFC3339_UTC_PATTERN,
  description: `${description} (RFC 3339 UTC, e.g. 2025-03-01T12:00:00Z; up to 9 fractional digits)`,
});

/** A profile id optionally pinned to a version: "3gpp-urllc-motion-control" or "...@2". */
export const PROFILE_REF_PATTERN = '^[a-z0-9][a-z0-9._-]{0,127}(@[1-9][0-9]{0,5})?$';
export const profileRefSchema: JsonSchema = {
  type: 'string',
  pattern: PROFILE_REF_PATTERN,
  description: 'profile id, optionally @version (latest when omitted); overrides the assigned profile',
};

/** Registry versions are UInt64: strings of decimal digits in JSON. */
export const VERSION_PATTERN = '^[0-9]{1,20}$';
export const versionSchema = (description: string): JsonSchema => ({ type: 'string', pattern: VERSION_PATTERN, description });

export const roleSchema: JsonSchema = { type: 'string', enum: [...ROLES] };

export function object(properties: Record<string, JsonSchema>, required: readonly string[] = [], description?: string): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required: [...required], ...(description ? { description } : {}) };
}

export const errorSchema: JsonSchema = object(
  {
    error: object(
      {
        code: { type: 'string', description: 'stable code from docs/errors.md' },
        message: { type: 'string' },
        retriable: { type: 'boolean' },
        details: { type: 'object', additionalProperties: true },
      },
      ['code', 'message', 'retriable'],
    ),
  },
  ['error'],
  'every error, in the same shape as the gateway (docs/errors.md)',
);

/** The error answers every authenticated route may give. */
export const AUTH_ERROR_RESPONSES: Readonly<Record<number, JsonSchema>> = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  500: errorSchema,
  503: errorSchema,
};
