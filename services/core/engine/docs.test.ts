// docs/metrics.md cannot drift from the code: every output column, setting (with its default)
// and discard reason is documented.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG } from './config.ts';
import { DISCARD_REASONS } from './window-row.ts';
import { MetricEngine } from './engine.ts';
import { identity, makeBatch, OK_FLAGS } from './testkit.ts';

const doc = fs.readFileSync(path.resolve('docs/metrics.md'), 'utf8');

describe('docs/metrics.md', () => {
  it('documents every WindowRow column', () => {
    const f = { identity: identity(), flowId: 'f', seqBits: 32 as const, samples: [{ seq: 1, sendNs: 10n ** 18n, delayNs: 5, sizeBytes: 1, flags: OK_FLAGS }] };
    const e = new MetricEngine({});
    e.ingest(0, makeBatch(f.identity, [{ flow: f, samples: f.samples }]));
    const row = e.flushPartition(0).windows[0];
    for (const k of Object.keys(row)) expect(doc, `column ${k}`).toContain(`\`${k}\``);
  });
  it('documents every setting with its default', () => {
    const table = doc.slice(doc.indexOf('## 10. Settings'));
    for (const [k, v] of Object.entries(DEFAULT_ENGINE_CONFIG)) {
      const line = table.split('\n').find((l) => l.startsWith(`| \`${k}\` |`));
      expect(line, `setting ${k}`).toBeDefined();
      const cell = (line as string).split('|')[2].trim();
      const shown = typeof v === 'number' ? Number(cell.replace(/\s|\(.*\)/g, '')) : cell.replace(/`/g, '');
      expect(shown, `default of ${k}`).toBe(v);
    }
  });
  it('documents every discard reason', () => {
    for (const r of DISCARD_REASONS) expect(doc).toContain(`\`${r}\``);
  });
});
