-- The programme's registry: enterprises, API credentials and profile assignments.
-- Every table is versioned by `registry_version` (UInt64, strictly increasing across the
-- registry: microseconds since the Unix epoch when written, bumped past the current maximum),
-- so a past audit can name the version it read and be reproduced "as of" that version.
-- Rows are never updated in place: a change is a new row with a higher version; deletion is a
-- row with deleted = 1. Readers take, per key, the row with the highest version <= as-of
-- (argMax), which works on ClickHouse 18.16 and current releases alike (ARCHITECTURE.md).

-- Enterprises and the audit's filter dimensions. identifier_prefix is the industrial internet
-- identifier prefix (e.g. 88.100.1) the enterprise's device identifiers start with.
CREATE TABLE IF NOT EXISTS enterprises
(
    enterprise_id String,
    name String,
    region String,
    industry String,
    identifier_prefix String,
    registry_version UInt64,
    deleted UInt8
)
ENGINE = MergeTree
ORDER BY (enterprise_id, registry_version);

-- API credentials. The key itself is never stored: only key_id (the public part of the
-- presented key "iso_<key_id>_<secret>") and the SHA-256 of the secret (hex). Keys carry 256
-- random bits, so a fast hash is safe here (no dictionary to guess from), and a request pays
-- one SHA-256, not a password-hashing function. enterprise_id is '' for auditor and admin.
CREATE TABLE IF NOT EXISTS api_credentials
(
    key_id String,
    secret_sha256 String,
    role Enum8('ingest' = 1, 'viewer' = 2, 'auditor' = 3, 'admin' = 4),
    enterprise_id String,
    label String,
    registry_version UInt64,
    deleted UInt8
)
ENGINE = MergeTree
ORDER BY (key_id, registry_version);

-- Which requirement profile applies to what. scope says how specific the assignment is; the
-- narrower ids are '' for a wider scope (site: device_id = flow_id = ''). The most specific
-- assignment in force wins: flow > device > site > enterprise. deleted = 1 withdraws the
-- assignment of that key from this version on.
CREATE TABLE IF NOT EXISTS profile_assignments
(
    enterprise_id String,
    scope Enum8('enterprise' = 1, 'site' = 2, 'device' = 3, 'flow' = 4),
    site_id String,
    device_id String,
    flow_id String,
    profile_id String,
    profile_version UInt32,
    registry_version UInt64,
    deleted UInt8
)
ENGINE = MergeTree
ORDER BY (enterprise_id, scope, site_id, device_id, flow_id, registry_version);
