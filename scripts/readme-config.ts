// The README's configuration table, generated from the settings specs (services/config/settings.ts).
// `npx tsx scripts/readme-config.ts --write` rewrites it in README.md; test/readme.test.ts fails
// when the committed table differs from what this prints.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SettingsSpec } from '../services/config/config.ts';
import { API_SETTINGS, CLICKHOUSE_SETTINGS, GATEWAY_SETTINGS, KAFKA_SETTINGS, RETENTION_SETTINGS, SIMULATOR_SETTINGS, WORKER_SETTINGS } from '../services/config/settings.ts';

/** Shared specs first (once, as "all services"), then each service's own settings. */
export const README_SECTIONS: readonly (readonly [usedBy: string, spec: SettingsSpec])[] = [
  ['all services', KAFKA_SETTINGS],
  ['all services', CLICKHOUSE_SETTINGS],
  ['gateway', GATEWAY_SETTINGS],
  ['worker', WORKER_SETTINGS],
  ['query API', API_SETTINGS],
  ['simulator', SIMULATOR_SETTINGS],
  ['npm run retention', RETENTION_SETTINGS],
];

const HEADER = '| Variable | Used by | Default | Meaning |\n|---|---|---|---|';

export function configTable(): string {
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const [usedBy, spec] of README_SECTIONS) {
    for (const s of Object.values(spec)) {
      if (seen.has(s.env)) continue;
      seen.add(s.env);
      const def = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
      const values = 'values' in s && Array.isArray(s.values) ? ` (${s.values.join(' \\| ')})` : '';
      rows.push(`| \`${s.env}\` | ${usedBy} | \`${def}\` | ${s.description.replace(/\|/g, '\\|')}${values} |`);
    }
  }
  return `${HEADER}\n${rows.join('\n')}`;
}

/** The README with its configuration table replaced by configTable(). */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(HEADER);
  if (start < 0) throw new Error('README.md has no configuration table header');
  let end = readme.indexOf('\n\n', start);
  if (end < 0) end = readme.length;
  return readme.slice(0, start) + configTable() + readme.slice(end);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = new URL('../README.md', import.meta.url);
  const next = withConfigTable(fs.readFileSync(file, 'utf8'));
  if (process.argv.includes('--write')) fs.writeFileSync(file, next);
  else process.stdout.write(`${configTable()}\n`);
}
