// Durable engine checkpoints in ClickHouse, bounded by construction (table
// partition_checkpoints, sql/006). Every (topic, partition) has two slots, each its own
// ClickHouse partition; a save replaces the slot that does not hold the latest complete
// checkpoint (DROP PARTITION, then one INSERT of all chunks), so the table keeps the latest
// checkpoint and the one before it, and a crash or a torn write in the middle of a save leaves
// the other slot intact. A restore reads the key columns first (never the state, never FINAL)
// to pick the highest complete checkpoint, then that one checkpoint's chunks: its cost depends
// on the size of one state, not on how long the workers have run.
// Upgrade path: a partition with no checkpoint here is restored from the legacy table
// worker_checkpoints (sql/003) the same way, by key and without FINAL.
import { IsochronError } from '../../core/errors.ts';
import type { ClickHouse } from './client.ts';
import { sqlDateTime, sqlInt, sqlString } from './literal.ts';

export const CHECKPOINT_CHUNK_BYTES = 4 * 1024 * 1024;

const TABLE = 'partition_checkpoints';
const LEGACY_TABLE = 'worker_checkpoints';
// Another writer (a previous owner still finishing its last save) may replace the slot
// between the key query and the read of the chunks; the other slot is intact, so looking
// again finds a complete checkpoint. Past this many tries the caller's retry takes over.
const READ_ATTEMPTS = 3;

/** State bytes per INSERT of saveMany (base64 makes the request a third larger). */
const MAX_INSERT_BYTES = 32 * 1024 * 1024;

export interface PartitionCut {
  readonly partition: number;
  readonly offset: bigint;
  readonly state: Uint8Array;
}

export interface Checkpoint {
  readonly offset: bigint;
  readonly state: Uint8Array;
}

type Slot = 0 | 1;

interface Located {
  readonly slot: Slot;
  readonly offset: bigint;
  readonly chunks: number;
  readonly stateBytes: number;
  /** Orders complete checkpoints at the same offset (higher is newer). */
  readonly saveSeq: bigint;
}

export class CheckpointStore {
  /** Per partition: the slot holding the latest complete checkpoint, or null when none is. */
  private readonly latestSlot = new Map<number, Slot | null>();
  private legacyExists: boolean | undefined;
  private saves = 0;

  constructor(
    private readonly ch: ClickHouse,
    private readonly topic: string,
  ) {}

  async save(partition: number, offset: bigint, state: Uint8Array, nowSeconds: number): Promise<void> {
    await this.saveMany([{ partition, offset, state }], nowSeconds);
  }

  /**
   * Saves the checkpoints of several partitions (one consistent cut of the worker): each slot
   * is emptied, then all chunks go in as few INSERTs as `MAX_INSERT_BYTES` allows (one part per
   * ClickHouse partition either way). One INSERT per round instead of one per partition: the
   * round costs one server round trip for the data, not one per partition.
   */
  async saveMany(cuts: readonly PartitionCut[], nowSeconds: number): Promise<void> {
    // Offset and time reach the table as JSON, not SQL; still reject what the columns cannot
    // hold before a slot is emptied, not in the insert after it.
    for (const c of cuts) {
      sqlInt(c.partition, 'UInt32');
      sqlInt(c.offset, 'UInt64');
    }
    sqlDateTime(nowSeconds);
    const slots: Slot[] = [];
    for (const c of cuts) {
      let known = this.latestSlot.get(c.partition);
      if (known === undefined) {
        // Neither a save nor a restore of this store has seen the partition: ask the table.
        const found = await this.locate(c.partition);
        known = found?.slot ?? null;
      }
      const slot: Slot = known === 0 ? 1 : 0;
      slots.push(slot);
      // Empty the slot first: the insert below is then the only checkpoint in it. Until the
      // insert completes, the other slot holds the latest complete checkpoint.
      await this.ch.command(`ALTER TABLE ${TABLE} DROP PARTITION (${sqlString(this.topic)}, ${sqlInt(c.partition, 'UInt32')}, ${sqlInt(slot, 'UInt8')})`);
    }
    // Newer saves of one store get higher numbers; across processes the wall clock orders them.
    const saveSeq = BigInt(Date.now()) * 1000n + BigInt(this.saves++ % 1000);
    let rows: Record<string, unknown>[] = [];
    let bytes = 0;
    for (let k = 0; k < cuts.length; k++) {
      const { partition, offset, state } = cuts[k];
      const chunks = Math.max(1, Math.ceil(state.length / CHECKPOINT_CHUNK_BYTES));
      for (let i = 0; i < chunks; i++) {
        const part = state.subarray(i * CHECKPOINT_CHUNK_BYTES, (i + 1) * CHECKPOINT_CHUNK_BYTES);
        if (rows.length > 0 && bytes + part.byteLength > MAX_INSERT_BYTES) {
          await this.ch.insert(TABLE, rows);
          rows = [];
          bytes = 0;
        }
        rows.push({
          topic: this.topic,
          partition,
          slot: slots[k],
          offset: offset.toString(),
          chunk: i,
          chunks,
          state_bytes: state.length,
          save_seq: saveSeq.toString(),
          data: Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64'),
          created_at: nowSeconds,
        });
        bytes += part.byteLength;
      }
    }
    if (rows.length > 0) await this.ch.insert(TABLE, rows);
    for (let k = 0; k < cuts.length; k++) this.latestSlot.set(cuts[k].partition, slots[k]);
  }

  /** The complete checkpoint of `partition` with the highest offset, if any. */
  async latest(partition: number): Promise<Checkpoint | undefined> {
    for (let attempt = 1; ; attempt++) {
      const found = await this.locate(partition);
      if (found === undefined) {
        this.latestSlot.set(partition, null);
        return this.latestLegacy(partition);
      }
      const state = await this.readState(partition, found);
      if (state !== undefined) {
        this.latestSlot.set(partition, found.slot);
        return { offset: found.offset, state };
      }
      if (attempt >= READ_ATTEMPTS) throw vanished(TABLE, partition, found.offset);
    }
  }

  private where(partition: number): string {
    return `topic = ${sqlString(this.topic)} AND partition = ${sqlInt(partition, 'UInt32')}`;
  }

  /** The highest complete checkpoint of the new table, from its key columns only. */
  private async locate(partition: number): Promise<Located | undefined> {
    const rows = await this.ch.query<{ slot: number; offset: string; chunks: number; state_bytes: string; save_seq: string }>(
      `SELECT slot, offset, chunks, state_bytes, save_seq FROM ${TABLE} WHERE ${this.where(partition)} AND chunk < chunks` +
        ` GROUP BY slot, offset, chunks, state_bytes, save_seq HAVING uniqExact(chunk) = chunks ORDER BY offset DESC, save_seq DESC, slot DESC LIMIT 1`,
    );
    if (rows.length === 0) return undefined;
    const r = rows[0];
    const slot = Number(r.slot);
    return { slot: slot === 0 ? 0 : 1, offset: BigInt(r.offset), chunks: Number(r.chunks), stateBytes: Number(r.state_bytes), saveSeq: BigInt(r.save_seq) };
  }

  /**
   * One checkpoint's state, one query per chunk (LIMIT 1: a retried insert may have written a
   * chunk twice), each chunk decoded straight into the state buffer; undefined when a chunk is
   * no longer there. A chunk per query keeps this process's memory near the state's size plus
   * one chunk (a 20 MiB state read in one query peaked at +54-113 MiB, per chunk at +32-38 MiB),
   * and with one row per granule (sql/006) each query reads just its chunk.
   */
  private async readState(partition: number, at: Located): Promise<Uint8Array | undefined> {
    const key = `${this.where(partition)} AND slot = ${sqlInt(at.slot, 'UInt8')} AND offset = ${sqlInt(at.offset, 'UInt64')} AND chunks = ${sqlInt(at.chunks, 'UInt32')} AND save_seq = ${sqlInt(at.saveSeq, 'UInt64')}`;
    const state = Buffer.alloc(at.stateBytes);
    let filled = 0;
    for (let i = 0; i < at.chunks; i++) {
      const rows = await this.ch.query<{ data: string }>(`SELECT data FROM ${TABLE} PREWHERE ${key} AND chunk = ${sqlInt(i, 'UInt32')} LIMIT 1`);
      if (rows.length === 0) return undefined;
      const n = Buffer.byteLength(rows[0].data, 'base64');
      if (filled + n > at.stateBytes) throw this.sizeMismatch(TABLE, partition, at.offset, filled + n, at.stateBytes);
      filled += state.write(rows[0].data, filled, n, 'base64');
    }
    if (filled !== at.stateBytes) throw this.sizeMismatch(TABLE, partition, at.offset, filled, at.stateBytes);
    return new Uint8Array(state.buffer, state.byteOffset, state.byteLength);
  }

  private sizeMismatch(table: string, partition: number, offset: bigint, got: number, want: number): IsochronError {
    return new IsochronError(
      'ENGINE_STATE_INVALID',
      `checkpoint of ${this.topic}/${partition} at offset ${offset} in ${table}: its chunks hold ${got} bytes or more, the checkpoint says ${want}`,
      { table, topic: this.topic, partition, offset: offset.toString() },
    );
  }

  /**
   * The legacy table's latest complete checkpoint, read by key without FINAL: its key columns
   * to find the offset, then that checkpoint's chunks in one query (one copy of each). Used
   * only while the new table has no checkpoint of the partition; the next save writes one there.
   * A legacy granule holds up to 8192 rows (chunks of every partition, megabytes each), so the
   * key selects whole granules. With PREWHERE, 18.16 reads the state column of such a granule
   * at once: 267 MiB to 1 GiB of server memory on a 4 GiB history, growing with the rows per
   * part as merges proceed. Without PREWHERE and with one-row blocks on one thread it streams:
   * 21 MiB on the same history. Time still grows with the history (it is read through once,
   * in one query rather than one per chunk); memory does not.
   */
  private async latestLegacy(partition: number): Promise<Checkpoint | undefined> {
    if (this.legacyExists === undefined) {
      const t = await this.ch.query<{ n: string }>(
        `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = ${sqlString(LEGACY_TABLE)}`,
      );
      this.legacyExists = Number(t[0]?.n ?? 0) > 0;
    }
    if (!this.legacyExists) return undefined;
    for (let attempt = 1; ; attempt++) {
      const found = await this.ch.query<{ offset: string; chunks: number }>(
        `SELECT offset, chunks FROM ${LEGACY_TABLE} WHERE ${this.where(partition)} AND chunk < chunks` +
          ` GROUP BY offset, chunks HAVING uniqExact(chunk) = chunks ORDER BY offset DESC LIMIT 1`,
      );
      if (found.length === 0) return undefined;
      const offset = BigInt(found[0].offset);
      const chunks = Number(found[0].chunks);
      // No ORDER BY: sorting the chunks on 18.16 held several times the state in server memory
      // (106-221 MiB for 20 MiB); they are put in order here.
      const rows = await this.ch.query<{ chunk: number; data: string }>(
        `SELECT chunk, data FROM ${LEGACY_TABLE} WHERE ${this.where(partition)} AND offset = ${sqlInt(offset, 'UInt64')} AND chunks = ${sqlInt(chunks, 'UInt32')}` +
          ` AND chunk < chunks LIMIT 1 BY chunk SETTINGS optimize_move_to_prewhere = 0, max_block_size = 1, max_threads = 1`,
      );
      const parts: Buffer[] = [];
      let total = 0;
      for (const r of rows) {
        const i = Number(r.chunk);
        if (i >= 0 && i < chunks && parts[i] === undefined) {
          parts[i] = Buffer.from(r.data, 'base64');
          total += parts[i].length;
        }
      }
      let present = 0;
      for (let i = 0; i < chunks; i++) if (parts[i] !== undefined) present++;
      if (present === chunks) {
        const state = new Uint8Array(total);
        let at = 0;
        for (const b of parts) {
          state.set(b, at);
          at += b.length;
        }
        return { offset, state };
      }
      if (attempt >= READ_ATTEMPTS) throw vanished(LEGACY_TABLE, partition, offset);
    }
  }
}

function vanished(table: string, partition: number, offset: bigint): IsochronError {
  // Retriable: the slot was being replaced while it was read; a later look finds a stable one.
  return new IsochronError(
    'CLICKHOUSE_SERVER',
    `checkpoint of partition ${partition} at offset ${offset} in ${table} changed while it was read ${READ_ATTEMPTS} times in a row`,
    { table, partition, offset: offset.toString() },
  );
}
