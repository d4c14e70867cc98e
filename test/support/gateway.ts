// A gateway for tests, wired like services/gateway/main.ts but in-process: the real
// authenticator, enterprise directory and rate limiter over the test's own registry database.
import type client from 'prom-client';
import type { ClickHouse } from '../../services/adapters/clickhouse/client.ts';
import type { Producer } from '../../services/adapters/kafka/client.ts';
import { createAuthenticator } from '../../services/adapters/tenancy/authenticator.ts';
import { createEnterpriseDirectory } from '../../services/adapters/tenancy/directory.ts';
import { createRegistry } from '../../services/adapters/tenancy/registry.ts';
import { TokenBucketLimiter } from '../../services/core/tenancy/rate-limit.ts';
import { resolveWireLimits, type WireLimits } from '../../services/core/wire/limits.ts';
import { buildGateway, type GatewayApp } from '../../services/gateway/app.ts';

export interface TestGatewayOptions {
  /** Database holding the registry tables (migrations applied). */
  readonly ch: ClickHouse;
  readonly producer: Producer;
  readonly topic: string;
  readonly limits?: WireLimits;
  readonly maxBodyBytes?: number;
  readonly maxInFlightBatches?: number;
  /** Per-enterprise limit; default far above what any test sends. */
  readonly rateLimit?: { readonly samplesPerS: number; readonly burstSamples: number };
  readonly nowNs?: () => number;
  readonly producerConnected?: () => boolean;
  readonly metrics?: client.Registry;
}

export interface TestGateway extends GatewayApp {
  /** Closes the app and stops the registry reloads (not the producer). */
  close(): Promise<void>;
}

export function buildTestGateway(o: TestGatewayOptions): TestGateway {
  const registry = createRegistry(o.ch);
  // Reload on every unknown key: keys provisioned a moment ago work at once.
  const refresh = { refreshIntervalMs: 60_000, minRefreshGapMs: 0 };
  const authenticator = createAuthenticator(registry, refresh);
  const enterprises = createEnterpriseDirectory(registry, refresh);
  const gateway = buildGateway({
    producer: o.producer,
    topic: o.topic,
    limits: o.limits ?? resolveWireLimits(),
    maxBodyBytes: o.maxBodyBytes ?? 4 << 20,
    maxInFlightBatches: o.maxInFlightBatches ?? 100,
    authenticator,
    enterprises,
    rateLimiter: new TokenBucketLimiter({ capacity: o.rateLimit?.burstSamples ?? 1e12, refillPerSecond: o.rateLimit?.samplesPerS ?? 1e12, maxKeys: 1000 }),
    nowNs: o.nowNs,
    producerConnected: o.producerConnected,
    registry: o.metrics,
  });
  return {
    ...gateway,
    async close() {
      await gateway.app.close();
      authenticator.close();
      enterprises.close();
    },
  };
}
