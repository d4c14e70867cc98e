-- Audit runs: what each stored compliance answer was computed from, so the same request can be
-- recomputed later and either give the same answer or say why not (docs/audit.md
-- "Reproducibility"). One row per run, never updated. request is the canonical JSON of the
-- request with every default resolved (registry version, profile version); profiles the
-- canonical JSON list of {id, version, contentHash} used; data_* the fingerprint of the rollup
-- rows read; content_hash the sha256 of the answer's canonical JSON; format names the
-- computation (services/compliance/runs.ts AUDIT_FORMAT), raised when it changes.
CREATE TABLE IF NOT EXISTS audit_runs
(
    run_id String,
    kind Enum8('enterprise_compliance' = 1, 'programme_audit' = 2),
    request String,
    registry_version UInt64,
    profiles String,
    data_rows UInt64,
    data_windows UInt64,
    data_hash String,
    downtime_origin String,
    content_hash String,
    format String,
    created_at DateTime
)
ENGINE = MergeTree
ORDER BY run_id;
