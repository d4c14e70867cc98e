// CSV records for audit exports: RFC 4180 §2 (fields separated by commas, records ended by CRLF,
// a field containing a comma, quote, CR or LF is enclosed in double quotes and its quotes are
// doubled), plus a guard against spreadsheet formula injection (OWASP "CSV Injection"): a text
// cell starting with = + - @, TAB or CR is prefixed with a single quote, so a spreadsheet shows
// it as text instead of evaluating it. Numbers the audit computed are written as numbers and
// never prefixed (a finite number is not a formula). docs/audit.md "CSV export".

export type CsvValue = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`CSV cell: ${value} is not a finite number`);
    return String(value);
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
