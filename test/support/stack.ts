// What integration tests need to reach the real Kafka and ClickHouse that `npm test`
// (scripts/test.ts) started. Each test makes its own database, topics and group names.
import { randomBytes } from 'node:crypto';
import { createClickHouse, type ClickHouse } from '../../services/adapters/clickhouse/client.ts';

function required(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: integration tests run under "npm test", which starts the test stack (or run "npm run stack:up test" and export its variables)`);
  }
  return v;
}

export const kafkaBrokers = (): string[] => required('ISOCHRON_KAFKA_BROKERS').split(',');
export const clickhouseUrl = (): string => required('ISOCHRON_CLICKHOUSE_URL');

/** A short unique suffix for names of databases, tables, topics and groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A fresh, empty database on the test ClickHouse; drop it with the returned function. */
export async function freshDatabase(prefix = 'it'): Promise<{ ch: ClickHouse; database: string; drop: () => Promise<void> }> {
  const database = uniqueName(prefix);
  const root = createClickHouse({ url: clickhouseUrl(), database: 'default' });
  await root.command(`CREATE DATABASE ${database}`);
  return { ch: root.withDatabase(database), database, drop: () => root.command(`DROP DATABASE IF EXISTS ${database}`) };
}
