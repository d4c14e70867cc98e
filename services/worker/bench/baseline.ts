// The baseline a ClickHouse user reaches for first: the Kafka table engine reading one row per
// sample (TabSeparated, the cheapest text format for the server to parse) and a materialized
// view aggregating per flow and 1 s window into an AggregatingMergeTree table: sample count,
// received count and delay quantiles (the default `quantiles`, reservoir-sampled).
// Timed from the moment the view is attached (consumption starts) until every sample is in
// the aggregate table; the polling query itself merges the states, i.e. the rows are queryable.
import { createClickHouse } from '../../adapters/clickhouse/client.ts';
import { sqlIdentifier, sqlInt, sqlString } from '../../adapters/clickhouse/literal.ts';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { cpuMeter, middleRate, procMemory, sleep } from './probe.ts';

export interface BaselineOptions {
  readonly clickhouseUrl: string;
  readonly database: string;
  readonly brokers: string;
  readonly topic: string;
  readonly groupId: string;
  /** kafka_num_consumers (1 is the engine's default). */
  readonly consumers: number;
  readonly expectedSamples: number;
  readonly expectedRows: number;
  readonly timeoutMs: number;
  readonly pids: Record<string, number | undefined>;
}

export interface BaselineResult {
  /** Every sample is in the aggregate table. */
  readonly complete: boolean;
  /** The engine committed every offset of the topic. */
  readonly consumedAll: boolean;
  /** Samples the engine read past but never wrote. */
  readonly samplesLost: number;
  readonly samples: number;
  readonly rows: number;
  readonly seconds: number;
  readonly samplesPerS: number;
  readonly steadySamplesPerS: number | null;
  readonly firstRowsAfterS: number | null;
  readonly finalQueryMs: number;
  readonly cpuSeconds: Record<string, number | null>;
  readonly clickhouseRssMaxMiB: number | null;
}

/** The engine flushes a block at least every 7.5 s (stream_flush_interval_ms): a longer silence is a stall. */
const STALL_MS = 120_000;
const QUANTILES = '0.5, 0.9, 0.99, 0.999';

export async function runBaseline(o: BaselineOptions, log: (line: string) => void): Promise<BaselineResult> {
  const root = createClickHouse({ url: o.clickhouseUrl, database: 'default', requestTimeoutMs: 300_000 });
  const db = sqlIdentifier(o.database);
  await root.command(`CREATE DATABASE IF NOT EXISTS ${db}`);
  const ch = root.withDatabase(o.database);
  await ch.command(`CREATE TABLE baseline_windows (
    enterprise_id String, device_id String, flow_id String, window_start DateTime,
    samples AggregateFunction(count),
    received AggregateFunction(sum, UInt64),
    delay_quantiles AggregateFunction(quantilesIf(${QUANTILES}), Int64, UInt8)
  ) ENGINE = AggregatingMergeTree PARTITION BY toYYYYMMDD(window_start) ORDER BY (enterprise_id, device_id, flow_id, window_start)`);
  // The 18.16 engine leaves librdkafka's auto.offset.reset at "largest": a new group would skip
  // everything already in the topic. Point the group at the start first, as its user would.
  await resetGroupToEarliest(o.brokers, o.groupId, o.topic);
  // SETTINGS form: accepted by 18.16 and current releases (18.16 rejects an empty positional schema).
  await ch.command(`CREATE TABLE baseline_queue (
    enterprise_id String, device_id String, flow_id String, seq UInt32, send_ns UInt64, delay_ns Int64, size_bytes UInt32, flags UInt8
  ) ENGINE = Kafka SETTINGS kafka_broker_list = ${sqlString(o.brokers)}, kafka_topic_list = ${sqlString(o.topic)},
    kafka_group_name = ${sqlString(o.groupId)}, kafka_format = 'TabSeparated', kafka_num_consumers = ${sqlInt(o.consumers, 'UInt8')}`);

  const cpu = cpuMeter(o.pids);
  const t0 = performance.now();
  await ch.command(`CREATE MATERIALIZED VIEW baseline_mv TO baseline_windows AS
    SELECT enterprise_id, device_id, flow_id, toDateTime(intDiv(send_ns, 1000000000)) AS window_start,
      countState() AS samples,
      sumState(toUInt64(bitAnd(flags, 1))) AS received,
      quantilesIfState(${QUANTILES})(delay_ns, bitAnd(flags, 3) = 3) AS delay_quantiles
    FROM baseline_queue
    GROUP BY enterprise_id, device_id, flow_id, window_start`);
  const series: [number, number][] = [];
  let samples = 0;
  let firstRowsAfterS: number | null = null;
  let chRssMax = 0;
  let lastLog = t0;
  const deadline = t0 + o.timeoutMs;
  let lastSamples = -1;
  let lastChange = t0;
  /** Seconds at which the count first reached its current value. */
  let reachedAt = 0;
  let consumedAll = false;
  let lastOffsetCheck = 0;
  const admin = new Kafka({ brokers: [o.brokers], clientId: 'isochron-bench-baseline', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  while (performance.now() < deadline) {
    const [r] = await ch.query<{ n: string }>('SELECT countMerge(samples) AS n FROM baseline_windows');
    const now = (performance.now() - t0) / 1e3;
    samples = Number(r?.n ?? 0);
    series.push([now, samples]);
    if (samples > 0 && firstRowsAfterS === null) firstRowsAfterS = now;
    const chPid = o.pids.clickhouse;
    if (chPid !== undefined) chRssMax = Math.max(chRssMax, procMemory(chPid)?.rssBytes ?? 0);
    if (samples >= o.expectedSamples) {
      reachedAt = now;
      consumedAll = true;
      break;
    }
    if (samples !== lastSamples) {
      lastSamples = samples;
      lastChange = performance.now();
      reachedAt = now;
    } else if (performance.now() - lastChange > STALL_MS) {
      log(`baseline: no progress for ${STALL_MS / 1000} s; giving up`);
      break;
    }
    // The 18.16 engine can drop rows of a multi-row message at a block boundary (ClickHouse
    // #4890, fixed by #6950 in 19.15), so the count may never reach the total. Done is then:
    // every offset committed (the engine commits after the block is written) and the count
    // unchanged since; the time is when the count first reached its final value.
    if (performance.now() - lastOffsetCheck > 1000) {
      lastOffsetCheck = performance.now();
      consumedAll = await groupCaughtUp(admin, o.groupId, o.topic);
      if (consumedAll && performance.now() - lastChange > 2000) break;
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`baseline: ${(samples / 1e6).toFixed(2)} M of ${(o.expectedSamples / 1e6).toFixed(2)} M samples after ${now.toFixed(0)} s`);
    }
    await sleep(250);
  }
  await admin.disconnect().catch(() => undefined);
  const seconds = reachedAt;
  const cpuSeconds = cpu();
  // Stop consuming before anything else runs on this server.
  await ch.command('DROP TABLE IF EXISTS baseline_mv');
  await ch.command('DROP TABLE IF EXISTS baseline_queue');
  // What a dashboard pays to read the baseline's windows: the states are merged at query time.
  const q0 = performance.now();
  const [rowsR] = await ch.query<{ n: string }>(
    `SELECT count() AS n FROM (SELECT enterprise_id, device_id, flow_id, window_start, countMerge(samples) AS c, sumMerge(received) AS r, quantilesIfMerge(${QUANTILES})(delay_quantiles) AS q
     FROM baseline_windows GROUP BY enterprise_id, device_id, flow_id, window_start)`,
  );
  const finalQueryMs = performance.now() - q0;
  return {
    complete: samples >= o.expectedSamples,
    consumedAll,
    samples,
    samplesLost: o.expectedSamples - samples,
    rows: Number(rowsR?.n ?? 0),
    seconds,
    samplesPerS: seconds > 0 ? samples / seconds : 0,
    steadySamplesPerS: middleRate(series, o.expectedSamples),
    firstRowsAfterS,
    finalQueryMs,
    cpuSeconds,
    clickhouseRssMaxMiB: chRssMax > 0 ? Math.round(chRssMax / 2 ** 20) : null,
  };
}

async function resetGroupToEarliest(brokers: string, groupId: string, topic: string): Promise<void> {
  const admin = new Kafka({ brokers: [brokers], clientId: 'isochron-bench-baseline', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId, topic, partitions: offsets.map((p) => ({ partition: p.partition, offset: p.low })) });
  } finally {
    await admin.disconnect();
  }
}

async function groupCaughtUp(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const at = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
  return ends.every((p) => at.get(p.partition) === p.high);
}
