// The checkpoint store against the real 18.16 server (a fresh database per test, migrated with
// the project's migrations), and the same statements replayed on a current engine (chdb).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.ts';
import { freshDatabase } from '../../../test/support/stack.ts';
import { expectSameOnChdb, recording, requireChdb, type Recorded } from './chdb-replay.testkit.ts';
import { CHECKPOINT_CHUNK_BYTES, CheckpointStore } from './checkpoints.ts';
import type { ClickHouse } from './client.ts';
import { sqlInt, sqlString } from './literal.ts';
import { loadMigrations, migrate } from './migrate.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MIGRATIONS = loadMigrations(path.join(ROOT, 'sql'));
const TOPIC = 'isochron.telemetry.v1';

const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (drops.length > 0) await drops.pop()!();
});

async function migrated(prefix: string): Promise<{ ch: ClickHouse; database: string }> {
  const { ch, database, drop } = await freshDatabase(prefix);
  drops.push(drop);
  await migrate(ch, database, MIGRATIONS);
  return { ch, database };
}

/** `n` bytes from a seeded generator: the same seed gives the same state on every run. */
function randomState(n: number, seed: number): Uint8Array {
  const next = mulberry32(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const v = Math.floor(next() * 4294967296);
    out[i] = v & 0xff;
    if (i + 1 < n) out[i + 1] = (v >>> 8) & 0xff;
    if (i + 2 < n) out[i + 2] = (v >>> 16) & 0xff;
    if (i + 3 < n) out[i + 3] = (v >>> 24) & 0xff;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Rows of one checkpoint in the layout of sql/006, written directly (as a crashed or retried writer would leave them). */
function newRows(topic: string, partition: number, slot: number, offset: bigint, state: Uint8Array, onlyChunks?: number[]) {
  const chunks = Math.max(1, Math.ceil(state.length / CHECKPOINT_CHUNK_BYTES));
  const rows = [];
  for (let i = 0; i < chunks; i++) {
    if (onlyChunks && !onlyChunks.includes(i)) continue;
    const data = Buffer.from(state.subarray(i * CHECKPOINT_CHUNK_BYTES, (i + 1) * CHECKPOINT_CHUNK_BYTES)).toString('base64');
    rows.push({ topic, partition, slot, offset: offset.toString(), chunk: i, chunks, state_bytes: state.length, data, created_at: 1_750_000_000 });
  }
  return rows;
}

/** Rows in the legacy layout of sql/003 (worker_checkpoints), as the old store wrote them. */
function legacyRows(topic: string, partition: number, offset: bigint, state: Uint8Array, createdAt: number, onlyChunks?: number[]) {
  const chunks = Math.max(1, Math.ceil(state.length / CHECKPOINT_CHUNK_BYTES));
  const rows = [];
  for (let i = 0; i < chunks; i++) {
    if (onlyChunks && !onlyChunks.includes(i)) continue;
    const data = Buffer.from(state.subarray(i * CHECKPOINT_CHUNK_BYTES, (i + 1) * CHECKPOINT_CHUNK_BYTES)).toString('base64');
    rows.push({ topic, partition, offset: offset.toString(), chunk: i, chunks, data, created_at: createdAt });
  }
  return rows;
}

async function offsetsIn(ch: ClickHouse, topic: string, partition: number): Promise<string[]> {
  const rows = await ch.query<{ offset: string }>(
    `SELECT DISTINCT offset FROM partition_checkpoints WHERE topic = ${sqlString(topic)} AND partition = ${sqlInt(partition, 'UInt32')} ORDER BY offset`,
  );
  return rows.map((r) => r.offset);
}

describe('CheckpointStore (partition_checkpoints) on the 18.16 server', () => {
  it('round-trips a multi-chunk state byte for byte, and an empty one', async () => {
    const { ch } = await migrated('cp_roundtrip');
    const store = new CheckpointStore(ch, TOPIC);
    const state = randomState(9 * 1024 * 1024 + 7, 0x5eed);
    await store.save(2, 1_000_000_000_123n, state, 1_750_000_000);
    const chunks = await ch.query<{ n: string }>('SELECT count() AS n FROM partition_checkpoints');
    expect(chunks).toEqual([{ n: '3' }]); // 4 MiB + 4 MiB + 1 MiB and 7 bytes

    const restored = await new CheckpointStore(ch, TOPIC).latest(2);
    expect(restored?.offset).toBe(1_000_000_000_123n);
    expect(restored?.state.length).toBe(state.length);
    expect(sameBytes(restored!.state, state)).toBe(true);

    await store.save(3, 5n, new Uint8Array(0), 1_750_000_000);
    const empty = await new CheckpointStore(ch, TOPIC).latest(3);
    expect(empty).toEqual({ offset: 5n, state: new Uint8Array(0) });
    expect(await new CheckpointStore(ch, TOPIC).latest(4)).toBeUndefined();
  });

  it('keeps at most two checkpoints per partition however often it saves, and restores the last', async () => {
    const { ch, database } = await migrated('cp_bounded');
    const partitions = [0, 1, 5];
    const SAVES = 200;
    const STATE_BYTES = 48 * 1024;
    const store = new CheckpointStore(ch, TOPIC);
    const last = new Map<number, Uint8Array>();
    const partsBytes = async () =>
      (
        await ch.query<{ parts: string; rows: string; uncompressed: string }>(
          `SELECT count() AS parts, sum(rows) AS rows, sum(data_uncompressed_bytes) AS uncompressed FROM system.parts WHERE database = ${sqlString(database)} AND table = 'partition_checkpoints' AND active`,
        )
      )[0];
    let afterTwo: { parts: string; rows: string; uncompressed: string } | undefined;
    for (let i = 1; i <= SAVES; i++) {
      for (const p of partitions) {
        const state = randomState(STATE_BYTES, p * 1000 + i);
        await store.save(p, BigInt(i * 100 + p), state, 1_750_000_000 + i * 5);
        last.set(p, state);
      }
      if (i === 2) afterTwo = await partsBytes();
    }
    for (const p of partitions) {
      expect(await offsetsIn(ch, TOPIC, p)).toEqual([String((SAVES - 1) * 100 + p), String(SAVES * 100 + p)]);
      const restored = await new CheckpointStore(ch, TOPIC).latest(p);
      expect(restored?.offset).toBe(BigInt(SAVES * 100 + p));
      expect(sameBytes(restored!.state, last.get(p)!)).toBe(true);
    }
    const count = await ch.query<{ n: string; offsets: string }>('SELECT count() AS n, uniqExact(topic, partition, offset) AS offsets FROM partition_checkpoints');
    expect(count).toEqual([{ n: String(2 * partitions.length), offsets: String(2 * partitions.length) }]);
    // Storage is what two checkpoints per partition need: the same after 200 saves as after 2.
    const end = await partsBytes();
    expect(end.parts).toBe(String(2 * partitions.length));
    expect(end.rows).toBe(afterTwo!.rows);
    const base64Bytes = 2 * partitions.length * Math.ceil(STATE_BYTES / 3) * 4;
    expect(Number(end.uncompressed)).toBeGreaterThanOrEqual(base64Bytes);
    expect(Number(end.uncompressed)).toBeLessThan(base64Bytes + 2 * partitions.length * 1024);
    expect(end.uncompressed).toBe(afterTwo!.uncompressed);
  });

  it('saveMany writes one round of several partitions (multi-chunk states across inserts) and keeps two per partition', async () => {
    const { ch } = await migrated('cp_many');
    const store = new CheckpointStore(ch, TOPIC);
    // 9 MiB states: 3 chunks each, so a round of 5 partitions (45 MiB) needs two inserts.
    const last = new Map<number, Uint8Array>();
    for (let round = 1; round <= 4; round++) {
      const cuts = [0, 1, 2, 3, 4].map((p) => ({ partition: p, offset: BigInt(round * 100 + p), state: randomState(round === 4 ? 9 * 1024 * 1024 : 1000 + p, round * 31 + p) }));
      await store.saveMany(cuts, 1_750_000_000 + round);
      for (const c of cuts) last.set(c.partition, c.state);
    }
    for (const p of [0, 1, 2, 3, 4]) {
      expect(await offsetsIn(ch, TOPIC, p)).toEqual([String(300 + p), String(400 + p)]);
      const restored = await new CheckpointStore(ch, TOPIC).latest(p);
      expect(restored?.offset).toBe(BigInt(400 + p));
      expect(sameBytes(restored!.state, last.get(p)!)).toBe(true);
    }
  });

  it('of two complete checkpoints at the same offset (the idle rule moved the state), restores the newer', async () => {
    const { ch } = await migrated('cp_same_offset');
    const store = new CheckpointStore(ch, TOPIC);
    const states = [1, 2, 3].map((k) => randomState(5000 + k, 700 + k));
    for (const state of states) {
      await store.save(6, 700n, state, 1_750_000_000);
      const restored = await new CheckpointStore(ch, TOPIC).latest(6);
      expect(restored?.offset).toBe(700n);
      expect(sameBytes(restored!.state, state)).toBe(true);
    }
  });

  it('a store that has not seen the partition yet does not overwrite the latest checkpoint', async () => {
    const { ch } = await migrated('cp_unknown');
    const first = new CheckpointStore(ch, TOPIC);
    await first.save(0, 10n, randomState(100, 1), 1_750_000_000);
    await first.save(0, 20n, randomState(100, 2), 1_750_000_005);
    // A restarted worker that saves before it restores (no knowledge of the slots).
    await new CheckpointStore(ch, TOPIC).save(0, 30n, randomState(100, 3), 1_750_000_010);
    expect(await offsetsIn(ch, TOPIC, 0)).toEqual(['20', '30']);
    await new CheckpointStore(ch, TOPIC).save(0, 40n, randomState(100, 4), 1_750_000_015);
    expect(await offsetsIn(ch, TOPIC, 0)).toEqual(['30', '40']);
  });

  it('ignores a torn write and a slot emptied by a crash, and the next save clears the torn rows', async () => {
    const { ch } = await migrated('cp_torn');
    const store = new CheckpointStore(ch, TOPIC);
    const s100 = randomState(9 * 1024 * 1024, 100);
    const s200 = randomState(9 * 1024 * 1024, 200);
    await store.save(7, 100n, s100, 1_750_000_000); // slot 0
    await store.save(7, 200n, s200, 1_750_000_005); // slot 1
    // A writer that crashed after dropping slot 0 and inserting two of three chunks of offset 300.
    await ch.command(`ALTER TABLE partition_checkpoints DROP PARTITION (${sqlString(TOPIC)}, 7, 0)`);
    await ch.insert('partition_checkpoints', newRows(TOPIC, 7, 0, 300n, randomState(9 * 1024 * 1024, 300), [0, 2]));
    const restarted = new CheckpointStore(ch, TOPIC);
    const cp = await restarted.latest(7);
    expect(cp?.offset).toBe(200n);
    expect(sameBytes(cp!.state, s200)).toBe(true);
    // The next save goes into the torn slot and replaces it.
    const s400 = randomState(1000, 400);
    await restarted.save(7, 400n, s400, 1_750_000_010);
    expect(await offsetsIn(ch, TOPIC, 7)).toEqual(['200', '400']);
    expect(await ch.query('SELECT slot, offset, chunk FROM partition_checkpoints ORDER BY offset, chunk')).toEqual([
      { slot: 1, offset: '200', chunk: 0 },
      { slot: 1, offset: '200', chunk: 1 },
      { slot: 1, offset: '200', chunk: 2 },
      { slot: 0, offset: '400', chunk: 0 },
    ]);
    // A crash right after the drop: the slot with the latest checkpoint (0) is not the one
    // a save empties, so emptying slot 1 leaves 400 to restore.
    await ch.command(`ALTER TABLE partition_checkpoints DROP PARTITION (${sqlString(TOPIC)}, 7, 1)`);
    const after = await new CheckpointStore(ch, TOPIC).latest(7);
    expect(after?.offset).toBe(400n);
    expect(sameBytes(after!.state, s400)).toBe(true);
  });

  it('a chunk written twice (a retried insert) does not corrupt the state', async () => {
    const { ch } = await migrated('cp_dup');
    const store = new CheckpointStore(ch, TOPIC);
    const state = randomState(9 * 1024 * 1024, 77);
    await store.save(1, 500n, state, 1_750_000_000);
    const slot = (await ch.query<{ slot: number }>('SELECT DISTINCT slot FROM partition_checkpoints'))[0].slot;
    // The middle chunk again (separate part), then the whole checkpoint again.
    await ch.insert('partition_checkpoints', newRows(TOPIC, 1, slot, 500n, state, [1]));
    await ch.insert('partition_checkpoints', newRows(TOPIC, 1, slot, 500n, state));
    expect(await ch.query('SELECT count() AS n FROM partition_checkpoints')).toEqual([{ n: '7' }]);
    const cp = await new CheckpointStore(ch, TOPIC).latest(1);
    expect(cp?.offset).toBe(500n);
    expect(sameBytes(cp!.state, state)).toBe(true);
  });

  it('rejects a checkpoint whose chunks do not add up to its recorded size, without retrying', async () => {
    const { ch } = await migrated('cp_size');
    const state = randomState(5 * 1024 * 1024, 11);
    const rows = newRows(TOPIC, 0, 1, 900n, state).map((r) => ({ ...r, state_bytes: state.length + 1 }));
    await ch.insert('partition_checkpoints', rows);
    await expect(new CheckpointStore(ch, TOPIC).latest(0)).rejects.toMatchObject({ code: 'ISO_ENGINE_STATE_INVALID', retriable: false });
  });

  it('restores from the legacy worker_checkpoints table when the new one has nothing, and prefers the new one', async () => {
    const { ch } = await migrated('cp_legacy');
    const s50 = randomState(9 * 1024 * 1024, 50);
    const s80 = randomState(9 * 1024 * 1024, 80);
    // Old layout, several inserts on two days (separate parts and partitions, unmerged
    // duplicates), a torn checkpoint at 90 and another partition and topic at higher offsets.
    await ch.insert('worker_checkpoints', legacyRows(TOPIC, 4, 50n, s50, 1_750_000_000));
    await ch.insert('worker_checkpoints', legacyRows(TOPIC, 4, 80n, s80, 1_750_100_000));
    await ch.insert('worker_checkpoints', legacyRows(TOPIC, 4, 80n, s80, 1_750_100_000, [1]));
    await ch.insert('worker_checkpoints', legacyRows(TOPIC, 4, 90n, randomState(9 * 1024 * 1024, 90), 1_750_100_000, [0, 1]));
    await ch.insert('worker_checkpoints', legacyRows(TOPIC, 5, 999n, randomState(10, 999), 1_750_100_000));
    await ch.insert('worker_checkpoints', legacyRows('other.topic', 4, 998n, randomState(10, 998), 1_750_100_000));

    const store = new CheckpointStore(ch, TOPIC);
    const cp = await store.latest(4);
    expect(cp?.offset).toBe(80n);
    expect(sameBytes(cp!.state, s80)).toBe(true);
    expect(await store.latest(6)).toBeUndefined();

    // Once the partition has checkpointed into the new table, that one wins, even over a
    // legacy checkpoint with a higher offset (written by an old worker during a rolling upgrade).
    const s120 = randomState(2000, 120);
    await store.save(4, 120n, s120, 1_750_200_000);
    await ch.insert('worker_checkpoints', legacyRows(TOPIC, 4, 130n, randomState(2000, 130), 1_750_200_000));
    const next = await new CheckpointStore(ch, TOPIC).latest(4);
    expect(next?.offset).toBe(120n);
    expect(sameBytes(next!.state, s120)).toBe(true);

    // Without the legacy table (operators dropped it) a partition with nothing is simply empty.
    await ch.command('DROP TABLE worker_checkpoints');
    expect(await new CheckpointStore(ch, TOPIC).latest(5)).toBeUndefined();
    expect((await new CheckpointStore(ch, TOPIC).latest(4))?.offset).toBe(120n);
  });

  it('keeps partitions and topics apart', async () => {
    const { ch } = await migrated('cp_apart');
    const topics = [TOPIC, "odd'topic\\name", 'isochron.telemetry.v2'];
    const expected = new Map<string, { offset: bigint; state: Uint8Array }>();
    for (let round = 1; round <= 5; round++) {
      for (const [ti, topic] of topics.entries()) {
        const store = new CheckpointStore(ch, topic);
        for (const p of [0, 1, 2]) {
          const offset = BigInt(round * 1000 + ti * 10 + p);
          const state = randomState(300 + ti * 7 + p, Number(offset));
          await store.save(p, offset, state, 1_750_000_000 + round);
          expected.set(`${topic}/${p}`, { offset, state });
        }
      }
    }
    for (const topic of topics) {
      const store = new CheckpointStore(ch, topic);
      for (const p of [0, 1, 2]) {
        const want = expected.get(`${topic}/${p}`)!;
        const got = await store.latest(p);
        expect(got?.offset).toBe(want.offset);
        expect(sameBytes(got!.state, want.state)).toBe(true);
        expect((await offsetsIn(ch, topic, p)).length).toBe(2);
      }
      expect(await store.latest(3)).toBeUndefined();
    }
    expect(await ch.query('SELECT count() AS n FROM partition_checkpoints')).toEqual([{ n: String(topics.length * 3 * 2) }]);
  });

  it('reports a missing table as a non-retriable ClickHouse error instead of an empty partition', async () => {
    const { ch, drop } = await freshDatabase('cp_nomigration');
    drops.push(drop);
    const store = new CheckpointStore(ch, TOPIC);
    await expect(store.latest(0)).rejects.toMatchObject({ code: 'ISO_CLICKHOUSE_BAD_DATA', retriable: false, details: { serverCode: 60 } });
    await expect(store.save(0, 1n, new Uint8Array(3), 1_750_000_000)).rejects.toMatchObject({ code: 'ISO_CLICKHOUSE_BAD_DATA', retriable: false });
  });
});

// ---- the same statements on a current engine ------------------------------------------------

describe('CheckpointStore statements on a current engine (chdb)', () => {
  it('gives the same answers as 18.16 for saves, torn and duplicated writes, and the legacy fallback', async () => {
    requireChdb();
    const { ch } = await migrated('cp_chdb');
    const log: Recorded[] = [];
    const rec = recording(ch, log);
    const state = randomState(5 * 1024 * 1024, 9);
    const store = new CheckpointStore(rec, TOPIC);
    await rec.insert('worker_checkpoints', legacyRows(TOPIC, 1, 70n, randomState(4096, 70), 1_750_000_000));
    await rec.insert('worker_checkpoints', legacyRows(TOPIC, 1, 70n, randomState(4096, 70), 1_750_000_000));
    expect((await store.latest(1))?.offset).toBe(70n); // legacy fallback
    expect(await store.latest(2)).toBeUndefined();
    await store.save(1, 100n, state, 1_750_000_000);
    await store.save(1, 200n, randomState(1000, 200), 1_750_000_005);
    await store.save(1, 300n, state, 1_750_000_010);
    await rec.insert('partition_checkpoints', newRows(TOPIC, 1, 0, 300n, state, [1]));
    await rec.insert('partition_checkpoints', newRows(TOPIC, 1, 1, 400n, state, [1]));
    const cp = await new CheckpointStore(rec, TOPIC).latest(1);
    expect(cp?.offset).toBe(300n);
    expect(sameBytes(cp!.state, state)).toBe(true);
    await new CheckpointStore(rec, TOPIC).save(1, 500n, randomState(10, 500), 1_750_000_015);
    expect((await new CheckpointStore(rec, TOPIC).latest(1))?.offset).toBe(500n);

    expectSameOnChdb(MIGRATIONS, log, { sqlPreviewChars: 160, maxBufferBytes: 256 * 1024 * 1024 });
    expect(log.filter((r) => r.kind === 'command' && r.sql.includes('DROP PARTITION')).length).toBe(4);
  });
});
