// The expander against the expansions the ClickHouse plugin documents (README macro table:
// $__timeFilter "time >= toDateTime(1415792726) AND time <= toDateTime(1447328726)",
// $__timeInterval "toStartOfInterval(toDateTime(column), INTERVAL 20 second)", $__interval_s "20",
// $__conditionalAll "condition or 1=1") and Grafana's documented variable formats
// (docs "Advanced variable format options": singlequote, sqlstring, doublequote, csv).
import { describe, expect, it } from 'vitest';
import { ALL, applyConditionalAll, expandMacros, expandQuery, replaceVariables, type ExpandContext } from './macros.ts';

const range = { fromMs: 1415792726_000, toMs: 1447328726_000, intervalMs: 20_000 };
const ctx = (variables: ExpandContext['variables'] = {}): ExpandContext => ({ ...range, variables });

describe('ClickHouse plugin macros', () => {
  it('expands the time macros as the plugin documents them', () => {
    expect(expandMacros('WHERE $__timeFilter(time)', range)).toBe('WHERE time >= toDateTime(1415792726) AND time <= toDateTime(1447328726)');
    expect(expandMacros('$__fromTime, $__toTime', range)).toBe('toDateTime(1415792726), toDateTime(1447328726)');
    expect(expandMacros('$__timeInterval(columnName)', range)).toBe('toStartOfInterval(toDateTime(columnName), INTERVAL 20 second)');
    expect(expandMacros('$__timeInterval_ms(columnName)', { ...range, intervalMs: 20 })).toBe('toStartOfInterval(toDateTime64(columnName, 3), INTERVAL 20 millisecond)');
    expect(expandMacros('$__interval_s', range)).toBe('20');
    expect(expandMacros('$__timeFilter_ms(t)', { ...range, fromMs: 1415792726123 })).toBe('t >= fromUnixTimestamp64Milli(1415792726123) AND t <= fromUnixTimestamp64Milli(1447328726000)');
    expect(expandMacros('$__dateFilter(d)', range)).toBe("d >= toDate('2014-11-12') AND d <= toDate('2015-11-12')");
  });

  it('never gives an interval below one second (the plugin takes max(interval, 1 s))', () => {
    expect(expandMacros('$__interval_s', { ...range, intervalMs: 200 })).toBe('1');
    expect(expandMacros('$__interval_s', { ...range, intervalMs: 90_500 })).toBe('90');
  });

  it('refuses what it cannot expand like the plugin: unknown macros, expressions as arguments', () => {
    expect(() => expandMacros('$__timeGroup(t, 1m)', range)).toThrow(/unknown macro/);
    expect(() => expandMacros('$__timeFilter(toDateTime(t))', range)).toThrow(/plain column/);
  });

  it('$__conditionalAll is the condition, or 1=1 when its variable is All or empty', () => {
    const sql = "WHERE $__conditionalAll(a IN (${v:singlequote}), $v) AND $__conditionalAll(b = 'x', ${w})";
    expect(applyConditionalAll(sql, { v: { current: ALL }, w: { current: ['x'] } })).toBe("WHERE 1=1 AND b = 'x'");
    expect(applyConditionalAll(sql, { v: { current: ['p', 'q'] }, w: { current: '' } })).toBe('WHERE a IN (${v:singlequote}) AND 1=1');
  });
});

describe('Grafana template variables', () => {
  const servers = { current: ["test'1", 'test2'] };
  it('formats multi-values as Grafana documents', () => {
    expect(replaceVariables('${servers:singlequote}', ctx({ servers }))).toBe("'test\\'1','test2'");
    expect(replaceVariables('${servers:sqlstring}', ctx({ servers }))).toBe("'test''1','test2'");
    expect(replaceVariables('${servers:doublequote}', ctx({ servers: { current: ['a', 'b'] } }))).toBe('"a","b"');
    expect(replaceVariables('${servers:csv}', ctx({ servers: { current: ['a', 'b'] } }))).toBe('a,b');
  });

  it('uses the plugin default format: arrays quoted and joined, single values raw', () => {
    expect(replaceVariables('IN ($s)', ctx({ s: { current: ['a', 'b'] } }))).toBe("IN ('a','b')");
    expect(replaceVariables('LIMIT $n', ctx({ n: { current: '10' } }))).toBe('LIMIT 10');
  });

  it('expands All to every option, or to a custom all value unformatted', () => {
    expect(replaceVariables('${s:singlequote}', ctx({ s: { current: ALL, options: ['a', 'b'] } }))).toBe("'a','b'");
    expect(replaceVariables('${s:singlequote}', ctx({ s: { current: ALL, options: ['a'], allValue: '.*' } }))).toBe('.*');
  });

  it('leaves plugin macros for the backend and rejects unknown variables', () => {
    expect(replaceVariables('$__interval_s $__timeFilter(t)', ctx())).toBe('$__interval_s $__timeFilter(t)');
    expect(() => replaceVariables('$nope', ctx())).toThrow(/unknown variable/);
  });

  it('runs the three steps in the plugin order', () => {
    const sql = 'SELECT $__interval_s FROM t WHERE $__timeFilter(ts) AND $__conditionalAll(x IN (${x:singlequote}), $x) AND y = ${y:sqlstring}';
    expect(expandQuery(sql, ctx({ x: { current: ALL, options: ['1'] }, y: { current: "o'k" } }))).toBe(
      "SELECT 20 FROM t WHERE ts >= toDateTime(1415792726) AND ts <= toDateTime(1447328726) AND 1=1 AND y = 'o''k'",
    );
  });
});
