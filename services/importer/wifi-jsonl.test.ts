import { describe, expect, it } from 'vitest';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { parseWifiJsonl } from './wifi-jsonl.ts';

const line = (recv: string, seq: unknown, send: unknown) => `{"datetime": "2022-11-18 11:29:37.270484", "timestamp": ${recv}, "payload": {"seqnum": ${JSON.stringify(seq)}, "src_timestamp_ns": ${JSON.stringify(send)}, "expid": "x"}}`;

describe('parseWifiJsonl', () => {
  it('keeps negative one-way delays as they are, flagged as clock-synchronised samples', () => {
    const text = [line('1668767377270510485', 17318, '1668767377220791906'), '', line('1668767377722909075', 17319, '1668767378895046584')].join('\n');
    const { capture: c, notes } = parseWifiJsonl(text, 'log.json', { flowId: 'w' });
    expect([...c.seq]).toEqual([17318, 17319]);
    expect([...c.delayNs]).toEqual([49718579, -1172137509]);
    expect([...c.flags]).toEqual([FLAG_RECEIVED | FLAG_CLOCK_SYNCED, FLAG_RECEIVED | FLAG_CLOCK_SYNCED]);
    expect(notes).toMatchObject({ records: 2, negativeDelays: 1, minDelayNs: -1172137509 });
    expect(c.locate(1)).toBe('log.json line 3');
  });

  it('names the line and field of a malformed record', () => {
    const cases: [string, RegExp][] = [
      [`${line('5', 1, '4')}\n{"timestamp": 5,`, /^log\.json line 2: JSON: syntax error at column 17: found end of input, expected a property name/],
      [line('5', 1.5, '4'), /log\.json line 1: payload\.seqnum: 1\.5 is not a non-negative integer/],
      [line('5', 1, 4.25), /line 1: payload\.src_timestamp_ns: 4\.25 is not a positive integer/],
      [line('"x"', 1, '4'), /line 1: timestamp: "x" is not a positive integer/],
      ['{"timestamp": 5}', /line 1: payload\.src_timestamp_ns: undefined is not a positive integer/],
    ];
    for (const [text, re] of cases) {
      let err: { code?: string; message?: string } = {};
      try {
        parseWifiJsonl(text, 'log.json', { flowId: 'w' });
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.code, text).toBe('ISO_IMPORT_INPUT_INVALID');
      expect(err.message, text).toMatch(re);
    }
  });
});
