import { describe, expect, it } from 'vitest';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { matchTwoTap, parseTapCsv } from './two-tap-csv.ts';

const hexSeq = (n: number) => Buffer.from(`${n}\n`, 'latin1').toString('hex');
const csv = (rows: [bigint | string, number | string][]) => rows.map(([t, s]) => `${t},${typeof s === 'number' ? hexSeq(s) : s}`).join('\n') + '\n';

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('parseTapCsv', () => {
  it('reads timestamps exactly and the ASCII sequence number from the hex payload', () => {
    const r = parseTapCsv('1697454383445083130,310a\n1697454383547682990,313030300a\r\n\n', 'up.csv');
    expect(r.count).toBe(2);
    expect([...r.timeNs]).toEqual([1697454383445083130n, 1697454383547682990n]);
    expect([...r.seq]).toEqual([1, 1000]);
    expect([...r.payloadBytes]).toEqual([2, 5]);
    expect([...r.line]).toEqual([1, 2]);
  });

  it('names the file, line and field of a malformed record', () => {
    const cases: [string, RegExp][] = [
      ['timestamp_ns,payload\n', /up\.csv line 1: timestamp_ns: .*must not have a header line/],
      ['100,310a\n200\n', /up\.csv line 2: record: expected 2 comma-separated fields/],
      ['100,310a\n200,31,0a\n', /line 2: record: expected 2 comma-separated fields .* found 3/],
      ['100,310a\n-5,320a\n', /line 2: timestamp_ns: '-5' is not a positive integer/],
      ['100,310a\n1.5e9,320a\n', /line 2: timestamp_ns: '1\.5e9'/],
      ['100,310a\n99999999999999999999,320a\n', /line 2: timestamp_ns/],
      ['100,310\n', /line 1: payload: '310' is not an even-length hex string/],
      ['100,zz0a\n', /line 1: payload: 'zz0a' is not an even-length hex string/],
      ['100,41420a\n', /line 1: payload: decodes to "AB\\n"; expected an ASCII decimal sequence number/],
      ['100,0a\n', /line 1: payload: decodes to "\\n"/],
    ];
    for (const [text, re] of cases) {
      const e = errorOf(() => parseTapCsv(text, 'up.csv'));
      expect(e.code, text).toBe('ISO_IMPORT_INPUT_INVALID');
      expect(e.message, text).toMatch(re);
    }
  });

  it('accepts a payload without the trailing newline and an empty file', () => {
    expect([...parseTapCsv('5,3132\n', 'x').seq]).toEqual([12]);
    expect(parseTapCsv('', 'x').count).toBe(0);
  });
});

describe('matchTwoTap', () => {
  it('pairs by sequence number, orders by egress time, keeps losses as unreceived records', () => {
    // Ingress 1..5; egress: 2 overtakes 1, 3 is lost, 5 arrives twice, 9 was never sent.
    const send = parseTapCsv(csv([[1000n, 1], [2000n, 2], [3000n, 3], [4000n, 4], [5000n, 5]]), 'in.csv');
    const recv = parseTapCsv(csv([[2500n, 2], [2600n, 1], [4400n, 4], [5300n, 5], [5400n, 9], [5500n, 5]]), 'out.csv');
    const { capture: c, notes } = matchTwoTap(send, recv, { flowId: 'f' });
    const ok = FLAG_RECEIVED | FLAG_CLOCK_SYNCED;
    // Arrival order by key: recv 2500 (2), 2600 (1), lost 3 at its send time 3000, 4400, 5300, 5500.
    expect([...c.seq]).toEqual([2, 1, 3, 4, 5, 5]);
    expect([...c.sendNs]).toEqual([2000n, 1000n, 3000n, 4000n, 5000n, 5000n]);
    expect([...c.delayNs]).toEqual([500, 1600, 0, 400, 300, 500]);
    expect([...c.flags]).toEqual([ok, ok, 0, ok, ok, ok]);
    expect(notes).toMatchObject({ matchedPackets: 4, lostSends: 1, duplicateReceives: 1, unmatchedReceives: 1, duplicateSends: 0, firstUnmatchedReceiveLine: 'out.csv line 5' });
    expect(c.locate(2)).toBe('in.csv line 3');
    expect(c.locate(0)).toBe('out.csv line 1');
  });

  it('takes the first ingress copy of a repeated number, and can mark the clocks unsynchronised', () => {
    const send = parseTapCsv(csv([[1000n, 7], [1100n, 7]]), 'in');
    const recv = parseTapCsv(csv([[1500n, 7]]), 'out');
    const { capture: c, notes } = matchTwoTap(send, recv, { flowId: 'f', clockSynced: false, packetBytes: 64 });
    expect([...c.delayNs]).toEqual([500]);
    expect([...c.flags]).toEqual([FLAG_RECEIVED]);
    expect([...c.sizeBytes]).toEqual([64]);
    expect(notes).toMatchObject({ duplicateSends: 1, lostSends: 0 });
  });

  it('keeps a negative delay as it is (no clamping)', () => {
    const { capture: c } = matchTwoTap(parseTapCsv(csv([[2000n, 1]]), 'in'), parseTapCsv(csv([[1990n, 1]]), 'out'), { flowId: 'f' });
    expect([...c.delayNs]).toEqual([-10]);
  });

  it('reduces sequence numbers above 32 bits onto the wire width', () => {
    const n = 2 ** 32 + 5;
    const { capture: c } = matchTwoTap(parseTapCsv(csv([[1n, n]]), 'in'), parseTapCsv(csv([[2n, n]]), 'out'), { flowId: 'f' });
    expect([...c.seq]).toEqual([5]);
  });
});
