// The one registry of isochron error codes. Every error the project raises on purpose has a
// stable code declared here with its retriable flag and HTTP status; docs/errors.md lists them
// and a test fails when the two drift apart.

export interface ErrorSpec {
  /** Stable, documented, never renamed. */
  readonly code: string;
  /** True when the same operation may succeed if tried again later. */
  readonly retriable: boolean;
  /** Status the HTTP services answer with when this error reaches a client. */
  readonly httpStatus: number;
  readonly summary: string;
}

function spec(code: string, retriable: boolean, httpStatus: number, summary: string): ErrorSpec {
  return Object.freeze({ code, retriable, httpStatus, summary });
}

export const ERRORS = Object.freeze({
  // wire format (decoding a TelemetryBatch)
  WIRE_TRUNCATED: spec('ISO_WIRE_TRUNCATED', false, 400, 'the batch ends in the middle of a field'),
  WIRE_MALFORMED: spec('ISO_WIRE_MALFORMED', false, 400, 'the bytes are not a valid TelemetryBatch encoding'),
  WIRE_TOO_LARGE: spec('ISO_WIRE_TOO_LARGE', false, 413, 'the encoded batch exceeds the byte size limit (maxBatchBytes)'),
  WIRE_TOO_MANY_SAMPLES: spec('ISO_WIRE_TOO_MANY_SAMPLES', false, 400, 'the batch has more samples than maxSamplesPerBatch; split it'),
  WIRE_TOO_MANY_FLOWS: spec('ISO_WIRE_TOO_MANY_FLOWS', false, 400, 'the batch has more flows than maxFlowsPerBatch; split it'),
  WIRE_STRING_TOO_LONG: spec('ISO_WIRE_STRING_TOO_LONG', false, 400, 'an identity string or flow_id is longer than maxStringBytes (UTF-8 bytes)'),
  WIRE_BAD_VERSION: spec('ISO_WIRE_BAD_VERSION', false, 400, 'schema_version is not one this build reads'),
  WIRE_INVALID: spec('ISO_WIRE_INVALID', false, 400, 'the batch decodes but breaks a rule of the format (column lengths, seq_bits, identity, ranges)'),
  // HTTP ingest
  HTTP_UNSUPPORTED_MEDIA_TYPE: spec('ISO_HTTP_UNSUPPORTED_MEDIA_TYPE', false, 415, 'the body must be application/x-protobuf'),
  HTTP_BODY_TOO_LARGE: spec('ISO_HTTP_BODY_TOO_LARGE', false, 413, 'the request body exceeds the gateway limit'),
  HTTP_EMPTY_BODY: spec('ISO_HTTP_EMPTY_BODY', false, 400, 'the request has no body'),
  // Kafka
  KAFKA_UNAVAILABLE: spec('ISO_KAFKA_UNAVAILABLE', true, 503, 'the Kafka producer could not deliver the batch; try again'),
  KAFKA_QUEUE_FULL: spec('ISO_KAFKA_QUEUE_FULL', true, 503, 'the producer queue is full; back off and try again'),
  // ClickHouse
  CLICKHOUSE_UNAVAILABLE: spec('ISO_CLICKHOUSE_UNAVAILABLE', true, 503, 'ClickHouse could not be reached'),
  CLICKHOUSE_BAD_DATA: spec('ISO_CLICKHOUSE_BAD_DATA', false, 500, 'ClickHouse rejected the data or the query (not retried)'),
  CLICKHOUSE_SERVER: spec('ISO_CLICKHOUSE_SERVER', true, 503, 'ClickHouse answered with a transient server error'),
  SQL_LITERAL_INVALID: spec('ISO_SQL_LITERAL_INVALID', false, 400, 'a value cannot be written as a SQL literal of the requested type'),
  // configuration
  CONFIG_INVALID: spec('ISO_CONFIG_INVALID', false, 500, 'the configuration is invalid; the message names every problem and its fix'),
  // importer (services/importer: capture files from third-party tools)
  IMPORT_INPUT_INVALID: spec('ISO_IMPORT_INPUT_INVALID', false, 400, 'an input file given to the importer is malformed; the message names the file, line or JSON path, and field'),
  // metric engine
  ENGINE_STATE_INVALID: spec('ISO_ENGINE_STATE_INVALID', false, 500, 'an engine state snapshot cannot be restored (truncated, another format version, or taken with different window/sequence settings)'),
  // requirement profiles (profiles/*.json, docs/profiles.md)
  PROFILE_INVALID: spec('ISO_PROFILE_INVALID', false, 400, 'a requirement profile file breaks the profile format; the message names every problem with its JSON path and fix'),
  // tenancy: credentials, tenants, device identifiers, rate limits (docs/tenancy.md)
  AUTH_MISSING: spec('ISO_AUTH_MISSING', false, 401, 'the request carries no API key (Authorization: Bearer iso_...)'),
  AUTH_INVALID: spec('ISO_AUTH_INVALID', false, 401, 'the API key is malformed, unknown or revoked'),
  AUTH_FORBIDDEN: spec('ISO_AUTH_FORBIDDEN', false, 403, "the API key's role may not use this route"),
  TENANT_MISMATCH: spec('ISO_TENANT_MISMATCH', false, 403, "the batch names another enterprise than the API key's"),
  IDENTIFIER_INVALID: spec('ISO_IDENTIFIER_INVALID', false, 400, 'a device identifier is not of the form <prefix>/<suffix> (docs/tenancy.md)'),
  IDENTIFIER_FOREIGN_PREFIX: spec('ISO_IDENTIFIER_FOREIGN_PREFIX', false, 403, "the device identifier's prefix is not the prefix registered to the enterprise"),
  RATE_LIMITED: spec('ISO_RATE_LIMITED', true, 429, "the enterprise's ingest rate limit is exhausted; retry after the Retry-After header"),
  REGISTRY_INVALID: spec('ISO_REGISTRY_INVALID', false, 400, 'a registry change is inconsistent (unknown enterprise, role and enterprise mismatch, scope and ids mismatch, bad prefix)'),
  // query API (services/api, docs/api.md)
  API_BAD_REQUEST: spec('ISO_API_BAD_REQUEST', false, 400, 'a path, query or body parameter is missing, unknown or malformed; the message names the parameter, never echoes its value'),
  API_NOT_FOUND: spec('ISO_API_NOT_FOUND', false, 404, 'no such route, or no such resource visible to this API key'),
  API_INTERNAL: spec('ISO_API_INTERNAL', false, 500, 'an unexpected failure inside the API; the answer carries no details (they are in the API log)'),
  // upgrade validation (services/core/upgrade, docs/upgrade-validation.md)
  UPGRADE_REQUEST_INVALID: spec('ISO_UPGRADE_REQUEST_INVALID', false, 400, 'an upgrade validation request is inconsistent (empty period, baseline not before the after period, bad seed or resample count)'),
  // compliance audit (services/compliance, docs/audit.md)
  AUDIT_PERIOD_INVALID: spec('ISO_AUDIT_PERIOD_INVALID', false, 400, 'the audit period is empty, longer than 3660 days, or does not start and end on whole UTC hours (audits read hourly rollups)'),
  AUDIT_PROFILE_UNKNOWN: spec('ISO_AUDIT_PROFILE_UNKNOWN', false, 404, 'the requested profile id (and version) is not in the profile catalog'),
  AUDIT_ENTERPRISE_UNKNOWN: spec('ISO_AUDIT_ENTERPRISE_UNKNOWN', false, 404, 'the enterprise is not in the registry as of the requested registry version'),
  AUDIT_RUN_NOT_FOUND: spec('ISO_AUDIT_RUN_NOT_FOUND', false, 404, 'no stored audit run has this id'),
  AUDIT_REQUEST_INVALID: spec('ISO_AUDIT_REQUEST_INVALID', false, 400, 'an audit request parameter is out of range (failed-window limit, filter value); the message names it'),
} satisfies Record<string, ErrorSpec>);

export type ErrorName = keyof typeof ERRORS;

export class IsochronError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly httpStatus: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(name: ErrorName, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    const s = ERRORS[name];
    this.name = 'IsochronError';
    this.code = s.code;
    this.retriable = s.retriable;
    this.httpStatus = s.httpStatus;
    this.details = details ? Object.freeze({ ...details }) : undefined;
  }
}

export function isIsochronError(e: unknown): e is IsochronError {
  return e instanceof IsochronError;
}
