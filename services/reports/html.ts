// HTML building blocks for the reports: escaping, number and time formatting, the page shell.
// Every string that comes from data (enterprise names, ids, reasons) passes through esc(); the
// page loads nothing (inline CSS, inline SVG, no script) and says so in its CSP.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value: & < > " ' escaped; other characters pass (the page is UTF-8). */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A duration in ns in the unit that suits `scaleNs` (the largest value shown alongside). */
export interface NsUnit {
  readonly name: 'ns' | 'µs' | 'ms' | 's';
  readonly ns: number;
}

export function nsUnit(scaleNs: number): NsUnit {
  const a = Math.abs(scaleNs);
  if (a >= 1e9) return { name: 's', ns: 1e9 };
  if (a >= 1e6) return { name: 'ms', ns: 1e6 };
  if (a >= 1e3) return { name: 'µs', ns: 1e3 };
  return { name: 'ns', ns: 1 };
}

/** A number with up to `digits` significant digits, no exponent for ordinary magnitudes. */
export function fmtNum(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const s = Number(x.toPrecision(digits));
  return Math.abs(s) >= 1e-4 && Math.abs(s) < 1e15 ? String(s) : s.toExponential(digits - 1);
}

export function fmtNs(ns: number | null, unit?: NsUnit): string {
  if (ns === null) return '–';
  const u = unit ?? nsUnit(ns);
  return `${fmtNum(ns / u.ns)} ${u.name}`;
}

/** A ratio as a percentage with enough digits for 99.999 %. */
export function fmtPct(ratio: number | null): string {
  if (ratio === null) return '–';
  return `${fmtNum(ratio * 100, 7)} %`;
}

/** ns since the epoch (decimal string or bigint) as "YYYY-MM-DD HH:MM:SS UTC". */
export function fmtTimeNs(ns: string | bigint): string {
  const ms = Number(BigInt(ns) / 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const CSS = `
:root { --base: #1f6fb4; --after: #e8710a; --ok: #1e8e3e; --bad: #c5221f; --warn: #b06000; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #202124; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #dadce0; padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 16px; } .meta dt { font-weight: 600; display: inline; } .meta dd { display: inline; margin: 0 16px 0 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #dadce0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; color: #fff; }
.improved, .pass { background: var(--ok); } .regressed, .fail { background: var(--bad); }
.unchanged { background: var(--muted); } .insufficient_data, .no_data, .no_profile { background: #9aa0a6; }
.unverified-banner { border: 2px solid var(--warn); background: #fef7e0; padding: 8px 12px; margin: 12px 0; }
.unverified-banner strong { color: var(--warn); }
.unverified { background: var(--warn); }
figure { margin: 12px 0; } figcaption { color: var(--muted); font-size: 13px; }
svg { display: block; max-width: 100%; height: auto; background: #fff; }
svg text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #202124; }
.legend span { display: inline-block; margin-right: 16px; } .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
.note { color: var(--muted); font-size: 13px; }
@media print { main { max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

/** The whole document. `body` is already escaped HTML. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function badge(kind: string, label: string = kind.replace('_', ' ')): string {
  return `<span class="badge ${esc(kind)}">${esc(label)}</span>`;
}

export function legend(items: readonly (readonly [label: string, color: string])[]): string {
  return `<div class="legend">${items.map(([l, c]) => `<span><i style="background:${esc(c)}"></i>${esc(l)}</span>`).join('')}</div>`;
}
