import { describe, expect, it } from 'vitest';
import { IsochronError } from '../../core/errors.ts';
import { isStaleConnection } from './client.ts';

// The shapes Node's fetch (undici) gives when a pooled connection was closed by the server:
// TypeError('fetch failed') whose cause is a SocketError with code UND_ERR_SOCKET ("other side
// closed"), or a plain ECONNRESET from the socket.
function fetchFailure(cause: Error & { code?: string }): IsochronError {
  const fetchError = new TypeError('fetch failed', { cause });
  return new IsochronError('CLICKHOUSE_UNAVAILABLE', 'ClickHouse at x unreachable: fetch failed', {}, { cause: fetchError });
}
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isStaleConnection (the one case query() sends again)', () => {
  it('recognises a connection the server closed', () => {
    expect(isStaleConnection(fetchFailure(withCode('other side closed', 'UND_ERR_SOCKET')))).toBe(true);
    expect(isStaleConnection(fetchFailure(withCode('read ECONNRESET', 'ECONNRESET')))).toBe(true);
    expect(isStaleConnection(fetchFailure(withCode('write EPIPE', 'EPIPE')))).toBe(true);
  });

  it('does not retry a server that is down, a timeout, or an answer the server gave', () => {
    expect(isStaleConnection(fetchFailure(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')))).toBe(false);
    expect(isStaleConnection(fetchFailure(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })))).toBe(false);
    expect(isStaleConnection(new IsochronError('CLICKHOUSE_SERVER', 'ClickHouse answered 500: Code: 241', {}))).toBe(false);
    expect(isStaleConnection(new IsochronError('CLICKHOUSE_BAD_DATA', 'ClickHouse answered 400: Code: 62', {}, { cause: withCode('other side closed', 'UND_ERR_SOCKET') }))).toBe(false);
    expect(isStaleConnection(new Error('other side closed'))).toBe(false);
  });
});
