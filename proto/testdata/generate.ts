// Builds the shared wire-format test vectors (proto/testdata/*.bin + manifest.json).
//
//   npx tsx proto/testdata/generate.ts
//
// The bytes are written with the tiny writer below, straight from the encoding guide
// (https://protobuf.dev/programming-guides/encoding/), and NOT with services/core/wire/encode-batch.ts
// or protobufjs: the vectors must stay independent of both decoders they check. Expected decoded
// values are typed out by hand next to the bytes (absolute sequence numbers, offsets, ...), not
// computed from the deltas. A test in services/core/wire/ fails when the committed files differ
// from what this script builds.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ---------------------------------------------------------------- byte writer
type Bytes = number[];

/** Base-128 varint; negative values as their 64-bit two's complement (10 bytes). */
function varint(value: bigint | number): Bytes {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  const out: Bytes = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
/** The varint of `value` stretched to `totalBytes` with redundant continuation bytes. */
function paddedVarint(value: bigint | number, totalBytes: number): Bytes {
  const out = varint(value);
  out[out.length - 1] |= 0x80;
  while (out.length < totalBytes - 1) out.push(0x80);
  out.push(0x00);
  return out;
}
const zigzag = (v: bigint | number): bigint => (BigInt(v) >= 0n ? 2n * BigInt(v) : -2n * BigInt(v) - 1n);
const key = (field: number, wireType: number): Bytes => varint(BigInt(field) * 8n + BigInt(wireType));
const vField = (field: number, v: bigint | number): Bytes => [...key(field, 0), ...varint(v)];
const lenField = (field: number, payload: Bytes): Bytes => [...key(field, 2), ...varint(payload.length), ...payload];
const utf8 = (s: string): Bytes => [...new TextEncoder().encode(s)];
const strField = (field: number, s: string): Bytes => lenField(field, utf8(s));
function le(v: bigint, n: number): Bytes {
  const out: Bytes = [];
  for (let i = 0; i < n; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}
const f64Field = (field: number, v: bigint): Bytes => [...key(field, 1), ...le(v, 8)];
const f32Field = (field: number, v: bigint): Bytes => [...key(field, 5), ...le(v, 4)];
const packedS = (field: number, values: (number | bigint)[]): Bytes => lenField(field, values.flatMap((v) => varint(zigzag(v))));
const packedU = (field: number, values: (number | bigint)[]): Bytes => lenField(field, values.flatMap((v) => varint(v)));
const group = (field: number, inner: Bytes): Bytes => [...key(field, 3), ...inner, ...key(field, 4)];

// ---------------------------------------------------------------- building blocks
const T0 = 1_700_000_000_000_000_000n;
const VERSION = vField(1, 1);
const ID_FIELDS = [...strField(1, 'acme'), ...strField(5, '88.100.1/DEV-0001')];
const ID = lenField(2, ID_FIELDS);
const ID_EXPECT = { enterpriseId: 'acme', siteId: '', networkType: 'unspecified', segmentId: '', deviceId: '88.100.1/DEV-0001' };

/** One sample, the body of the minimal flow. */
const MIN_FLOW_HEAD = [...strField(1, 'cell-7/qfi-5'), ...f64Field(3, T0), ...vField(4, 100)];
const MIN_FLOW_COLUMNS = [...packedS(5, [0]), ...packedS(6, [0]), ...packedS(7, [250_000]), ...packedU(8, [64]), ...packedU(9, [3])];
const MIN_FLOW = [...MIN_FLOW_HEAD, ...MIN_FLOW_COLUMNS];
const MIN_BATCH = [...VERSION, ...ID, ...lenField(3, MIN_FLOW)];

interface FlowExpect {
  flowId: string;
  seqBits: number;
  count: number;
  baseSendNs: string;
  seq: number[];
  sendOffsetNs: number[];
  delayNs: number[];
  sizeBytes: number[];
  flags: number[];
  transferIntervalNs: number;
  maxLatencyNs: number;
  survivalTimeNs: number;
}

function flowExpect(f: Partial<FlowExpect> & { seq: number[] }): FlowExpect {
  return {
    flowId: 'cell-7/qfi-5', seqBits: 32, baseSendNs: T0.toString(), sendOffsetNs: [], delayNs: [], sizeBytes: [], flags: [],
    transferIntervalNs: 0, maxLatencyNs: 0, survivalTimeNs: 0, ...f, count: f.seq.length,
  };
}
const MIN_FLOW_EXPECT = flowExpect({ seq: [100], sendOffsetNs: [0], delayNs: [250_000], sizeBytes: [64], flags: [3] });

function okBatch(flows: FlowExpect[], extra: { identity?: object; createdNs?: string } = {}): Expect {
  return {
    outcome: 'ok',
    batch: {
      schemaVersion: 1,
      identity: extra.identity ?? ID_EXPECT,
      createdNs: extra.createdNs ?? '0',
      flows,
      sampleCount: flows.reduce((n, f) => n + f.count, 0),
    },
  };
}
const MIN_EXPECT = okBatch([MIN_FLOW_EXPECT]);

type Expect = { outcome: 'ok'; batch: object } | { outcome: 'error'; code: string };
const err = (code: string): Expect => ({ outcome: 'error', code: `ISO_WIRE_${code}` });

export interface Vector {
  name: string;
  description: string;
  bytes: Uint8Array;
  /** Overrides of the default decoder limits for this vector. */
  limits?: Record<string, number>;
  expect: Expect;
  /** Present only where protobufjs is known to decide differently, with the reason. */
  protobufjs?: { outcome: 'ok' | 'error'; why: string };
}

/** Columns of a flow with samples given as (seqDelta, sendDelta, delay, size, flags). */
function columns(rows: [number | bigint, number | bigint, number | bigint, number, number][]): Bytes {
  return [
    ...packedS(5, rows.map((r) => r[0])), ...packedS(6, rows.map((r) => r[1])), ...packedS(7, rows.map((r) => r[2])),
    ...packedU(8, rows.map((r) => r[3])), ...packedU(9, rows.map((r) => r[4])),
  ];
}
const batchWithFlow = (flowBody: Bytes): Bytes => [...VERSION, ...ID, ...lenField(3, flowBody)];

// Unknown fields of every wire type (varint, i64, len, group with nested content, i32).
const UNKNOWN_ALL: Bytes = [
  ...vField(100, 123_456_789_012n), ...f64Field(101, 0xdead_beef_cafe_f00dn), ...lenField(102, [0xff, 0xfe, 0x00, 0x80]),
  ...group(103, [...vField(1, 5), ...lenField(2, [1, 2, 3]), ...group(4, [...f32Field(9, 7n)]), ...f64Field(3, 1n)]),
  ...f32Field(104, 0x1234_5678n), ...vField(536_870_911, 1), // the largest field number
];

function nestedGroups(depth: number): Bytes {
  let inner: Bytes = [];
  for (let i = 0; i < depth; i++) inner = group(200, inner);
  return inner;
}

// ---------------------------------------------------------------- the vectors
export function buildVectors(): Vector[] {
  const v: Vector[] = [];
  const add = (name: string, description: string, bytes: Bytes, expect: Expect, extra: Partial<Vector> = {}): void => {
    v.push({ name, description, bytes: Uint8Array.from(bytes), expect, ...extra });
  };

  // ---- valid batches
  add('minimal', 'one flow with one sample; identity with only the required strings', MIN_BATCH, MIN_EXPECT);
  add('no-flows', 'a batch without flows is valid (a heartbeat)', [...VERSION, ...ID], okBatch([]));
  add('empty-flow', 'a flow without samples', batchWithFlow([...strField(1, 'idle'), ...f64Field(3, T0)]), okBatch([flowExpect({ flowId: 'idle', seq: [] })]));
  add(
    'multi-flow',
    'full identity, created_ns, three flows with requirement parameters and periodic 1 ms traffic',
    [
      ...VERSION,
      ...lenField(2, [...strField(1, 'acme'), ...strField(2, 'plant-3'), ...vField(3, 2), ...strField(4, 'tsn-domain-a'), ...strField(5, '88.100.1/PLC-42')]),
      ...lenField(3, [
        ...strField(1, 'stream-1'), ...f64Field(3, T0), ...vField(4, 1000),
        ...columns([[0, 0, 120_000, 128, 3], [1, 1_000_000, 118_500, 128, 3], [2, 2_000_000, 0, 128, 0], [1, 1_000_000, 121_250, 128, 3]]),
        ...vField(10, 1_000_000), ...vField(11, 2_000_000), ...vField(12, 3_000_000),
      ]),
      ...lenField(3, [
        ...strField(1, 'stream-2'), ...f64Field(3, T0 + 500_000n), ...vField(4, 7),
        ...columns([[0, 0, 95_000, 64, 3], [1, 1_000_000, 96_000, 64, 7]]),
        ...vField(11, 500_000),
      ]),
      ...lenField(3, [...strField(1, 'stream-3'), ...f64Field(3, T0), ...columns([[5, 250, 1, 1500, 1]])]),
      ...f64Field(4, T0 + 10_000_000n),
    ],
    okBatch(
      [
        flowExpect({
          flowId: 'stream-1', seq: [1000, 1001, 1003, 1004], sendOffsetNs: [0, 1_000_000, 3_000_000, 4_000_000],
          delayNs: [120_000, 118_500, 0, 121_250], sizeBytes: [128, 128, 128, 128], flags: [3, 3, 0, 3],
          transferIntervalNs: 1_000_000, maxLatencyNs: 2_000_000, survivalTimeNs: 3_000_000,
        }),
        flowExpect({
          flowId: 'stream-2', baseSendNs: (T0 + 500_000n).toString(), seq: [7, 8], sendOffsetNs: [0, 1_000_000],
          delayNs: [95_000, 96_000], sizeBytes: [64, 64], flags: [3, 7], maxLatencyNs: 500_000,
        }),
        flowExpect({ flowId: 'stream-3', seq: [5], sendOffsetNs: [250], delayNs: [1], sizeBytes: [1500], flags: [1] }),
      ],
      {
        identity: { enterpriseId: 'acme', siteId: 'plant-3', networkType: 'tsn', segmentId: 'tsn-domain-a', deviceId: '88.100.1/PLC-42' },
        createdNs: (T0 + 10_000_000n).toString(),
      },
    ),
  );
  add(
    'seq-wrap-16',
    '16-bit sequence numbers wrap forwards and backwards; a delta of +65537 is taken mod 2^16',
    batchWithFlow([...strField(1, 'rtp'), ...vField(2, 16), ...f64Field(3, T0), ...vField(4, 65_534),
      ...columns([[0, 0, 10, 60, 1], [1, 10, 10, 60, 1], [1, 10, 10, 60, 1], [1, 10, 10, 60, 1], [-1, 10, 10, 60, 1], [65_537, 10, 10, 60, 1]])]),
    okBatch([flowExpect({
      flowId: 'rtp', seqBits: 16, seq: [65_534, 65_535, 0, 1, 0, 1], sendOffsetNs: [0, 10, 20, 30, 40, 50],
      delayNs: [10, 10, 10, 10, 10, 10], sizeBytes: [60, 60, 60, 60, 60, 60], flags: [1, 1, 1, 1, 1, 1],
    })]),
  );
  add(
    'seq-wrap-32',
    '32-bit wrap with seq_bits absent (0 means 32) and explicit 32; a delta of 2^32 + 3',
    [...VERSION, ...ID,
      ...lenField(3, [...strField(1, 'a'), ...f64Field(3, T0), ...vField(4, 4_294_967_294),
        ...columns([[1, 0, 5, 100, 1], [1, 1, 5, 100, 1], [1, 1, 5, 100, 1], [-2, 1, 5, 100, 1], [4_294_967_299, 1, 5, 100, 1]])]),
      ...lenField(3, [...strField(1, 'b'), ...vField(2, 32), ...f64Field(3, T0), ...vField(4, 4_294_967_295), ...columns([[1, 0, 5, 100, 1]])])],
    okBatch([
      flowExpect({ flowId: 'a', seq: [4_294_967_295, 0, 1, 4_294_967_295, 2], sendOffsetNs: [0, 1, 2, 3, 4], delayNs: [5, 5, 5, 5, 5], sizeBytes: [100, 100, 100, 100, 100], flags: [1, 1, 1, 1, 1] }),
      flowExpect({ flowId: 'b', seq: [0], sendOffsetNs: [0], delayNs: [5], sizeBytes: [100], flags: [1] }),
    ]),
  );
  add(
    'negative-values',
    'negative delays (clocks not synchronised), send times going backwards (arrival order), a lost packet',
    batchWithFlow([...strField(1, 'wifi'), ...f64Field(3, T0), ...vField(4, 10),
      ...columns([[0, 0, -1500, 200, 1], [1, 1000, -1, 200, 1], [1, -500, 0, 0, 0], [1, 2000, 37, 200, 5]])]),
    okBatch([flowExpect({ flowId: 'wifi', seq: [10, 11, 12, 13], sendOffsetNs: [0, 1000, 500, 2500], delayNs: [-1500, -1, 0, 37], sizeBytes: [200, 200, 0, 200], flags: [1, 1, 0, 5] })]),
  );
  add(
    'extreme-values',
    'seq deltas of +-(2^53 - 1) (exact mod 2^32), delay at +-maxAbsDelayNs, span at +maxBatchSpanNs, size at maxPacketBytes, large requirement',
    batchWithFlow([...strField(1, 'x'), ...f64Field(3, T0),
      ...columns([
        [9_007_199_254_740_991n, 0, 86_400_000_000_000, 65_535, 7],
        [-9_007_199_254_740_991n, 3_600_000_000_000, -86_400_000_000_000, 0, 0],
      ]),
      ...vField(12, 86_400_000_000_000)]),
    okBatch([flowExpect({
      flowId: 'x', seq: [4_294_967_295, 0], sendOffsetNs: [0, 3_600_000_000_000], delayNs: [86_400_000_000_000, -86_400_000_000_000],
      sizeBytes: [65_535, 0], flags: [7, 0], survivalTimeNs: 86_400_000_000_000,
    })]),
  );
  add('unknown-fields-top-level', 'unknown fields of every wire type around the known top-level fields',
    [...UNKNOWN_ALL, ...VERSION, ...UNKNOWN_ALL, ...ID, ...lenField(3, MIN_FLOW), ...UNKNOWN_ALL], MIN_EXPECT);
  add('unknown-fields-nested', 'unknown fields of every wire type inside identity and between the columns of a flow',
    [...VERSION, ...lenField(2, [...UNKNOWN_ALL, ...strField(1, 'acme'), ...UNKNOWN_ALL, ...strField(5, '88.100.1/DEV-0001')]),
      ...lenField(3, [...UNKNOWN_ALL, ...MIN_FLOW_HEAD, ...packedS(5, [0]), ...UNKNOWN_ALL, ...packedS(6, [0]), ...packedS(7, [250_000]), ...UNKNOWN_ALL,
        ...packedU(8, [64]), ...packedU(9, [3]), ...UNKNOWN_ALL])],
    MIN_EXPECT);
  add('known-field-wrong-wire-type', 'a known field number with an unexpected wire type is skipped as unknown (as protobuf C++ and protobufjs do)',
    [...VERSION, ...f32Field(1, 2n), ...lenField(1, [2]), ...ID, ...lenField(3, [...MIN_FLOW, ...lenField(2, [16]), ...f32Field(4, 9n), ...f64Field(5, 1n)]),
      ...vField(3, 1), ...vField(4, 5)],
    MIN_EXPECT);
  add('unpacked-columns', 'every column in unpacked form (one tag per element), interleaved across columns',
    batchWithFlow([...MIN_FLOW_HEAD,
      ...vField(5, zigzag(0)), ...vField(6, zigzag(0)), ...vField(7, zigzag(250_000)), ...vField(8, 64), ...vField(9, 3),
      ...vField(9, 1), ...vField(8, 1500), ...vField(7, zigzag(-7)), ...vField(6, zigzag(1000)), ...vField(5, zigzag(1))]),
    okBatch([flowExpect({ seq: [100, 101], sendOffsetNs: [0, 1000], delayNs: [250_000, -7], sizeBytes: [64, 1500], flags: [3, 1] })]));
  add('split-columns', 'columns split into several packed chunks and unpacked elements are concatenated in order',
    batchWithFlow([...MIN_FLOW_HEAD,
      ...packedS(5, [0, 1]), ...vField(5, zigzag(1)), ...packedS(5, [2]), ...packedS(5, []),
      ...packedS(6, [0]), ...packedS(6, [10, 10, 10]),
      ...packedS(7, [1, 2, 3, 4]),
      ...vField(8, 9), ...vField(8, 8), ...packedU(8, [7, 6]),
      ...packedU(9, [1]), ...packedU(9, [1]), ...packedU(9, [1]), ...vField(9, 1)]),
    okBatch([flowExpect({ seq: [100, 101, 102, 104], sendOffsetNs: [0, 10, 20, 30], delayNs: [1, 2, 3, 4], sizeBytes: [9, 8, 7, 6], flags: [1, 1, 1, 1] })]));
  add('last-one-wins', 'repeated scalar fields keep the last value; two identity messages merge field by field',
    [...vField(1, 7), ...VERSION,
      ...lenField(2, [...strField(1, 'old'), ...strField(5, 'dev-old'), ...vField(3, 1)]),
      ...lenField(2, [...strField(1, 'acme'), ...strField(2, 'site-9')]),
      ...lenField(3, [...strField(1, 'first'), ...f64Field(3, 5n), ...vField(4, 1), ...vField(2, 16), ...MIN_FLOW_HEAD, ...vField(2, 32), ...MIN_FLOW_COLUMNS]),
      ...f64Field(4, 1n), ...f64Field(4, 2n)],
    okBatch([MIN_FLOW_EXPECT], { identity: { ...ID_EXPECT, deviceId: 'dev-old', siteId: 'site-9', networkType: '5g' }, createdNs: '2' }));
  add('non-canonical-varints', 'varints padded with redundant continuation bytes (tag, length, values) decode as their value',
    [...paddedVarint(8, 2), ...paddedVarint(1, 3), // schema_version = 1 with a padded tag and value
      ...key(2, 2), ...paddedVarint(ID_FIELDS.length, 5), ...ID_FIELDS, // a 5-byte length prefix
      ...lenField(3, [...MIN_FLOW_HEAD, ...packedS(5, [0]), ...packedS(6, [0]), ...lenField(7, paddedVarint(zigzag(250_000), 6)),
        ...packedU(8, [64]), ...lenField(9, paddedVarint(3, 10))])],
    MIN_EXPECT);
  add('utf8-strings', 'non-ASCII ids; a leading byte-order mark is kept as data',
    [...VERSION, ...lenField(2, [...strField(1, '\uFEFFacme'), ...strField(5, '设备/Ω-\u{1F680}')]), ...lenField(3, [...strField(1, 'ströme'), ...MIN_FLOW.slice(strField(1, 'cell-7/qfi-5').length)])],
    okBatch([{ ...MIN_FLOW_EXPECT, flowId: 'ströme' }], { identity: { ...ID_EXPECT, enterpriseId: '\uFEFFacme', deviceId: '设备/Ω-\u{1F680}' } }));
  add('invalid-utf8-in-unknown-field', 'bytes of an unknown length-delimited field are not checked as UTF-8',
    [...MIN_BATCH, ...lenField(99, [0xc3, 0x28, 0xff])], MIN_EXPECT);
  add('groups-nested-101', 'unknown groups nested 101 deep at top level: the deepest protobufjs (and protoc) accept',
    [...MIN_BATCH, ...nestedGroups(101)], MIN_EXPECT);
  add('string-at-limit', 'device_id of exactly maxStringBytes (256) bytes',
    [...VERSION, ...lenField(2, [...strField(1, 'acme'), ...strField(5, 'd'.repeat(256))]), ...lenField(3, MIN_FLOW)],
    okBatch([MIN_FLOW_EXPECT], { identity: { ...ID_EXPECT, deviceId: 'd'.repeat(256) } }));

  // ---- truncated input
  add('truncated-empty-input', 'zero bytes: a message with every field absent, so schema_version is missing', [], err('BAD_VERSION'));
  add('truncated-in-tag', 'ends inside a two-byte tag', [...MIN_BATCH, ...key(2000, 0).slice(0, 1)], err('TRUNCATED'));
  add('truncated-in-varint', 'ends inside a varint value', [...MIN_BATCH, ...key(1, 0), 0x81], err('TRUNCATED'));
  add('truncated-in-length-prefix', 'ends inside the length prefix of a flow', [...MIN_BATCH, ...key(3, 2), 0x80], err('TRUNCATED'));
  add('truncated-in-fixed64', 'ends three bytes into created_ns', [...MIN_BATCH, ...key(4, 1), 1, 2, 3], err('TRUNCATED'));
  add('truncated-in-fixed32', 'ends two bytes into an unknown fixed32', [...MIN_BATCH, ...key(50, 5), 1, 2], err('TRUNCATED'));
  add('truncated-in-flow', 'the batch stops in the middle of a flow message', MIN_BATCH.slice(0, MIN_BATCH.length - 6), err('TRUNCATED'));
  add('truncated-in-string', 'a string inside identity claims more bytes than the identity message holds',
    [...VERSION, ...lenField(2, [...key(1, 2), 10, ...utf8('acme')]), ...utf8('......')], err('TRUNCATED'));
  add('truncated-packed-varint', 'the last varint of a packed column continues past the column',
    batchWithFlow([...MIN_FLOW_HEAD, ...packedS(5, [0]), ...packedS(6, [0]), ...lenField(7, [0x80]), ...packedU(8, [64]), ...packedU(9, [3])]), err('TRUNCATED'));
  add('truncated-unterminated-group', 'a group without its end tag', [...MIN_BATCH, ...key(77, 3), ...vField(1, 1)], err('TRUNCATED'));
  add('lying-length-prefix', 'a flow length prefix of 2^31 - 1 with a few bytes left', [...VERSION, ...ID, ...key(3, 2), ...varint(0x7fff_ffff), ...MIN_FLOW], err('TRUNCATED'));
  add('lying-packed-length', 'a packed column longer than its flow message', batchWithFlow([...MIN_FLOW_HEAD, ...key(5, 2), 50, 0, 0]), err('TRUNCATED'));

  // ---- malformed encodings
  add('length-prefix-2gib', 'a length prefix of 2^31 or more (5th byte above 7)', [...MIN_BATCH, ...key(3, 2), 0x80, 0x80, 0x80, 0x80, 0x08], err('MALFORMED'));
  add('corrupt-varint-known-field', 'schema_version encoded in 11 bytes', [...key(1, 0), ...Array(10).fill(0x81), 0x00, ...ID, ...lenField(3, MIN_FLOW)], err('MALFORMED'));
  add('corrupt-varint-in-packed-column', 'an 11-byte varint inside the packed delay column',
    batchWithFlow([...MIN_FLOW_HEAD, ...packedS(5, [0]), ...packedS(6, [0]), ...lenField(7, [...Array(10).fill(0xff), 0x01]), ...packedU(8, [64]), ...packedU(9, [3])]), err('MALFORMED'));
  add('corrupt-varint-unknown-field', 'an unknown varint field encoded in 11 bytes',
    [...MIN_BATCH, ...key(100, 0), ...Array(10).fill(0x80), 0x01], err('MALFORMED'),
    { protobufjs: { outcome: 'ok', why: 'protobufjs skips unknown varints of any length; the encoding guide caps varints at 10 bytes' } });
  add('tag-over-32-bits', 'a 5-byte tag whose last byte sets bits above 2^32', [...MIN_BATCH, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00], err('MALFORMED'));
  add('field-number-zero', 'a field with number 0', [...MIN_BATCH, ...vField(0, 1)], err('MALFORMED'));
  add('field-number-zero-in-group', 'a field with number 0 inside an unknown group', [...MIN_BATCH, ...group(60, vField(0, 1))], err('MALFORMED'));
  add('wire-type-6', 'reserved wire type 6', [...MIN_BATCH, ...key(60, 6), 0], err('MALFORMED'));
  add('wire-type-7', 'reserved wire type 7 inside a flow', batchWithFlow([...MIN_FLOW, ...key(60, 7), 0]), err('MALFORMED'));
  add('stray-end-group', 'an end-group tag with no open group', [...MIN_BATCH, ...key(60, 4)], err('MALFORMED'));
  add('mismatched-end-group', 'a group closed by the end tag of another field number', [...MIN_BATCH, ...key(60, 3), ...vField(1, 1), ...key(61, 4)], err('MALFORMED'));
  add('groups-nested-102', 'unknown groups nested 102 deep: beyond the recursion limit of 100', [...MIN_BATCH, ...nestedGroups(102)], err('MALFORMED'));
  add('invalid-utf8-device-id', 'device_id holds 0xC3 0x28 (a lead byte without its continuation)',
    [...VERSION, ...lenField(2, [...strField(1, 'acme'), ...lenField(5, [0x64, 0xc3, 0x28])]), ...lenField(3, MIN_FLOW)], err('MALFORMED'));
  add('invalid-utf8-overlong', 'flow_id holds the overlong encoding 0xC0 0xAF of "/"',
    batchWithFlow([...lenField(1, [0x61, 0xc0, 0xaf]), ...MIN_FLOW.slice(strField(1, 'cell-7/qfi-5').length)]), err('MALFORMED'));
  add('invalid-utf8-surrogate', 'enterprise_id holds an encoded UTF-16 surrogate (0xED 0xA0 0x80)',
    [...VERSION, ...lenField(2, [...lenField(1, [0xed, 0xa0, 0x80]), ...strField(5, 'd')]), ...lenField(3, MIN_FLOW)], err('MALFORMED'));
  add('invalid-utf8-overwritten', 'an invalid flow_id later replaced by a valid one still fails: every occurrence is decoded',
    batchWithFlow([...lenField(1, [0xff]), ...MIN_FLOW]), err('MALFORMED'));

  // ---- version
  add('bad-version-2', 'schema_version 2', [...vField(1, 2), ...ID, ...lenField(3, MIN_FLOW)], err('BAD_VERSION'));
  add('bad-version-missing', 'schema_version absent', [...ID, ...lenField(3, MIN_FLOW)], err('BAD_VERSION'));
  add('bad-version-zero', 'schema_version explicitly 0', [...vField(1, 0), ...ID, ...lenField(3, MIN_FLOW)], err('BAD_VERSION'));

  // ---- rules of the format
  add('mismatched-column-lengths', 'delay_ns has one value fewer than the other columns',
    batchWithFlow([...MIN_FLOW_HEAD, ...packedS(5, [0, 1]), ...packedS(6, [0, 1]), ...packedS(7, [5]), ...packedU(8, [64, 64]), ...packedU(9, [3, 3])]), err('INVALID'));
  add('missing-column', 'flags absent while the other columns have one value',
    batchWithFlow([...MIN_FLOW_HEAD, ...packedS(5, [0]), ...packedS(6, [0]), ...packedS(7, [5]), ...packedU(8, [64])]), err('INVALID'));
  add('seq-bits-8', 'seq_bits 8 is not a supported width', batchWithFlow([...MIN_FLOW, ...vField(2, 8)]), err('INVALID'));
  add('identity-missing', 'no identity message', [...VERSION, ...lenField(3, MIN_FLOW)], err('INVALID'));
  add('enterprise-id-empty', 'identity without enterprise_id', [...VERSION, ...lenField(2, strField(5, 'd')), ...lenField(3, MIN_FLOW)], err('INVALID'));
  add('device-id-empty', 'identity with device_id explicitly empty', [...VERSION, ...lenField(2, [...strField(1, 'acme'), ...lenField(5, [])]), ...lenField(3, MIN_FLOW)], err('INVALID'));
  add('flow-id-empty', 'a flow without flow_id', batchWithFlow(MIN_FLOW.slice(strField(1, 'cell-7/qfi-5').length)), err('INVALID'));
  add('network-type-unknown', 'network_type 5 is not in the v1 enum', [...VERSION, ...lenField(2, [...ID_FIELDS, ...vField(3, 5)]), ...lenField(3, MIN_FLOW)], err('INVALID'));
  add('network-type-negative', 'network_type -1 (10-byte varint)', [...VERSION, ...lenField(2, [...ID_FIELDS, ...vField(3, -1)]), ...lenField(3, MIN_FLOW)], err('INVALID'));
  add('flags-unknown-bit', 'flags value 8 sets an undefined bit', batchWithFlow([...MIN_FLOW_HEAD, ...columns([[0, 0, 5, 64, 8]])]), err('INVALID'));
  add('delay-too-large', 'delay_ns one above maxAbsDelayNs (1 day)', batchWithFlow([...MIN_FLOW_HEAD, ...columns([[0, 0, 86_400_000_000_001, 64, 3]])]), err('INVALID'));
  add('delay-too-negative', 'delay_ns one below -maxAbsDelayNs', batchWithFlow([...MIN_FLOW_HEAD, ...columns([[0, 0, -86_400_000_000_001, 64, 3]])]), err('INVALID'));
  add('size-too-large', 'size_bytes 65536, above maxPacketBytes', batchWithFlow([...MIN_FLOW_HEAD, ...columns([[0, 0, 5, 65_536, 3]])]), err('INVALID'));
  add('span-too-large', 'send times spread over more than maxBatchSpanNs (1 hour)',
    batchWithFlow([...MIN_FLOW_HEAD, ...columns([[0, 0, 5, 64, 3], [1, 3_600_000_000_001, 5, 64, 3]])]), err('INVALID'));
  add('span-too-large-backwards', 'a send time more than maxBatchSpanNs before base_send_ns',
    batchWithFlow([...MIN_FLOW_HEAD, ...columns([[0, -3_600_000_000_001, 5, 64, 3]])]), err('INVALID'));
  add('delta-beyond-safe-integer', 'seq_delta of 2^53 cannot be held exactly in a Number',
    batchWithFlow([...MIN_FLOW_HEAD, ...columns([[9_007_199_254_740_992n, 0, 5, 64, 3]])]), err('INVALID'));
  add('delay-int64-min', 'delay_ns of -2^63', batchWithFlow([...MIN_FLOW_HEAD, ...columns([[0, 0, -(2n ** 63n), 64, 3]])]), err('INVALID'));
  add('send-time-before-epoch', 'base_send_ns 100 with a first delta of -200', batchWithFlow([...strField(1, 'f'), ...f64Field(3, 100n), ...columns([[0, -200, 5, 64, 3]])]), err('INVALID'));
  add('send-time-beyond-uint64', 'base_send_ns 2^64 - 1 with a delta of +1', batchWithFlow([...strField(1, 'f'), ...f64Field(3, 2n ** 64n - 1n), ...columns([[0, 1, 5, 64, 3]])]), err('INVALID'));
  add('requirement-too-large', 'max_latency_ns above maxRequirementNs (1 day)', batchWithFlow([...MIN_FLOW, ...vField(11, 86_400_000_000_001)]), err('INVALID'));
  add('requirement-uint64-max', 'survival_time_ns of 2^64 - 1', batchWithFlow([...MIN_FLOW, ...vField(12, 2n ** 64n - 1n)]), err('INVALID'));

  // ---- limits
  add('oversize-string', 'device_id of 257 bytes, over maxStringBytes', [...VERSION, ...lenField(2, [...strField(1, 'acme'), ...strField(5, 'd'.repeat(257))]), ...lenField(3, MIN_FLOW)], err('STRING_TOO_LONG'));
  add('oversize-flow-id', 'flow_id of 300 bytes', batchWithFlow([...strField(1, 'f'.repeat(300)), ...MIN_FLOW.slice(strField(1, 'cell-7/qfi-5').length)]), err('STRING_TOO_LONG'));
  add('oversize-batch-bytes', 'a batch above maxBatchBytes (lowered to 32 for this vector)', MIN_BATCH, err('TOO_LARGE'), { limits: { maxBatchBytes: 32 } });
  add('too-many-flows', 'three flows with maxFlowsPerBatch lowered to 2', [...VERSION, ...ID, ...lenField(3, MIN_FLOW), ...lenField(3, MIN_FLOW), ...lenField(3, MIN_FLOW)], err('TOO_MANY_FLOWS'), { limits: { maxFlowsPerBatch: 2 } });
  add('too-many-samples', 'two flows of three samples with maxSamplesPerBatch lowered to 5',
    [...VERSION, ...ID, ...lenField(3, [...MIN_FLOW_HEAD, ...columns([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]])]), ...lenField(3, [...MIN_FLOW_HEAD, ...columns([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]])])],
    err('TOO_MANY_SAMPLES'), { limits: { maxSamplesPerBatch: 5 } });
  return v;
}

// ---------------------------------------------------------------- files
export const TESTDATA_DIR = dirname(fileURLToPath(import.meta.url));

export function manifestOf(vectors: Vector[]): string {
  const entries = vectors.map((x) => ({
    name: x.name,
    file: `${x.name}.bin`,
    description: x.description,
    ...(x.limits ? { limits: x.limits } : {}),
    expect: x.expect,
    ...(x.protobufjs ? { protobufjs: x.protobufjs } : {}),
  }));
  const doc = {
    about: 'isochron.telemetry.v1.TelemetryBatch test vectors; generated by proto/testdata/generate.ts. '
      + 'expect.batch is the decoded DecodedBatch with 64-bit values (baseSendNs, createdNs) as decimal strings. '
      + 'limits overrides the decoder defaults for one vector. protobufjs, when present, is the known outcome of the generated protobufjs decoder where it differs.',
    vectors: entries,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function writeVectors(dir: string = TESTDATA_DIR): void {
  const vectors = buildVectors();
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith('.bin')) rmSync(join(dir, name));
  for (const x of vectors) writeFileSync(join(dir, `${x.name}.bin`), x.bytes);
  writeFileSync(join(dir, 'manifest.json'), manifestOf(vectors));
  console.log(`wrote ${vectors.length} vectors and manifest.json to ${dir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) writeVectors();
