// Inline SVG charts, written out by hand (no library, nothing loaded): a delay histogram and a CDF
// on a logarithmic delay axis, time series, and grouped horizontal bars. Each chart is one <svg>
// with data-chart="<id>", a <title>, axis lines, tick labels and axis titles with units.
import { esc, fmtNum, nsUnit } from './html.ts';

const W = 720;
const H = 320;
const M = { left: 78, right: 20, top: 16, bottom: 52 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

export interface Bucket {
  readonly lowerNs: number;
  readonly upperNs: number;
  readonly count: number;
}

export interface DistributionSeries {
  readonly label: string;
  readonly color: string;
  readonly buckets: readonly Bucket[];
}

export interface TimeSeries {
  readonly label: string;
  readonly color: string;
  /** t in ms since the epoch; null values leave a gap. */
  readonly points: readonly { readonly tMs: number; readonly value: number | null }[];
}

export interface BarGroup {
  readonly label: string;
  readonly bars: readonly { readonly label: string; readonly color: string; readonly value: number | null }[];
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function svg(id: string, title: string, inner: string, height = H): string {
  return `<svg data-chart="${esc(id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(title)}">
<title>${esc(title)}</title>
${inner}
</svg>`;
}

/** Round ticks (1, 2, 5 x 10^k) from at or below lo to at or above hi. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) as number;
  const first = Math.floor(lo / step + 1e-9) * step;
  const out = [Number(first.toPrecision(12))];
  for (let i = 1; out[out.length - 1] < hi - step * 1e-9; i++) out.push(Number((first + i * step).toPrecision(12)));
  return out;
}

function axes(xTitle: string, yTitle: string): string {
  const y0 = M.top + PH;
  return `<g class="axes" stroke="#5f6368" stroke-width="1">
<line x1="${M.left}" y1="${y0}" x2="${M.left + PW}" y2="${y0}"/>
<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${y0}"/>
</g>
<text class="axis-label" x="${M.left + PW / 2}" y="${H - 8}" text-anchor="middle">${esc(xTitle)}</text>
<text class="axis-label" transform="translate(16 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`;
}

function xTick(x: number, label: string): string {
  const y0 = M.top + PH;
  return `<line x1="${r1(x)}" y1="${y0}" x2="${r1(x)}" y2="${y0 + 5}" stroke="#5f6368"/><text x="${r1(x)}" y="${y0 + 18}" text-anchor="middle">${esc(label)}</text>`;
}

function yTick(y: number, label: string): string {
  return `<line x1="${M.left - 5}" y1="${r1(y)}" x2="${M.left + PW}" y2="${r1(y)}" stroke="#e8eaed"/><text x="${M.left - 8}" y="${r1(y + 4)}" text-anchor="end">${esc(label)}</text>`;
}

function empty(id: string, title: string, message: string): string {
  return svg(id, title, `${axes('', '')}<text class="empty" x="${W / 2}" y="${H / 2}" text-anchor="middle">${esc(message)}</text>`);
}

/** Log delay axis over the buckets of every series; returns the ns -> x mapping and its ticks. */
function logAxis(series: readonly DistributionSeries[]) {
  let lo = Infinity;
  let hi = 0;
  for (const s of series) for (const b of s.buckets) {
    if (b.count <= 0) continue;
    lo = Math.min(lo, Math.max(1, b.lowerNs));
    hi = Math.max(hi, Math.max(1, b.upperNs));
  }
  if (!(hi > lo)) hi = lo * 10;
  const l0 = Math.log10(lo);
  const l1 = Math.log10(hi);
  const x = (ns: number) => M.left + ((Math.log10(Math.max(ns, lo)) - l0) / (l1 - l0)) * PW;
  const unit = nsUnit(hi);
  // 1-2-5 per decade; every integer multiple when the range is too narrow for three of those.
  const at = (factors: readonly number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(l0); e <= Math.ceil(l1); e++) {
      for (const f of factors) {
        const v = f * Math.pow(10, e);
        if (v >= lo && v <= hi) out.push(v);
      }
    }
    return out;
  };
  let values = at([1, 2, 5]);
  if (values.length < 3) values = at([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const ticks = values.map((v) => xTick(x(v), fmtNum(v / unit.ns, 3)));
  return { x, lo, hi, unit, ticks: ticks.join('\n') };
}

const total = (s: DistributionSeries) => s.buckets.reduce((a, b) => a + b.count, 0);

/** Share of samples per logarithmic bin (40 bins over the common range), one translucent bar set per series. */
export function histogramChart(id: string, title: string, series: readonly DistributionSeries[]): string {
  if (series.every((s) => total(s) === 0)) return empty(id, title, 'no delay samples');
  const ax = logAxis(series);
  const BINS = 40;
  const l0 = Math.log10(ax.lo);
  const step = (Math.log10(ax.hi) - l0) / BINS;
  const shares = series.map((s) => {
    const bins = new Float64Array(BINS);
    const n = total(s);
    for (const b of s.buckets) {
      const mid = Math.sqrt(Math.max(1, b.lowerNs) * Math.max(1, b.upperNs));
      const i = Math.min(BINS - 1, Math.max(0, Math.floor((Math.log10(Math.max(mid, ax.lo)) - l0) / step)));
      bins[i] += n > 0 ? b.count / n : 0;
    }
    return bins;
  });
  const maxShare = Math.max(...shares.map((b) => Math.max(...b)));
  const yTicks = niceTicks(0, maxShare * 100, 5);
  const yMax = Math.max(yTicks[yTicks.length - 1], 1e-9);
  const y = (pct: number) => M.top + PH - (pct / yMax) * PH;
  const bars = series.map((s, k) => {
    const rects: string[] = [];
    shares[k].forEach((share, i) => {
      if (share <= 0) return;
      const x0 = M.left + (i / BINS) * PW;
      const top = y(share * 100);
      rects.push(`<rect x="${r1(x0 + 1)}" y="${r1(top)}" width="${r1(PW / BINS - 2)}" height="${r1(M.top + PH - top)}"/>`);
    });
    return `<g class="series" data-series="${esc(s.label)}" fill="${esc(s.color)}" fill-opacity="0.55">${rects.join('')}</g>`;
  });
  const grid = yTicks.map((v) => yTick(y(v), fmtNum(v, 3))).join('\n');
  return svg(id, title, `${grid}\n${ax.ticks}\n${bars.join('\n')}\n${axes(`one-way delay (${ax.unit.name}, log scale)`, 'share of samples (%)')}`);
}

/** Cumulative share of samples at or below each bucket's upper bound, as a step line per series. */
export function cdfChart(id: string, title: string, series: readonly DistributionSeries[]): string {
  if (series.every((s) => total(s) === 0)) return empty(id, title, 'no delay samples');
  const ax = logAxis(series);
  const y = (share: number) => M.top + PH - share * PH;
  const lines = series.filter((s) => total(s) > 0).map((s) => {
    const n = total(s);
    let acc = 0;
    let d = `M${r1(M.left)} ${r1(y(0))}`;
    for (const b of s.buckets) {
      acc += b.count;
      const x = ax.x(Math.max(1, b.upperNs));
      d += ` H${r1(x)} V${r1(y(acc / n))}`;
    }
    d += ` H${r1(M.left + PW)}`;
    return `<path class="series" data-series="${esc(s.label)}" d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="2"/>`;
  });
  const grid = [0, 25, 50, 75, 90, 100].map((p) => yTick(y(p / 100), `${p}`)).join('\n');
  return svg(id, title, `${grid}\n${ax.ticks}\n${lines.join('\n')}\n${axes(`one-way delay (${ax.unit.name}, log scale)`, 'samples at or below (%)')}`);
}

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 3 * 86_400_000 ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/**
 * Values over time (UTC). `format` turns a value into the axis unit; yTitle names that unit.
 * A point is drawn for every value, and consecutive points closer than 1.5 steps are joined: the
 * given step (a missing hour of an hourly series breaks the line), else the typical gap.
 */
export function timeChart(id: string, title: string, series: readonly TimeSeries[], yTitle: string, format: (v: number) => number, stepMs?: number): string {
  const pts = series.flatMap((s) => s.points.filter((p) => p.value !== null));
  if (pts.length === 0) return empty(id, title, 'no data in the period');
  let t0 = Math.min(...pts.map((p) => p.tMs));
  let t1 = Math.max(...pts.map((p) => p.tMs));
  if (t1 === t0) { t0 -= 1_800_000; t1 += 1_800_000; }
  const vals = pts.map((p) => format(p.value as number));
  let v0 = Math.min(...vals);
  let v1 = Math.max(...vals);
  if (v1 === v0) { v0 -= Math.abs(v0) * 0.01 || 1; v1 += Math.abs(v1) * 0.01 || 1; }
  const ticks = niceTicks(v0, v1, 5);
  const lo = Math.min(v0, ticks[0]);
  const hi = Math.max(v1, ticks[ticks.length - 1]);
  const x = (t: number) => M.left + ((t - t0) / (t1 - t0)) * PW;
  const y = (v: number) => M.top + PH - ((v - lo) / (hi - lo)) * PH;
  const grid = ticks.filter((v) => v >= lo && v <= hi).map((v) => yTick(y(v), fmtNum(v, 4))).join('\n');
  const xt = timeTicks(t0, t1).map((t) => xTick(x(t), timeLabel(t, t1 - t0))).join('\n');
  const body = series.map((s) => {
    const ps = s.points.filter((p) => p.value !== null).sort((a, b) => a.tMs - b.tMs);
    const gaps = ps.slice(1).map((p, i) => p.tMs - ps[i].tMs).sort((a, b) => a - b);
    const typical = stepMs ?? (gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : 0);
    let d = '';
    ps.forEach((p, i) => {
      const join = i > 0 && p.tMs - ps[i - 1].tMs <= typical * 1.5;
      d += `${join ? ' L' : (d ? ' M' : 'M')}${r1(x(p.tMs))} ${r1(y(format(p.value as number)))}`;
    });
    const dots = ps.map((p) => `<circle cx="${r1(x(p.tMs))}" cy="${r1(y(format(p.value as number)))}" r="3"/>`).join('');
    return `<g class="series" data-series="${esc(s.label)}"><path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="2"/><g fill="${esc(s.color)}">${dots}</g></g>`;
  });
  return svg(id, title, `${grid}\n${xt}\n${body.join('\n')}\n${axes('time (UTC)', yTitle)}`);
}

/** About six tick instants on whole hours (or days for long spans). */
function timeTicks(t0: number, t1: number): number[] {
  const HOUR = 3_600_000;
  const steps = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 2 * 24 * HOUR, 7 * 24 * HOUR, 14 * 24 * HOUR, 28 * 24 * HOUR];
  const step = steps.find((s) => (t1 - t0) / s <= 7) ?? steps[steps.length - 1];
  const out: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push(t);
  return out.length > 0 ? out : [t0];
}

/** Horizontal grouped bars, one group per row label; `format` turns values into the axis unit. */
export function barChart(id: string, title: string, groups: readonly BarGroup[], xTitle: string, yTitle: string, format: (v: number) => number): string {
  const vals = groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v): v is number => v !== null).map(format);
  if (groups.length === 0 || vals.length === 0) return empty(id, title, 'no flows');
  const perBar = 12;
  const gap = 10;
  const nBars = Math.max(...groups.map((g) => g.bars.length));
  const groupH = nBars * perBar + gap;
  const left = 200;
  const plotH = groups.length * groupH;
  const height = M.top + plotH + M.bottom;
  const ticks = niceTicks(0, Math.max(...vals, 0) || 1, 5);
  const xMax = ticks[ticks.length - 1] || 1;
  const pw = W - left - M.right;
  const x = (v: number) => left + (Math.max(0, v) / xMax) * pw;
  const y0 = M.top + plotH;
  const grid = ticks.map((v) => `<line x1="${r1(x(v))}" y1="${M.top}" x2="${r1(x(v))}" y2="${y0 + 5}" stroke="#e8eaed"/><text x="${r1(x(v))}" y="${y0 + 18}" text-anchor="middle">${esc(fmtNum(v, 4))}</text>`).join('\n');
  const rows = groups.map((g, i) => {
    const top = M.top + i * groupH + gap / 2;
    // By code point, so a cut never leaves half a surrogate pair.
    const chars = Array.from(g.label);
    const label = chars.length > 30 ? `${chars.slice(0, 29).join('')}…` : g.label;
    const bars = g.bars.map((b, j) => b.value === null
      ? `<text x="${left + 4}" y="${r1(top + j * perBar + 10)}" class="note">no data</text>`
      : `<rect x="${left}" y="${r1(top + j * perBar)}" width="${r1(Math.max(1, x(format(b.value)) - left))}" height="${perBar - 2}" fill="${esc(b.color)}"><title>${esc(`${g.label} ${b.label}: ${fmtNum(format(b.value), 4)}`)}</title></rect>`).join('');
    return `<g class="bar-group"><text x="${left - 8}" y="${r1(top + (nBars * perBar) / 2 + 4)}" text-anchor="end">${esc(label)}</text>${bars}</g>`;
  });
  const axesSvg = `<g stroke="#5f6368"><line x1="${left}" y1="${y0}" x2="${left + pw}" y2="${y0}"/><line x1="${left}" y1="${M.top}" x2="${left}" y2="${y0}"/></g>
<text class="axis-label" x="${left + pw / 2}" y="${height - 8}" text-anchor="middle">${esc(xTitle)}</text>
<text class="axis-label" transform="translate(16 ${r1(M.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`;
  return svg(id, title, `${grid}\n${rows.join('\n')}\n${axesSvg}`, height);
}
