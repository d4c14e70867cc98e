// Gateway process: reads config once, connects the Kafka producer, listens; SIGTERM/SIGINT
// drain (503 for new batches, wait for in-flight acknowledgements) and exit.
import { createProducer } from '../adapters/kafka/client.ts';
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, GATEWAY_SETTINGS } from '../config/settings.ts';
import { resolveWireLimits } from '../core/wire/limits.ts';
import { buildGateway } from './app.ts';

const config = loadConfig('gateway', GATEWAY_SETTINGS, ALL_ENV_VARS);
const producer = await createProducer({ brokers: config.kafkaBrokers, clientId: 'isochron-gateway', client: config.kafkaClient });
const gateway = buildGateway({
  producer,
  topic: config.telemetryTopic,
  limits: resolveWireLimits({ maxBatchBytes: config.maxBodyBytes, maxSamplesPerBatch: config.maxSamplesPerBatch }),
  maxBodyBytes: config.maxBodyBytes,
  maxInFlightBatches: config.maxInFlightBatches,
});
await gateway.app.listen({ host: config.host, port: config.port });
console.log(`[gateway] listening on http://${config.host}:${config.port} (POST /v1/batches, GET /metrics /healthz /readyz), topic ${config.telemetryTopic}`);

let stopping = false;
async function shutdown(sig: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[gateway] ${sig}: draining`);
  gateway.startDraining();
  await gateway.app.close(); // waits for in-flight requests, which wait for Kafka acks
  await producer.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
