// The local stack as a whole: Kafka and ClickHouse, started in parallel, stopped together.
import fs from 'node:fs';
import type { StackConfig } from './config.ts';
import { startClickHouse, stopClickHouse } from './clickhouse.ts';
import { startKafka, stopKafka } from './kafka.ts';

export async function stackUp(c: StackConfig): Promise<void> {
  fs.mkdirSync(c.dir, { recursive: true });
  const results = await Promise.allSettled([startKafka(c), startClickHouse(c)]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((f) => String(f.reason instanceof Error ? f.reason.message : f.reason)).join('\n'));
}

export async function stackDown(c: StackConfig): Promise<void> {
  await Promise.all([stopKafka(c), stopClickHouse(c)]);
}
