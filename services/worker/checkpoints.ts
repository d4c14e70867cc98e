// Durable engine checkpoints in ClickHouse (table worker_checkpoints, sql/003). A checkpoint
// is the engine's state for one partition at one offset, base64 in chunks of bounded size.
import type { ClickHouse } from '../adapters/clickhouse/client.ts';
import { sqlInt, sqlString } from '../adapters/clickhouse/literal.ts';

export const CHECKPOINT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface Checkpoint {
  readonly offset: bigint;
  readonly state: Uint8Array;
}

export class CheckpointStore {
  constructor(
    private readonly ch: ClickHouse,
    private readonly topic: string,
  ) {}

  async save(partition: number, offset: bigint, state: Uint8Array, nowSeconds: number): Promise<void> {
    const chunks = Math.max(1, Math.ceil(state.length / CHECKPOINT_CHUNK_BYTES));
    const rows = [];
    for (let i = 0; i < chunks; i++) {
      const part = state.subarray(i * CHECKPOINT_CHUNK_BYTES, (i + 1) * CHECKPOINT_CHUNK_BYTES);
      rows.push({ topic: this.topic, partition, offset: offset.toString(), chunk: i, chunks, data: Buffer.from(part).toString('base64'), created_at: nowSeconds });
    }
    await this.ch.insert('worker_checkpoints', rows);
  }

  /** The complete checkpoint of `partition` with the highest offset, if any. */
  async latest(partition: number): Promise<Checkpoint | undefined> {
    const where = `topic = ${sqlString(this.topic)} AND partition = ${sqlInt(partition, 'UInt32')}`;
    const found = await this.ch.query<{ offset: string }>(
      `SELECT offset FROM worker_checkpoints FINAL WHERE ${where} GROUP BY offset HAVING uniqExact(chunk) = any(chunks) ORDER BY offset DESC LIMIT 1`,
    );
    if (found.length === 0) return undefined;
    const offset = BigInt(found[0].offset);
    const parts = await this.ch.query<{ data: string }>(
      `SELECT data FROM worker_checkpoints FINAL WHERE ${where} AND offset = ${sqlInt(offset, 'UInt64')} ORDER BY chunk`,
    );
    const buffers = parts.map((p) => Buffer.from(p.data, 'base64'));
    return { offset, state: new Uint8Array(Buffer.concat(buffers)) };
  }
}
