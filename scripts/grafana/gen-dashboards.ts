// Writes the generated dashboards to grafana/dashboards/ (npm run gen:dashboards), or with
// --check reports the files that differ from the generator's output and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { generateDashboards } from '../../grafana/generate/index.ts';
import { REPO_ROOT } from '../stack/config.ts';

const check = process.argv.includes('--check');
const generated = generateDashboards();
const stale: string[] = [];
for (const { file, json } of generated) {
  const target = path.join(REPO_ROOT, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === json) continue;
  if (check) stale.push(file);
  else fs.writeFileSync(target, json);
}
const dir = path.join(REPO_ROOT, 'grafana/dashboards');
const expected = new Set(generated.map((g) => path.basename(g.file)));
for (const f of fs.readdirSync(dir)) {
  if (f.endsWith('.json') && !expected.has(f)) {
    if (check) stale.push(`grafana/dashboards/${f} (not generated)`);
    else fs.rmSync(path.join(dir, f));
  }
}
if (check && stale.length > 0) {
  console.error(`stale dashboards (run npm run gen:dashboards): ${stale.join(', ')}`);
  process.exit(1);
}
console.log(check ? `dashboards up to date (${generated.length})` : `wrote ${generated.length} dashboards to grafana/dashboards/`);
