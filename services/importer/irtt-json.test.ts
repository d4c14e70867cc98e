import { describe, expect, it } from 'vitest';
import { FLAG_CLOCK_SYNCED, FLAG_RECEIVED } from '../core/wire/batch.ts';
import { parseIrttJson } from './irtt-json.ts';
import { parseJsonExact, readExactInt } from './json-exact.ts';

const OK = FLAG_RECEIVED | FLAG_CLOCK_SYNCED;

function trip(seqno: number, send?: string, recv?: string, extra = '') {
  const s = send === undefined ? '{}' : `{"wall": ${send}, "monotonic": 1}`;
  const r = recv === undefined ? '{}' : `{"wall": ${recv}, "monotonic": 2}`;
  return `{"seqno": ${seqno}, "timestamps": {"client": {"receive": {}, "send": ${s}}, "server": {"receive": ${r}, "send": {}}, "Ecn": 0}${extra}}`;
}

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('parseJsonExact', () => {
  it('keeps integers above 2^53 exact, leaves strings and small numbers alone', () => {
    const v = parseJsonExact('{"a": 1721824020685871901, "b": -9007199254740993, "c": "1721824020685871901 , 3", "d": [12, 1.5e300, 9007199254740991]}', 'x') as Record<string, unknown>;
    expect(readExactInt(v.a)).toBe(1721824020685871901n);
    expect(readExactInt(v.b)).toBe(-9007199254740993n);
    expect(v.c).toBe('1721824020685871901 , 3');
    expect(v.d).toEqual([12, 1.5e300, 9007199254740991]);
    // JSON.parse itself would have rounded: the reason this module exists.
    expect(BigInt((JSON.parse('1721824020685871901') as number).toString())).not.toBe(1721824020685871901n);
  });

  it('handles escaped quotes inside strings', () => {
    const v = parseJsonExact('{"s": "x\\" 12345678901234567890", "n": 12345678901234567890}', 'x') as Record<string, unknown>;
    expect(v.s).toBe('x" 12345678901234567890');
    expect(readExactInt(v.n)).toBe(12345678901234567890n);
  });

  it('reports syntax errors with line and column of the original text', () => {
    const e = errorOf(() => parseJsonExact('{\n  "a": 1,\n  "b": 1721824020685871901,\n  "c": ]\n}', 'f.json'));
    expect(e.code).toBe('ISO_IMPORT_INPUT_INVALID');
    expect(e.message).toBe("f.json: JSON: syntax error at line 4, column 8: found ']', expected a value");
    expect(errorOf(() => parseJsonExact('{"a": 1', 'f.json')).message).toMatch(/line 1, column 8: found end of input, expected ',' or '}'/);
    expect(errorOf(() => parseJsonExact('[1, 2,]', 'f.json')).message).toMatch(/line 1, column 7: found '\]', expected a value/);
  });
});

describe('parseIrttJson', () => {
  it('maps nlmt oneway_trips to samples in receive order with exact ns delays', () => {
    const text = `{"stats": {"delay": {"n": 3, "min": 5, "max": 20, "mean": 11, "median": 8, "stddev": 1}, "packets_received": 3, "bytes_received": 300, "packet_loss_percent": 25},
      "oneway_trips": [
        ${trip(0, '1721824020685871901', '1721824020685871909', ', "delay": {"send": 8}, "ipdv": {}')},
        ${trip(1, '1721824020705871901', '1721824020705871921', ', "delay": {"send": 20}, "ipdv": {"send": 12}')},
        ${trip(2, '1721824020725871901', '1721824020725871906', ', "delay": {"send": 4}, "ipdv": {"send": -15}')},
        ${trip(3)}
      ]}`;
    const { capture: c, notes, toolStats } = parseIrttJson(text, 'se.json', { flowId: 'f' });
    // delay.send of seqno 2 says 4 but the wall times give 5: the wall times win, the mismatch is counted.
    expect([...c.seq]).toEqual([0, 1, 2]);
    expect([...c.sendNs]).toEqual([1721824020685871901n, 1721824020705871901n, 1721824020725871901n]);
    expect([...c.delayNs]).toEqual([8, 20, 5]);
    expect([...c.flags]).toEqual([OK, OK, OK]);
    expect([...c.sizeBytes]).toEqual([100, 100, 100]);
    expect(notes).toMatchObject({ elements: 4, receivedSamples: 3, untimedElements: 1, lostWithSendTime: 0, delayFieldMismatches: 1, packetBytes: 100 });
    expect(toolStats?.delay).toMatchObject({ n: 3, min: 5, max: 20, mean: 11, median: 8 });
    expect(toolStats?.packetLossPercent).toBe(25);
    expect(c.locate(2)).toBe('se.json oneway_trips[2]');
  });

  it('orders by receive time when packets overtake each other', () => {
    const text = `{"oneway_trips": [${trip(0, '1000', '1900')}, ${trip(1, '1100', '1500')}]}`;
    const { capture: c } = parseIrttJson(text, 'x', { flowId: 'f', clockSynced: false });
    expect([...c.seq]).toEqual([1, 0]);
    expect([...c.delayNs]).toEqual([400, 900]);
    expect([...c.flags]).toEqual([FLAG_RECEIVED, FLAG_RECEIVED]);
  });

  it('turns an irtt round trip sent but never received into an unreceived record', () => {
    const text = `{"round_trips": [${trip(0, '1000', '1300')}, ${trip(1, '2000')}, ${trip(2, '3000', '3250')}]}`;
    const { capture: c, notes, toolStats } = parseIrttJson(text, 'client.json', { flowId: 'f' });
    expect([...c.seq]).toEqual([0, 1, 2]);
    expect([...c.flags]).toEqual([OK, 0, OK]);
    expect(notes).toMatchObject({ format: 'irtt round_trips (send direction)', lostWithSendTime: 1 });
    expect(toolStats).toBeNull();
  });

  it('names the element and field of bad input', () => {
    const cases: [string, RegExp][] = [
      ['[]', /x: JSON: the top level must be an object/],
      ['{"stats": {}}', /x: oneway_trips: missing: expected an nlmt one-way file/],
      ['{"oneway_trips": {}}', /x: oneway_trips: must be an array/],
      [`{"oneway_trips": [${trip(0, '1', '2')}, 5]}`, /x oneway_trips\[1\]: element: must be an object/],
      ['{"oneway_trips": [{"seqno": -1}]}', /x oneway_trips\[0\]: seqno: -1 is not an integer/],
      ['{"oneway_trips": [{"seqno": "3"}]}', /x oneway_trips\[0\]: seqno: "3" is not an integer/],
      [`{"oneway_trips": [${trip(0, '"soon"', '2')}]}`, /oneway_trips\[0\]: timestamps\.client\.send\.wall: "soon" is not a positive integer/],
      [`{"oneway_trips": [${trip(0, '1', '2.5')}]}`, /oneway_trips\[0\]: timestamps\.server\.receive\.wall: 2\.5 is not a positive integer/],
      [`{"oneway_trips": [${trip(0, '1', '1e30')}]}`, /timestamps\.server\.receive\.wall: 1e\+30 is not a positive integer/],
    ];
    for (const [text, re] of cases) {
      const e = errorOf(() => parseIrttJson(text, 'x', { flowId: 'f' }));
      expect(e.code, text).toBe('ISO_IMPORT_INPUT_INVALID');
      expect(e.message, text).toMatch(re);
    }
  });
});
