import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/stack.ts';
import type { ClickHouse } from './client.ts';
import { sqlString } from './literal.ts';

describe('ClickHouse client against the real server', () => {
  let ch: ClickHouse;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ ch, drop } = await freshDatabase('chclient'));
    await ch.command('CREATE TABLE t (id UInt32, s String, n UInt64) ENGINE = MergeTree ORDER BY id');
  });
  afterAll(() => drop());

  it('round-trips hostile strings through literals exactly, with no effect on other tables', async () => {
    const hostile = ["'; DROP TABLE t; --", 'a\\', "\\'", 'line\nbreak\ttab\0nul', '`backtick`', '{name:String}', 'ünïcødé 中文 🚀', '\x7f\x01'];
    for (const s of hostile) {
      const rows = await ch.query<{ v: string }>(`SELECT ${sqlString(s)} AS v`);
      expect(rows).toEqual([{ v: s }]);
    }
    expect(await ch.query(`EXISTS TABLE t`)).toEqual([{ result: 1 }]);
  });

  it('inserts JSONEachRow, keeps 64-bit integers exact, and sends nothing for no rows', async () => {
    await ch.insert('t', []);
    await ch.insert('t', [{ id: 1, s: 'x', n: 18446744073709551615n }, { id: 2, s: "y'", n: 5 }]);
    expect(await ch.query('SELECT id, s, n FROM t ORDER BY id')).toEqual([
      { id: 1, s: 'x', n: '18446744073709551615' },
      { id: 2, s: "y'", n: '5' },
    ]);
  });

  it('classifies bad SQL as a non-retriable error with the server code, and an unreachable server as retriable', async () => {
    await expect(ch.query('SELEC 1')).rejects.toMatchObject({ code: 'ISO_CLICKHOUSE_BAD_DATA', retriable: false, details: { serverCode: 62 } });
    await expect(ch.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: 'ISO_CLICKHOUSE_BAD_DATA', details: { serverCode: 60 } });
    const { createClickHouse } = await import('./client.ts');
    const dead = createClickHouse({ url: 'http://127.0.0.1:1', database: 'default', requestTimeoutMs: 2000 });
    await expect(dead.query('SELECT 1')).rejects.toMatchObject({ code: 'ISO_CLICKHOUSE_UNAVAILABLE', retriable: true });
  });
});
