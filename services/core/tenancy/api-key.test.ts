import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import { API_KEY_LENGTH, formatApiKey, parseApiKey } from './api-key.ts';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('API keys', () => {
  it('round-trips keys made from 8 + 32 random bytes (node:crypto)', () => {
    for (let i = 0; i < 200; i++) {
      const keyId = randomBytes(8).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      const key = formatApiKey(keyId, secret);
      expect(key).toBe(`iso_${keyId}_${secret}`);
      expect(key.length).toBe(API_KEY_LENGTH);
      expect(parseApiKey(key)).toEqual({ keyId, secret });
    }
  });

  it('accepts a 43-character secret exactly when Node decodes it to 32 bytes that re-encode to it', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      let secret = '';
      for (let j = 0; j < 43; j++) secret += B64URL[Math.floor(rnd() * 64)];
      const buf = Buffer.from(secret, 'base64url');
      const canonical = buf.length === 32 && buf.toString('base64url') === secret;
      expect(parseApiKey(`iso_0123456789abcdef_${secret}`) !== null, secret).toBe(canonical);
    }
  });

  it('rejects every other spelling', () => {
    const good = `iso_0123456789abcdef_${Buffer.alloc(32, 7).toString('base64url')}`;
    expect(parseApiKey(good)).not.toBeNull();
    const bad = [
      '',
      good.toUpperCase(),
      good.replace('iso_', 'ISO_'),
      good.replace('iso_', 'isx_'),
      good.replace('0123456789abcdef', '0123456789ABCDEF'),
      good.replace('0123456789abcdef', '0123456789abcde'),
      good.replace('0123456789abcdef', '0123456789abcdeg'),
      good + 'A',
      good.slice(0, -1),
      good.slice(0, -1) + '=',
      `iso_0123456789abcdef_+${good.slice(-42)}`,
      ` ${good}`,
      `${good}\n`,
      `iso_0123456789abcdef_${Buffer.alloc(32, 7).toString('base64')}`,
    ];
    for (const text of bad) expect(parseApiKey(text), JSON.stringify(text)).toBeNull();
  });

  it('refuses to format a key from invalid parts', () => {
    const secret = randomBytes(32).toString('base64url');
    expect(() => formatApiKey('XYZ', secret)).toThrow(/key id/);
    expect(() => formatApiKey('0123456789abcdef', 'short')).toThrow(/secret/);
  });
});
