// Expands a panel or variable query the way Grafana and the official ClickHouse datasource
// (grafana-clickhouse-datasource) do before the SQL reaches ClickHouse, so tests can run every
// dashboard query against a real server. Three steps, in the plugin's order:
//   1. $__conditionalAll(condition, $var): the plugin's frontend (src/data/CHDatasource.ts,
//      applyConditionalAll) replaces it by `1=1` when $var's current value is '' or '$__all'
//      (the "All" option), else by the condition as written;
//   2. template variables (Grafana's templateSrv.replace with the plugin's format function):
//      $var / ${var} / ${var:format}; with no explicit format a multi-value is joined as
//      'a','b' and a single value is inserted raw; "All" without a custom all value means every
//      option; formats singlequote ('v' with \' escapes), sqlstring ('v' with '' escapes),
//      doublequote, csv, raw; unknown names (plugin macros such as $__interval_s) stay as they are;
//   3. the plugin's backend macros (pkg/macros/macros.go, applied by grafana/sqlds):
//      $__timeFilter(c)    c >= toDateTime(fromS) AND c <= toDateTime(toS)
//      $__timeFilter_ms(c) c >= fromUnixTimestamp64Milli(fromMs) AND c <= fromUnixTimestamp64Milli(toMs)
//      $__fromTime, $__toTime              toDateTime(s)
//      $__fromTime_ms, $__toTime_ms        fromUnixTimestamp64Milli(ms)
//      $__dateFilter(c)    c >= toDate('YYYY-MM-DD') AND c <= toDate('YYYY-MM-DD')
//      $__timeInterval(c)  toStartOfInterval(toDateTime(c), INTERVAL <max(interval s, 1)> second)
//      $__timeInterval_ms(c) toStartOfInterval(toDateTime64(c, 3), INTERVAL <max(ms, 1)> millisecond)
//      $__interval_s       max(interval s, 1), truncated to an integer
// The _ms macros, $__timeInterval and $__timeInterval_ms need functions ClickHouse 18.16 lacks
// (toStartOfInterval, toDateTime64, fromUnixTimestamp64Milli): dashboards use $__timeFilter
// and $__interval_s only (ARCHITECTURE.md, portable subset); the expander still knows all of
// them so a query that uses one fails the integration test on the 18.16 server, not silently.
// Macro arguments must be plain column names: sqlds versions differ in how they split nested
// parentheses, so the expander refuses anything else rather than guess.

export interface VariableValue {
  /** The selected value(s); '$__all' selects "All". */
  readonly current: string | readonly string[];
  /** Every option the variable offers (what "All" expands to). */
  readonly options?: readonly string[];
  /** A custom all value, inserted unformatted when "All" is selected. */
  readonly allValue?: string;
}

export interface ExpandContext {
  readonly fromMs: number;
  readonly toMs: number;
  /** Grafana's computed interval for the panel, in ms. */
  readonly intervalMs: number;
  readonly variables: Readonly<Record<string, VariableValue>>;
}

export const ALL = '$__all';

const isAll = (v: VariableValue) => v.current === ALL || (Array.isArray(v.current) && v.current.length === 1 && v.current[0] === ALL);

/** Step 1: the plugin's applyConditionalAll. */
export function applyConditionalAll(sql: string, variables: ExpandContext['variables']): string {
  const macro = '$__conditionalAll(';
  let at = sql.lastIndexOf(macro);
  while (at !== -1) {
    const args = macroArgs(sql, at + macro.length - 1);
    if (args === undefined || args.args.length !== 2) throw new Error(`$__conditionalAll needs two arguments: ${sql.slice(at, at + 80)}`);
    const name = /\$\{(\w+)\}|\$(\w+)/.exec(args.args[1].trim());
    let phrase = args.args[0];
    if (name) {
      const v = variables[name[1] ?? name[2]];
      if (v === undefined) throw new Error(`$__conditionalAll names an unknown variable: ${args.args[1]}`);
      const value = Array.isArray(v.current) ? v.current.join(',') : v.current;
      if (value === '' || isAll(v)) phrase = '1=1';
    }
    sql = sql.slice(0, at) + phrase + sql.slice(args.end);
    at = sql.lastIndexOf(macro);
  }
  return sql;
}

/** Arguments of the macro whose '(' is at `open`, split at top-level commas; end is past ')'. */
function macroArgs(sql: string, open: number): { args: string[]; end: number } | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        args.push(sql.slice(start, i));
        return { args, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      args.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}

function formatValue(values: readonly string[], multi: boolean, format: string | undefined): string {
  switch (format) {
    case undefined:
      // The plugin's format(): arrays become 'a','b' (no escaping), scalars stay raw.
      return multi ? `'${values.join("','")}'` : values[0];
    case 'raw':
      return values.join(',');
    case 'csv':
      return values.join(',');
    case 'singlequote':
      return values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(',');
    case 'doublequote':
      return values.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(',');
    case 'sqlstring':
      return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
    default:
      throw new Error(`variable format ${format} is not supported by the expander`);
  }
}

/** Step 2: Grafana's template variables (and its global $__from / $__to / $__interval_ms). */
export function replaceVariables(sql: string, ctx: ExpandContext): string {
  const globals: Record<string, string> = {
    __from: String(ctx.fromMs),
    __to: String(ctx.toMs),
    __interval_ms: String(ctx.intervalMs),
  };
  return sql.replace(/\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g, (whole, bracedName?: string, format?: string, bareName?: string) => {
    const name = bracedName ?? bareName!;
    if (name in globals) return globals[name];
    const v = ctx.variables[name];
    if (v === undefined) {
      if (name.startsWith('__')) return whole; // a plugin macro, expanded in step 3
      throw new Error(`query uses an unknown variable $${name}`);
    }
    if (isAll(v)) {
      if (v.allValue !== undefined) return v.allValue;
      if (!v.options || v.options.length === 0) throw new Error(`variable ${name} is "All" but has no options`);
      return formatValue(v.options, true, format);
    }
    const values = Array.isArray(v.current) ? v.current : [v.current as string];
    return formatValue(values, Array.isArray(v.current), format);
  });
}

const dateTime = (ms: number) => `toDateTime(${Math.floor(ms / 1000)})`;
const dateTime64 = (ms: number) => `fromUnixTimestamp64Milli(${Math.trunc(ms)})`;
const date = (ms: number) => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`;

/** Step 3: the plugin's backend macros. */
export function expandMacros(sql: string, ctx: Pick<ExpandContext, 'fromMs' | 'toMs' | 'intervalMs'>): string {
  const seconds = Math.trunc(Math.max(ctx.intervalMs / 1000, 1));
  const ms = Math.trunc(Math.max(ctx.intervalMs, 1));
  const column = (args: string[] | undefined, name: string) => {
    if (!args || args.length !== 1) throw new Error(`$__${name} takes one column`);
    const c = args[0].trim();
    if (!/^[A-Za-z_][\w.]*$/.test(c)) throw new Error(`$__${name}(${c}): the argument must be a plain column name`);
    return c;
  };
  const macros: Record<string, (args: string[] | undefined) => string> = {
    timeFilter: (a) => `${column(a, 'timeFilter')} >= ${dateTime(ctx.fromMs)} AND ${column(a, 'timeFilter')} <= ${dateTime(ctx.toMs)}`,
    timeFilter_ms: (a) => `${column(a, 'timeFilter_ms')} >= ${dateTime64(ctx.fromMs)} AND ${column(a, 'timeFilter_ms')} <= ${dateTime64(ctx.toMs)}`,
    dateFilter: (a) => `${column(a, 'dateFilter')} >= ${date(ctx.fromMs)} AND ${column(a, 'dateFilter')} <= ${date(ctx.toMs)}`,
    fromTime: () => dateTime(ctx.fromMs),
    toTime: () => dateTime(ctx.toMs),
    fromTime_ms: () => dateTime64(ctx.fromMs),
    toTime_ms: () => dateTime64(ctx.toMs),
    timeInterval: (a) => `toStartOfInterval(toDateTime(${column(a, 'timeInterval')}), INTERVAL ${seconds} second)`,
    timeInterval_ms: (a) => `toStartOfInterval(toDateTime64(${column(a, 'timeInterval_ms')}, 3), INTERVAL ${ms} millisecond)`,
    interval_s: () => String(seconds),
  };
  let out = '';
  let i = 0;
  const re = /\$__(\w+)/g;
  for (let m = re.exec(sql); m !== null; m = re.exec(sql)) {
    const name = m[1];
    const fn = macros[name];
    if (!fn) throw new Error(`unknown macro $__${name}`);
    let end = m.index + m[0].length;
    let args: string[] | undefined;
    if (sql[end] === '(') {
      const parsed = macroArgs(sql, end);
      if (!parsed) throw new Error(`unclosed macro $__${name}`);
      args = parsed.args;
      end = parsed.end;
    }
    out += sql.slice(i, m.index) + fn(args);
    i = end;
    re.lastIndex = end;
  }
  return out + sql.slice(i);
}

/** The SQL ClickHouse receives for a panel or variable query. */
export function expandQuery(sql: string, ctx: ExpandContext): string {
  return expandMacros(replaceVariables(applyConditionalAll(sql, ctx.variables), ctx), ctx);
}
