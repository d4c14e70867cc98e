// The engine's rows, the column mapping and the SQL tables cannot drift apart: every field of a
// real engine row is mapped, and DESCRIBE TABLE on the real server lists exactly the mapped
// columns with the mapped types.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/stack.ts';
import type { ClickHouse } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { fixtureOutput } from './portability-fixture.ts';
import { DISCARD_COLUMNS, WINDOW_COLUMNS } from './window-columns.ts';

describe('window columns', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    let database: string;
    ({ ch, database, drop } = await freshDatabase('cols'));
    await migrate(ch, database, loadMigrations(path.resolve('sql')));
  });
  afterAll(() => drop());

  it('maps every field of the engine rows', () => {
    const out = fixtureOutput();
    expect(out.windows.length).toBeGreaterThan(0);
    expect(Object.keys(out.windows[0]).sort()).toEqual(WINDOW_COLUMNS.map(([k]) => k).sort());
  });

  it('matches DESCRIBE TABLE for flow_windows and flow_discards', async () => {
    const describe = async (table: string) =>
      (await ch.query<{ name: string; type: string }>(`DESCRIBE TABLE ${table}`)).map((c) => `${c.name} ${c.type.replace(/\s+/g, '')}`);
    const expected = (cols: readonly (readonly [string, string, string])[], extra: string[] = []) =>
      [...cols.map(([, c, t]) => `${c} ${t.replace(/\s+/g, '')}`), 'window_start DateTime', ...extra].sort();
    expect((await describe('flow_windows')).sort()).toEqual(expected(WINDOW_COLUMNS));
    expect((await describe('flow_discards')).sort()).toEqual(expected(DISCARD_COLUMNS, ['source_partition UInt32', 'source_offset UInt64']));
  });
});
