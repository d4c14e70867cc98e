// `npm run migrate`: applies sql/ to the ClickHouse named by the ISOCHRON_CLICKHOUSE_* settings
// (URL, database, user, password), validated like every service's configuration.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/config.ts';
import { ALL_ENV_VARS, CLICKHOUSE_SETTINGS } from '../../config/settings.ts';
import { createClickHouse } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';

const sqlDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sql');
const config = loadConfig('migrate', CLICKHOUSE_SETTINGS, ALL_ENV_VARS);
const ch = createClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase, user: config.clickhouseUser, password: config.clickhousePassword });
const res = await migrate(ch, config.clickhouseDatabase, loadMigrations(sqlDir));
console.log(`migrations on ${config.clickhouseUrl}/${config.clickhouseDatabase}: applied [${res.applied.join(', ')}], already there [${res.skipped.join(', ')}]`);
