// `npm run migrate`: applies sql/ to the ClickHouse named by ISOCHRON_CLICKHOUSE_URL.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';

const sqlDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sql');
const url = process.env.ISOCHRON_CLICKHOUSE_URL ?? 'http://127.0.0.1:28123';
const database = process.env.ISOCHRON_CLICKHOUSE_DATABASE ?? 'isochron';
const res = await migrate(createClickHouse({ url, database }), database, loadMigrations(sqlDir));
console.log(`migrations on ${url}/${database}: applied [${res.applied.join(', ')}], already there [${res.skipped.join(', ')}]`);
