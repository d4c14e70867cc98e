// A narrow ClickHouse client over the HTTP interface, written for what both the 18.16 server
// and current releases accept: SQL in the body, database as a URL parameter, JSONEachRow in
// and out. Server errors keep the server's numeric code and are classified once, here.
import { ERRORS, IsochronError } from '../../core/errors.ts';
import { sqlIdentifier } from './literal.ts';

export interface ClickHouseConfig {
  /** e.g. http://127.0.0.1:8123 */
  readonly url: string;
  readonly database: string;
  readonly user?: string;
  readonly password?: string;
  readonly requestTimeoutMs?: number;
}

export interface ClickHouse {
  /** Runs a SELECT and returns its rows (JSONEachRow; 64-bit integers arrive as strings). */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, INSERT ... SELECT, ...). */
  command(sql: string): Promise<void>;
  /** Inserts rows as JSONEachRow. An empty row list sends no request. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** The same client on another database. */
  withDatabase(database: string): ClickHouse;
}

// ClickHouse server error codes whose cause is the request itself: retrying cannot help.
// (ErrorCodes.cpp: 6 CANNOT_PARSE_TEXT, 16 NO_SUCH_COLUMN_IN_TABLE, 26 CANNOT_PARSE_QUOTED_STRING,
// 27 CANNOT_PARSE_INPUT_ASSERTION_FAILED, 32 ATTEMPT_TO_READ_AFTER_EOF, 36 BAD_ARGUMENTS,
// 38 CANNOT_PARSE_DATE, 41 CANNOT_PARSE_DATETIME, 43 ILLEGAL_TYPE_OF_ARGUMENT, 44 ILLEGAL_COLUMN,
// 46 UNKNOWN_FUNCTION, 47 UNKNOWN_IDENTIFIER, 53 TYPE_MISMATCH, 57 TABLE_ALREADY_EXISTS,
// 60 UNKNOWN_TABLE, 62 SYNTAX_ERROR, 69 ARGUMENT_OUT_OF_BOUND, 70 CANNOT_CONVERT_TYPE,
// 81 UNKNOWN_DATABASE, 117 INCORRECT_DATA, 131 TOO_LARGE_STRING_SIZE, 179 MULTIPLE_EXPRESSIONS_FOR_ALIAS,
// 184 ILLEGAL_AGGREGATION, 215 NOT_AN_AGGREGATE, 36/42/43 argument errors.)
const BAD_DATA_CODES = new Set([6, 16, 26, 27, 32, 36, 38, 41, 42, 43, 44, 46, 47, 53, 57, 60, 62, 69, 70, 72, 81, 117, 131, 179, 184, 215]);

export function serverErrorCode(body: string): number | undefined {
  const m = /Code:\s*(\d+)/.exec(body);
  return m ? Number(m[1]) : undefined;
}

function classify(status: number, body: string): IsochronError {
  const code = serverErrorCode(body);
  const message = `ClickHouse answered ${status}: ${body.trim().slice(0, 500)}`;
  const details = { httpStatus: status, serverCode: code };
  if (code !== undefined && BAD_DATA_CODES.has(code)) return new IsochronError('CLICKHOUSE_BAD_DATA', message, details);
  if (status >= 400 && status < 500 && code === undefined) return new IsochronError('CLICKHOUSE_BAD_DATA', message, details);
  return new IsochronError('CLICKHOUSE_SERVER', message, details);
}

export function createClickHouse(config: ClickHouseConfig): ClickHouse {
  const base = config.url.replace(/\/+$/, '');
  const timeoutMs = config.requestTimeoutMs ?? 30_000;
  const headers: Record<string, string> = {};
  if (config.user) headers['X-ClickHouse-User'] = config.user;
  if (config.password) headers['X-ClickHouse-Key'] = config.password;

  async function post(sql: string, body?: string): Promise<string> {
    const params = new URLSearchParams({ database: config.database });
    let payload: string;
    if (body === undefined) payload = sql;
    else {
      params.set('query', sql);
      payload = body;
    }
    let res: Response;
    try {
      res = await fetch(`${base}/?${params.toString()}`, { method: 'POST', body: payload, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw new IsochronError('CLICKHOUSE_UNAVAILABLE', `ClickHouse at ${base} unreachable: ${(e as Error).message}`, { url: base }, { cause: e });
    }
    const text = await res.text();
    if (!res.ok) throw classify(res.status, text);
    return text;
  }

  return {
    async query<T>(sql: string): Promise<T[]> {
      const statement = `${sql.trim().replace(/;$/, '')}\nFORMAT JSONEachRow`;
      let text: string;
      try {
        text = await post(statement);
      } catch (e) {
        // A pooled keep-alive connection the server closed while it sat idle fails on first
        // use ("other side closed", ECONNRESET) before the server saw the request. A read is
        // safe to send again, once, on a new connection; writes are not retried here (their
        // callers decide, see services/worker/sink.ts).
        if (!isStaleConnection(e)) throw e;
        text = await post(statement);
      }
      const rows: T[] = [];
      for (const line of text.split('\n')) if (line.length > 0) rows.push(JSON.parse(line) as T);
      return rows;
    },
    async command(sql: string): Promise<void> {
      await post(sql);
    },
    async insert(table: string, rows: readonly object[]): Promise<void> {
      if (rows.length === 0) return;
      let body = '';
      for (const r of rows) body += JSON.stringify(r, bigintToString) + '\n';
      await post(`INSERT INTO ${sqlIdentifier(table)} FORMAT JSONEachRow`, body);
    },
    withDatabase(database: string): ClickHouse {
      return createClickHouse({ ...config, database });
    },
  };
}

/** The request failed because a reused connection was already closed by the server. */
export function isStaleConnection(e: unknown): boolean {
  if (!(e instanceof IsochronError) || e.code !== ERRORS.CLICKHOUSE_UNAVAILABLE.code) return false;
  let cause: unknown = (e as { cause?: unknown }).cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || /other side closed/.test(cause.message)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
