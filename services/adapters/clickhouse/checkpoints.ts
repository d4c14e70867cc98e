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
import { sqlInt, sqlString } from './literal.ts';

export const CHECKPOINT_CHUNK_BYTES = 4 * 1024 * 1024;

const TABLE = 'partition_checkpoints';
const LEGACY_TABLE = 'worker_checkpoints';
// Another writer (a previous owner still finishing its last save) may replace the slot
// between the key query and the read of the chunks; the other slot is intact, so looking
// again finds a complete checkpoint. Past this many tries the caller's retry takes over.
const READ_ATTEMPTS = 3;

export interface Checkpoint {
  readonly offset: bigint;
  readonly state: Uint8Array;
}

type Slot = 0 | 1;

interface Located {
  readonly offset: bigint;
  readonly chunks: number;
  /** undefined for the legacy table, which has no slots. */
  readonly slot: Slot | undefined;
  /** undefined for the legacy table, which does not record it. */
  readonly stateBytes: number | undefined;
}

export class CheckpointStore {
  /** Per partition: the slot holding the latest complete checkpoint, or null when none is. */
  private readonly latestSlot = new Map<number, Slot | null>();
  private legacyExists: boolean | undefined;

  constructor(
    private readonly ch: ClickHouse,
    private readonly topic: string,
  ) {}

  async save(partition: number, offset: bigint, state: Uint8Array, nowSeconds: number): Promise<void> {
    const p = sqlInt(partition, 'UInt32');
    sqlInt(offset, 'UInt64');
    let known = this.latestSlot.get(partition);
    if (known === undefined) {
      // Neither a save nor a restore of this store has seen the partition: ask the table.
      const found = await this.locate(partition);
      known = found?.slot ?? null;
    }
    const slot: Slot = known === 0 ? 1 : 0;
    // Empty the slot first: the insert below is then the only checkpoint in it. Until the
    // insert completes, the other slot holds the latest complete checkpoint.
    await this.ch.command(`ALTER TABLE ${TABLE} DROP PARTITION (${sqlString(this.topic)}, ${p}, ${sqlInt(slot, 'UInt8')})`);
    const chunks = Math.max(1, Math.ceil(state.length / CHECKPOINT_CHUNK_BYTES));
    const rows = [];
    for (let i = 0; i < chunks; i++) {
      const part = state.subarray(i * CHECKPOINT_CHUNK_BYTES, (i + 1) * CHECKPOINT_CHUNK_BYTES);
      rows.push({
        topic: this.topic,
        partition,
        slot,
        offset: offset.toString(),
        chunk: i,
        chunks,
        state_bytes: state.length,
        data: Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64'),
        created_at: nowSeconds,
      });
    }
    // One INSERT, one ClickHouse partition: one block, one part.
    await this.ch.insert(TABLE, rows);
    this.latestSlot.set(partition, slot);
  }

  /** The complete checkpoint of `partition` with the highest offset, if any. */
  async latest(partition: number): Promise<Checkpoint | undefined> {
    for (let attempt = 1; ; attempt++) {
      const found = await this.locate(partition);
      if (found === undefined) {
        this.latestSlot.set(partition, null);
        return this.latestLegacy(partition);
      }
      const state = await this.readChunks(TABLE, partition, found);
      if (state !== undefined) {
        this.latestSlot.set(partition, found.slot!);
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
    const rows = await this.ch.query<{ slot: number; offset: string; chunks: number; state_bytes: string }>(
      `SELECT slot, offset, chunks, state_bytes FROM ${TABLE} WHERE ${this.where(partition)} AND chunk < chunks` +
        ` GROUP BY slot, offset, chunks, state_bytes HAVING uniqExact(chunk) = chunks ORDER BY offset DESC, slot DESC LIMIT 1`,
    );
    if (rows.length === 0) return undefined;
    const r = rows[0];
    const slot = Number(r.slot);
    return { slot: slot === 0 ? 0 : 1, offset: BigInt(r.offset), chunks: Number(r.chunks), stateBytes: Number(r.state_bytes) };
  }

  /**
   * The chunks of one checkpoint, one copy of each (a retried insert may have written a chunk
   * twice), decoded into one buffer; undefined when they are no longer all there.
   */
  private async readChunks(table: string, partition: number, at: Located): Promise<Uint8Array | undefined> {
    const key =
      `${this.where(partition)}${at.slot === undefined ? '' : ` AND slot = ${sqlInt(at.slot, 'UInt8')}`}` +
      ` AND offset = ${sqlInt(at.offset, 'UInt64')} AND chunks = ${sqlInt(at.chunks, 'UInt32')}`;
    // PREWHERE on key columns: the state column is read only where the key matches.
    const rows = await this.ch.query<{ chunk: number; data: string }>(
      `SELECT chunk, data FROM ${table} PREWHERE ${key} WHERE chunk < chunks ORDER BY chunk LIMIT 1 BY chunk`,
    );
    if (rows.length !== at.chunks) return undefined;
    const parts: Buffer[] = [];
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      if (Number(rows[i].chunk) !== i) return undefined;
      const b = Buffer.from(rows[i].data, 'base64');
      parts.push(b);
      total += b.length;
    }
    if (at.stateBytes !== undefined && total !== at.stateBytes) {
      throw new IsochronError(
        'ENGINE_STATE_INVALID',
        `checkpoint of ${this.topic}/${partition} at offset ${at.offset} in ${table}: its chunks hold ${total} bytes, the checkpoint says ${at.stateBytes}`,
        { table, topic: this.topic, partition, offset: at.offset.toString() },
      );
    }
    const state = new Uint8Array(total);
    let at0 = 0;
    for (const b of parts) {
      state.set(b, at0);
      at0 += b.length;
    }
    return state;
  }

  /**
   * The legacy table's latest complete checkpoint, read by key without FINAL: its key columns
   * to find the offset, then that checkpoint's chunks. Used only while the new table has no
   * checkpoint of the partition; the next save writes one there.
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
      const rows = await this.ch.query<{ offset: string; chunks: number }>(
        `SELECT offset, chunks FROM ${LEGACY_TABLE} WHERE ${this.where(partition)} AND chunk < chunks` +
          ` GROUP BY offset, chunks HAVING uniqExact(chunk) = chunks ORDER BY offset DESC LIMIT 1`,
      );
      if (rows.length === 0) return undefined;
      const found: Located = { offset: BigInt(rows[0].offset), chunks: Number(rows[0].chunks), slot: undefined, stateBytes: undefined };
      const state = await this.readChunks(LEGACY_TABLE, partition, found);
      if (state !== undefined) return { offset: found.offset, state };
      if (attempt >= READ_ATTEMPTS) throw vanished(LEGACY_TABLE, partition, found.offset);
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
