import { describe, expect, it } from 'vitest';
import { IsochronError } from '../errors.ts';
import { isValidIdentifierPrefix, parseDeviceIdentifier } from './identifier.ts';

function problem(id: string): string {
  try {
    parseDeviceIdentifier(id);
  } catch (e) {
    expect(e).toBeInstanceOf(IsochronError);
    expect((e as IsochronError).code).toBe('ISO_IDENTIFIER_INVALID');
    expect((e as IsochronError).httpStatus).toBe(400);
    return (e as Error).message;
  }
  throw new Error(`accepted ${id}`);
}

describe('device identifiers <prefix>/<suffix>', () => {
  it('splits valid identifiers at the first "/"', () => {
    expect(parseDeviceIdentifier('88.100.1/DEV-0001')).toEqual({ prefix: '88.100.1', suffix: 'DEV-0001' });
    expect(parseDeviceIdentifier('86.0/a')).toEqual({ prefix: '86.0', suffix: 'a' });
    expect(parseDeviceIdentifier('88.118.8.1/plc_7:port.2')).toEqual({ prefix: '88.118.8.1', suffix: 'plc_7:port.2' });
    expect(parseDeviceIdentifier(`1.2/${'x'.repeat(128)}`).suffix.length).toBe(128);
    expect(parseDeviceIdentifier('1.2.3.4.5.6.7.8/d').prefix).toBe('1.2.3.4.5.6.7.8');
    expect(parseDeviceIdentifier('4294967295.9999999999/d').prefix).toBe('4294967295.9999999999');
  });

  it('names what is wrong', () => {
    expect(problem('')).toMatch(/empty/);
    expect(problem('DEV-0001')).toMatch(/no "\/"/);
    expect(problem('/DEV-1')).toMatch(/prefix before "\/" is empty/);
    expect(problem('88/DEV-1')).toMatch(/at least 2/);
    expect(problem('88..1/DEV-1')).toMatch(/segment 2 is empty/);
    expect(problem('88.100.01/DEV-1')).toMatch(/segment 3 "01" has a leading zero/);
    expect(problem('88.a1/DEV-1')).toMatch(/segment 2 "a1" is not decimal/);
    expect(problem('88.12345678901/DEV-1')).toMatch(/more than 10 digits/);
    expect(problem('1.2.3.4.5.6.7.8.9/d')).toMatch(/9 segments, over 8/);
    expect(problem('88.100.1/')).toMatch(/suffix after "\/" is empty/);
    expect(problem(`88.100.1/${'x'.repeat(129)}`)).toMatch(/129 characters, over 128/);
    expect(problem('88.100.1/DEV 1')).toMatch(/contains " "/);
    expect(problem('88.100.1/a/b')).toMatch(/contains "\/"/);
    expect(problem('88.100.1/gerät')).toMatch(/contains "ä"/);
  });

  it('checks prefixes alone', () => {
    for (const p of ['88.100', '88.100.1', '0.0', '1.2.3.4.5.6.7.8']) expect(isValidIdentifierPrefix(p), p).toBe(true);
    for (const p of ['', '88', '88.', '.88', '88.100.1/', '88.01', '88.x', '1.2.3.4.5.6.7.8.9', ' 88.1']) expect(isValidIdentifierPrefix(p), p).toBe(false);
  });
});

