// Settings shared by several services (same names in docker-compose.yml and the README).
import { KAFKA_CLIENT_KINDS } from '../adapters/kafka/client.ts';
import { TOPICS } from '../adapters/kafka/topics.ts';
import type { SettingsSpec } from './config.ts';

export const KAFKA_SETTINGS = {
  kafkaBrokers: { env: 'ISOCHRON_KAFKA_BROKERS', type: 'list', default: ['127.0.0.1:29092'], description: 'Kafka bootstrap servers, host:port,...' },
  kafkaClient: { env: 'ISOCHRON_KAFKA_CLIENT', type: 'enum', default: 'confluent', values: KAFKA_CLIENT_KINDS, description: 'Kafka client library: confluent (librdkafka) or kafkajs' },
  telemetryTopic: { env: TOPICS.telemetry.envVar, type: 'string', default: TOPICS.telemetry.defaultName, pattern: /^[A-Za-z0-9._-]{1,249}$/, description: 'topic of TelemetryBatch records' },
  deadLetterTopic: { env: TOPICS.deadLetter.envVar, type: 'string', default: TOPICS.deadLetter.defaultName, pattern: /^[A-Za-z0-9._-]{1,249}$/, description: 'dead-letter topic' },
} as const satisfies SettingsSpec;

export const CLICKHOUSE_SETTINGS = {
  clickhouseUrl: { env: 'ISOCHRON_CLICKHOUSE_URL', type: 'string', default: 'http://127.0.0.1:28123', pattern: /^https?:\/\/[^\s]+$/, description: 'ClickHouse HTTP endpoint' },
  clickhouseDatabase: { env: 'ISOCHRON_CLICKHOUSE_DATABASE', type: 'string', default: 'isochron', pattern: /^[A-Za-z_][A-Za-z0-9_]{0,127}$/, description: 'ClickHouse database' },
  clickhouseUser: { env: 'ISOCHRON_CLICKHOUSE_USER', type: 'string', default: 'default', description: 'ClickHouse user' },
  clickhousePassword: { env: 'ISOCHRON_CLICKHOUSE_PASSWORD', type: 'string', default: '', description: 'ClickHouse password' },
} as const satisfies SettingsSpec;

export const GATEWAY_SETTINGS = {
  ...KAFKA_SETTINGS,
  ...CLICKHOUSE_SETTINGS,
  host: { env: 'ISOCHRON_GATEWAY_HOST', type: 'string', default: '127.0.0.1', description: 'address the gateway listens on' },
  port: { env: 'ISOCHRON_GATEWAY_PORT', type: 'int', default: 8088, min: 1, max: 65535, description: 'gateway HTTP port' },
  maxBodyBytes: { env: 'ISOCHRON_GATEWAY_MAX_BODY_BYTES', type: 'int', default: 4 * 1024 * 1024, min: 1024, max: 64 * 1024 * 1024, description: 'largest accepted request body (413 above)' },
  maxSamplesPerBatch: { env: 'ISOCHRON_GATEWAY_MAX_SAMPLES_PER_BATCH', type: 'int', default: 500_000, min: 1, max: 10_000_000, description: 'most samples in one batch (400 ISO_WIRE_TOO_MANY_SAMPLES above)' },
  maxInFlightBatches: { env: 'ISOCHRON_GATEWAY_MAX_IN_FLIGHT_BATCHES', type: 'int', default: 1000, min: 1, max: 100_000, description: 'batches awaiting a Kafka acknowledgement before the gateway answers 503' },
  kafkaDeliveryTimeoutMs: { env: 'ISOCHRON_GATEWAY_KAFKA_DELIVERY_TIMEOUT_MS', type: 'int', default: 30_000, min: 1000, max: 300_000, description: 'longest wait for a Kafka acknowledgement before the batch is answered 503' },
  kafkaLingerMs: { env: 'ISOCHRON_GATEWAY_KAFKA_LINGER_MS', type: 'int', default: 1, min: 0, max: 1000, description: 'how long the producer waits to fill a batch before sending (librdkafka linger.ms): fewer, larger requests against a longer wait for every 202' },
  rateLimitSamplesPerS: { env: 'ISOCHRON_GATEWAY_RATE_LIMIT_SAMPLES_PER_S', type: 'int', default: 500_000, min: 1, max: 100_000_000, description: 'sustained ingest rate per enterprise, in samples per second (429 above)' },
  rateLimitBurstSamples: { env: 'ISOCHRON_GATEWAY_RATE_LIMIT_BURST_SAMPLES', type: 'int', default: 1_000_000, min: 1, max: 1_000_000_000, description: 'samples an enterprise may send at once above the sustained rate (token bucket size)' },
  authRefreshIntervalMs: { env: 'ISOCHRON_GATEWAY_AUTH_REFRESH_INTERVAL_MS', type: 'int', default: 5000, min: 100, max: 600_000, description: 'how often the gateway reloads credentials and enterprises from the registry (revocations take effect within this)' },
  authMinRefreshGapMs: { env: 'ISOCHRON_GATEWAY_AUTH_MIN_REFRESH_GAP_MS', type: 'int', default: 1000, min: 0, max: 600_000, description: 'shortest gap between registry reloads triggered by unknown keys or enterprises' },
} as const satisfies SettingsSpec;

export const SIMULATOR_SETTINGS = {
  ...KAFKA_SETTINGS,
  gatewayUrl: { env: 'ISOCHRON_SIMULATOR_GATEWAY_URL', type: 'string', default: 'http://127.0.0.1:8088', pattern: /^https?:\/\/[^\s]+$/, description: 'where the simulator posts batches' },
  transport: { env: 'ISOCHRON_SIMULATOR_TRANSPORT', type: 'enum', default: 'http', values: ['http', 'kafka'], description: 'http: POST to the gateway; kafka: produce straight to the telemetry topic' },
  credentialsFile: { env: 'ISOCHRON_SIMULATOR_CREDENTIALS_FILE', type: 'string', default: '', description: 'JSON file {"<enterpriseId>": "<api key>"} for the gateway (empty: no Authorization header)' },
  seed: { env: 'ISOCHRON_SIMULATOR_SEED', type: 'int', default: 1, min: 0, max: 2 ** 31 - 1, description: 'random seed (same seed, same telemetry)' },
  enterprises: { env: 'ISOCHRON_SIMULATOR_ENTERPRISES', type: 'int', default: 10, min: 1, max: 99_999, description: 'number of simulated enterprises' },
  sitesPerEnterprise: { env: 'ISOCHRON_SIMULATOR_SITES_PER_ENTERPRISE', type: 'int', default: 2, min: 1, max: 99, description: 'sites per enterprise (each: two 5G cells with URLLC and eMBB slices, one TSN domain)' },
  devicesPerSite: { env: 'ISOCHRON_SIMULATOR_DEVICES_PER_SITE', type: 'int', default: 9, min: 1, max: 9999, description: 'devices per site (URLLC, TSN, eMBB in turn)' },
  flowsPerDevice: { env: 'ISOCHRON_SIMULATOR_FLOWS_PER_DEVICE', type: 'int', default: 2, min: 1, max: 1000, description: 'flows per simulated device' },
  batchIntervalMs: { env: 'ISOCHRON_SIMULATOR_BATCH_INTERVAL_MS', type: 'int', default: 200, min: 10, max: 60_000, description: 'how often each device posts a batch' },
  faults: { env: 'ISOCHRON_SIMULATOR_FAULTS', type: 'string', default: 'demo', description: 'fault schedule: none, demo, or the path of a JSON schedule (docs/simulator.md)' },
  durationMs: { env: 'ISOCHRON_SIMULATOR_DURATION_MS', type: 'int', default: 0, min: 0, max: 8_640_000_000, description: 'stop after this much time (0: run until stopped)' },
  maxInFlight: { env: 'ISOCHRON_SIMULATOR_MAX_IN_FLIGHT', type: 'int', default: 64, min: 1, max: 10_000, description: 'requests (or Kafka sends) awaiting an answer before generation waits' },
} as const satisfies SettingsSpec;

export const WORKER_SETTINGS = {
  ...KAFKA_SETTINGS,
  ...CLICKHOUSE_SETTINGS,
  groupId: { env: 'ISOCHRON_WORKER_GROUP_ID', type: 'string', default: 'isochron-worker', pattern: /^[A-Za-z0-9._-]{1,200}$/, description: 'Kafka consumer group of the workers' },
  metricsHost: { env: 'ISOCHRON_WORKER_METRICS_HOST', type: 'string', default: '127.0.0.1', description: 'address of the /metrics, /healthz, /readyz listener' },
  metricsPort: { env: 'ISOCHRON_WORKER_METRICS_PORT', type: 'int', default: 9464, min: 0, max: 65535, description: 'port of /metrics, /healthz, /readyz (0: any free port, printed at start)' },
  windowMs: { env: 'ISOCHRON_WINDOW_MS', type: 'int', default: 1000, min: 1, max: 86_400_000, description: 'base window length (event time)' },
  allowedLatenessMs: { env: 'ISOCHRON_ALLOWED_LATENESS_MS', type: 'int', default: 3000, min: 0, max: 3_600_000, description: 'how long a window waits for late samples; also the loss waiting time Tmax' },
  partitionIdleTimeoutMs: { env: 'ISOCHRON_PARTITION_IDLE_TIMEOUT_MS', type: 'int', default: 10_000, min: 1, max: 3_600_000, description: 'processing time without data after which an idle partition closes its windows' },
  flushIntervalMs: { env: 'ISOCHRON_WORKER_FLUSH_INTERVAL_MS', type: 'int', default: 1000, min: 10, max: 60_000, description: 'longest time closed windows wait before they are inserted' },
  checkpointIntervalMs: { env: 'ISOCHRON_WORKER_CHECKPOINT_INTERVAL_MS', type: 'int', default: 5000, min: 100, max: 600_000, description: 'how often partition state is checkpointed and offsets committed' },
  maxInsertRows: { env: 'ISOCHRON_WORKER_MAX_INSERT_ROWS', type: 'int', default: 20_000, min: 1, max: 1_000_000, description: 'rows per ClickHouse insert' },
  maxBatchRecords: { env: 'ISOCHRON_WORKER_MAX_BATCH_RECORDS', type: 'int', default: 500, min: 1, max: 100_000, description: 'records handed to the worker per partition batch (the pause check runs after each)' },
  maxPendingRows: { env: 'ISOCHRON_WORKER_MAX_PENDING_ROWS', type: 'int', default: 200_000, min: 1, max: 10_000_000, description: 'rows waiting for ClickHouse before consumption pauses' },
  drainTimeoutMs: { env: 'ISOCHRON_WORKER_DRAIN_TIMEOUT_MS', type: 'int', default: 30_000, min: 1000, max: 600_000, description: 'longest SIGTERM drain before the worker exits anyway' },
  endOffsetRefreshMs: { env: 'ISOCHRON_WORKER_END_OFFSET_REFRESH_MS', type: 'int', default: 1000, min: 100, max: 60_000, description: 'how often the worker asks the broker for its partitions\' end offsets (the idleness rule trusts an answer for 3 times this)' },
  progressTimeoutMs: { env: 'ISOCHRON_WORKER_PROGRESS_TIMEOUT_MS', type: 'int', default: 60_000, min: 1000, max: 3_600_000, description: 'a partition with records waiting that has not moved for this long (or cannot be restored) makes /readyz answer 503' },
  faultRestoreDelayMs: { env: 'ISOCHRON_WORKER_FAULT_RESTORE_DELAY_MS', type: 'int', default: 0, min: 0, max: 600_000, description: 'fault injection for tests: extra wait before each partition restore (keep 0 in production)' },
  maxFlows: { env: 'ISOCHRON_WORKER_MAX_FLOWS', type: 'int', default: 1_000_000, min: 1, max: 50_000_000, description: 'flows tracked at once by one worker' },
} as const satisfies SettingsSpec;

export const API_SETTINGS = {
  ...CLICKHOUSE_SETTINGS,
  host: { env: 'ISOCHRON_API_HOST', type: 'string', default: '127.0.0.1', description: 'address the query API listens on' },
  port: { env: 'ISOCHRON_API_PORT', type: 'int', default: 8090, min: 1, max: 65535, description: 'query API HTTP port' },
  windowMs: WORKER_SETTINGS.windowMs,
  maxRangeDays: { env: 'ISOCHRON_API_MAX_RANGE_DAYS', type: 'int', default: 400, min: 1, max: 3660, description: 'longest time range one API request may ask for (400 above)' },
  authRefreshIntervalMs: { env: 'ISOCHRON_API_AUTH_REFRESH_INTERVAL_MS', type: 'int', default: 5000, min: 100, max: 600_000, description: 'how often the API reloads credentials from the registry (revocations take effect within this)' },
  authMinRefreshGapMs: { env: 'ISOCHRON_API_AUTH_MIN_REFRESH_GAP_MS', type: 'int', default: 1000, min: 0, max: 600_000, description: 'shortest gap between registry reloads triggered by unknown keys' },
} as const satisfies SettingsSpec;

// How long each table keeps its rows (services/core/retention, docs/retention.md), applied by
// `npm run retention` (services/maintenance/main.ts), which drops whole partitions. Days; 0 keeps
// forever. The keys are the retention policy's (services/core/retention/policy.ts), whose
// cross-table rules the maintenance command checks together with these ranges.
export const RETENTION_SETTINGS = {
  windowsDays: { env: 'ISOCHRON_RETENTION_WINDOWS_DAYS', type: 'int', default: 35, min: 0, max: 36_600, description: 'days flow_windows and flow_discards keep (0: forever); at least the replay horizon + 1' },
  rollups1mDays: { env: 'ISOCHRON_RETENTION_ROLLUPS_1M_DAYS', type: 'int', default: 90, min: 0, max: 36_600, description: 'days flow_rollups_1m keeps (0: forever); at least the base windows\' days' },
  rollups1hDays: { env: 'ISOCHRON_RETENTION_ROLLUPS_1H_DAYS', type: 'int', default: 730, min: 0, max: 36_600, description: 'days flow_rollups_1h keeps, by whole months (0: forever); at least the 1 min rollups\' days' },
  rollups1dDays: { env: 'ISOCHRON_RETENTION_ROLLUPS_1D_DAYS', type: 'int', default: 0, min: 0, max: 36_600, description: 'days flow_rollups_1d keeps, by whole years (0: forever); at least the 1 h rollups\' days' },
  legacyCheckpointsDays: { env: 'ISOCHRON_RETENTION_LEGACY_CHECKPOINTS_DAYS', type: 'int', default: 7, min: 0, max: 36_600, description: 'days the legacy worker_checkpoints keeps (0: forever); nothing is dropped while a partition still restores from it' },
  replayHorizonDays: { env: 'ISOCHRON_RETENTION_REPLAY_HORIZON_DAYS', type: 'int', default: 14, min: 0, max: 36_600, description: 'age in days of the oldest record the telemetry topic can hold: its retention.ms + segment.ms, rounded up (Kafka defaults: 7 + 7); 0: unlimited' },
} as const satisfies SettingsSpec;

export const MAINTENANCE_SETTINGS = {
  ...CLICKHOUSE_SETTINGS,
  ...RETENTION_SETTINGS,
} as const satisfies SettingsSpec;

/** Every ISOCHRON_* variable any service or script reads; config.ts rejects any other. */
export const ALL_ENV_VARS: ReadonlySet<string> = new Set([
  ...[KAFKA_SETTINGS, CLICKHOUSE_SETTINGS, GATEWAY_SETTINGS, WORKER_SETTINGS, SIMULATOR_SETTINGS, API_SETTINGS, MAINTENANCE_SETTINGS].flatMap((spec) => Object.values(spec).map((s) => s.env)),
  // read by the stack scripts (scripts/stack/config.ts) and the test harness
  'ISOCHRON_HOME',
  'ISOCHRON_STACK_DIR',
  'ISOCHRON_TEST_STACK',
  'ISOCHRON_KAFKA_PORT',
  'ISOCHRON_KAFKA_CONTROLLER_PORT',
  'ISOCHRON_KAFKA_HEAP_MB',
  'ISOCHRON_CLICKHOUSE_HTTP_PORT',
  'ISOCHRON_CLICKHOUSE_TCP_PORT',
  // read by scripts/setup-k6.sh and scripts/load/k6.ts (the k6 build for the load tests)
  'ISOCHRON_K6_VERSION',
  'ISOCHRON_K6_CACHE',
]);
