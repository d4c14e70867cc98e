// Gateway process: reads config once, loads credentials and enterprises from the registry,
// connects the Kafka producer in the background (503 until connected), listens; SIGTERM/SIGINT
// drain (503 for new batches, wait for in-flight acknowledgements) and exit.
import { createClickHouse } from '../adapters/clickhouse/client.ts';
import { createProducer } from '../adapters/kafka/client.ts';
import { createAuthenticator } from '../adapters/tenancy/authenticator.ts';
import { createEnterpriseDirectory } from '../adapters/tenancy/directory.ts';
import { createRegistry } from '../adapters/tenancy/registry.ts';
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, GATEWAY_SETTINGS } from '../config/settings.ts';
import { TokenBucketLimiter } from '../core/tenancy/rate-limit.ts';
import { resolveWireLimits } from '../core/wire/limits.ts';
import { buildGateway } from './app.ts';
import { connectInBackground } from './kafka-connection.ts';

const config = loadConfig('gateway', GATEWAY_SETTINGS, ALL_ENV_VARS);
const ch = createClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase, user: config.clickhouseUser, password: config.clickhousePassword });
const registry = createRegistry(ch);
let lastRefreshError = '';
const refreshOpts = {
  refreshIntervalMs: config.authRefreshIntervalMs,
  minRefreshGapMs: config.authMinRefreshGapMs,
  onRefreshError: (e: unknown) => {
    const message = (e as Error).message;
    if (message !== lastRefreshError) console.error(`[gateway] registry reload failed (previous credentials stay in use): ${message}`);
    lastRefreshError = message;
  },
};
const authenticator = createAuthenticator(registry, refreshOpts);
const enterprises = createEnterpriseDirectory(registry, refreshOpts);
try {
  await Promise.all([authenticator.refresh(), enterprises.refresh()]);
} catch (e) {
  // Not fatal: the tables reload in the background and on demand; until then requests get 503.
  refreshOpts.onRefreshError(e);
}

let lastKafkaError = '';
let lastServerError = '';
const producer = connectInBackground(
  () => createProducer({ brokers: config.kafkaBrokers, clientId: 'isochron-gateway', client: config.kafkaClient }, { deliveryTimeoutMs: config.kafkaDeliveryTimeoutMs, lingerMs: config.kafkaLingerMs }),
  {
    retryIntervalMs: 2000,
    onError: (e) => {
      const message = (e as Error).message;
      if (message !== lastKafkaError) console.error(`[gateway] Kafka connect failed, retrying (batches get 503 meanwhile): ${message}`);
      lastKafkaError = message;
    },
  },
);
void producer.whenConnected().then(() => console.log(`[gateway] connected to Kafka ${config.kafkaBrokers.join(',')}`));

const gateway = buildGateway({
  producer,
  producerConnected: () => producer.connected,
  topic: config.telemetryTopic,
  limits: resolveWireLimits({ maxBatchBytes: config.maxBodyBytes, maxSamplesPerBatch: config.maxSamplesPerBatch }),
  maxBodyBytes: config.maxBodyBytes,
  maxInFlightBatches: config.maxInFlightBatches,
  authenticator,
  enterprises,
  // Bounded: one bucket per enterprise that posted recently; the programme has 50,000.
  rateLimiter: new TokenBucketLimiter({ capacity: config.rateLimitBurstSamples, refillPerSecond: config.rateLimitSamplesPerS, maxKeys: 100_000 }),
  // Clients get a generic 503/500; the cause goes to the log, once per distinct message.
  onServerError: (what, e) => {
    const message = `${what}: ${(e as Error).message}`;
    if (message !== lastServerError) console.error(`[gateway] request failed (${message})`);
    lastServerError = message;
  },
});
await gateway.app.listen({ host: config.host, port: config.port });
console.log(
  `[gateway] listening on http://${config.host}:${config.port} (POST /v1/batches, GET /metrics /healthz /readyz), topic ${config.telemetryTopic}, registry ${config.clickhouseUrl}/${config.clickhouseDatabase}`,
);

let stopping = false;
async function shutdown(sig: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[gateway] ${sig}: draining`);
  gateway.startDraining();
  await gateway.app.close(); // waits for in-flight requests, which wait for Kafka acks
  authenticator.close();
  enterprises.close();
  await producer.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
