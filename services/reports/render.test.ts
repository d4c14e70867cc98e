import { describe, expect, it } from 'vitest';
import { barChart, niceTicks } from './charts.ts';
import { esc } from './html.ts';
import { COMPLIANCE_CHARTS, renderComplianceReport } from './compliance-report.ts';
import { complianceInput, HOSTILE, upgradeInput } from './testkit.ts';
import { renderUpgradeReport, UPGRADE_CHARTS } from './upgrade-report.ts';

/** Every element the reports may contain; anything else means data became markup. */
const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'h1', 'h2', 'h3', 'dl', 'dt', 'dd', 'p', 'span', 'table', 'thead',
  'tbody', 'tr', 'th', 'td', 'div', 'strong', 'ul', 'li', 'figure', 'figcaption', 'svg', 'g', 'line', 'text', 'rect', 'path', 'circle', 'code', 'br', 'i']);

function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase());
}

/** The <svg data-chart="id"> ... </svg> element (charts do not nest). */
function chart(html: string, id: string): string {
  const start = html.indexOf(`<svg data-chart="${id}"`);
  expect(start, id).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</svg>', start) + 6);
}

const reports = [
  ['upgrade', renderUpgradeReport(upgradeInput()), UPGRADE_CHARTS],
  ['compliance', renderComplianceReport(complianceInput()), COMPLIANCE_CHARTS],
] as const;

describe.each(reports)('%s report', (_name, html, charts) => {
  it('is one self-contained document: no script, no external reference, CSP forbids loading anything', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    // Inside tags only: escaped text may say "src=" (the hostile name does), an attribute may not.
    const attributes = [...html.matchAll(/<[^>]+>/g)].map((m) => m[0]);
    expect(attributes.filter((t) => /\s(src|href|srcset|action|formaction|on[a-z]+)\s*=/i.test(t))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/i);
    // The only URL is the SVG namespace name, which is never fetched.
    expect([...html.matchAll(/https?:\/\/[^\s"'<>]*/g)].map((m) => m[0]).every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('escapes hostile names and ids: no element outside the allowed set, the text shown escaped', () => {
    const unknown = tags(html).filter((t) => !ALLOWED_TAGS.has(t));
    expect(unknown).toEqual([]);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(esc(HOSTILE));
    expect(html).not.toMatch(/<[^>]*\sonerror\s*=/i);
  });

  it('has every chart, each with drawn marks, axis titles with units and a title', () => {
    for (const id of charts) {
      const svg = chart(html, id);
      const marks = [...svg.matchAll(/<path [^>]*d="M[^"]+"|<rect [^>]*width="[1-9][^"]*"|<circle /g)];
      expect(marks.length, id).toBeGreaterThan(0);
      expect(svg, id).toMatch(/<title>[^<]+<\/title>/);
      const labels = [...svg.matchAll(/class="axis-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
      expect(labels.length, id).toBeGreaterThanOrEqual(2);
      expect(labels.some((l) => /\((ns|µs|ms|s|%)(, log scale)?\)|UTC/.test(l)), `${id}: ${labels.join(' | ')}`).toBe(true);
    }
    expect(html.match(/<svg data-chart=/g)?.length).toBe(charts.length);
  });

  it('flags unverified profile values in a banner', () => {
    expect(html).toMatch(/<div class="unverified-banner" role="alert">[\s\S]*delay\.maxLatencyNs[\s\S]*<\/div>/);
  });
});

describe('chart scales', () => {
  it('nice ticks start at or below the smallest value and end at or above the largest', () => {
    expect(niceTicks(0, 10.7)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(98.7, 99.95)).toEqual([98.5, 99, 99.5, 100]); // step: range 1.25 / 5 = 0.25 -> 0.5
  });
  it('no bar of the histogram rises above the plot area', () => {
    const svg = chart(reports[1][1], 'delay-distribution');
    const ys = [...svg.matchAll(/<rect [^>]*y="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys.length).toBeGreaterThan(0);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(16); // the top margin
  });
});

describe('content', () => {
  it('same input, same bytes', () => {
    expect(renderUpgradeReport(upgradeInput())).toBe(reports[0][1]);
    expect(renderComplianceReport(complianceInput())).toBe(reports[1][1]);
  });

  it('upgrade: one row per metric with its verdict; the delay shift shows as improved', () => {
    const input = upgradeInput();
    const html = reports[0][1];
    for (const m of input.result.comparison.metrics) {
      expect(html).toMatch(new RegExp(`<tr data-metric="${m.metric}">[\\s\\S]*?class="badge ${m.verdict}"`));
    }
    expect(input.result.comparison.metrics.find((m) => m.metric === 'owd_p50_ns')?.verdict).toBe('improved');
    expect(html).toContain('sha256:0123abcd');
  });

  it('compliance: profiles with hashes, data version, failed windows with the total, every subject', () => {
    const html = reports[1][1];
    expect(html).toContain('sha256:feed');
    expect(html).toContain('rows 10, windows 600, hash 0123456789abcdef');
    expect(html).toContain('17 failed windows; the first 1 are listed');
    const subjects = /<table class="subjects">[\s\S]*?<\/table>/.exec(html)![0];
    expect(subjects.match(/<tr data-level=/g)?.length).toBe(4);
    expect(html).toContain(`device site-1 / ${esc(HOSTILE)}`);
  });

  it('compliance: the enterprise, site and device verdicts (worst of their flows) with their flow counts', () => {
    const html = reports[1][1];
    const input = complianceInput();
    const levels = /<table class="levels">[\s\S]*?<\/table>/.exec(html)![0];
    const rows = [...levels.matchAll(/<tr data-level="([a-z]+)"><td>[^<]*<\/td><td>([^<]*)<\/td><td><span class="badge ([a-z_]+)">[\s\S]*?<\/tr>/g)];
    expect(rows.map((r) => [r[1], r[3]])).toEqual(input.levels!.map((l) => [l.level, l.verdict]));
    expect(rows[2][2]).toBe(`site site ${esc(HOSTILE)}`);
    const counts = [...rows[0][0].matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(counts).toEqual([3, 2, 1, 1]);
    expect(html).toMatch(/<p class="enterprise-verdict">Enterprise verdict: <span class="badge fail">/);
  });

  it('compliance: chart captions give the samples and hours drawn', () => {
    const input = complianceInput();
    const html = reports[1][1];
    expect(html).toContain(`<span class="delay-samples">${input.delayHistogram!.reduce((n, b) => n + b.count, 0)}</span>`);
    expect(html).toContain(`<span class="series-hours">${input.series!.length}</span>`);
  });

  it('a long bar label is cut by code point: no half surrogate pair in the page', () => {
    const label = '\u{1F3ED}'.repeat(40); // 40 astral characters, 80 UTF-16 units
    const svg = barChart('bars', 'bars', [{ label, bars: [{ label: 'p99', color: '#000', value: 1 }] }], 'x', 'y', (v) => v);
    expect(svg.isWellFormed()).toBe(true);
    expect(svg).toContain(`>${'\u{1F3ED}'.repeat(29)}…</text>`);
  });

  it('compliance: an hour without data breaks the hourly lines', () => {
    const input = complianceInput();
    const series = input.series!.filter((_p, i) => i !== 1); // 4 hours, the second one missing
    const html = renderComplianceReport({ ...input, series });
    for (const id of ['pdv-over-time', 'availability-over-time']) {
      const d = /<path d="([^"]+)"/.exec(chart(html, id))![1];
      expect(d.match(/[ML]/g), id).toEqual(['M', 'M', 'L']);
      expect(chart(html, id).match(/<circle /g)?.length, id).toBe(3);
    }
  });

  it('charts of empty inputs say so instead of failing', () => {
    const input = complianceInput();
    const html = renderComplianceReport({ ...input, delayHistogram: [], series: [], worstFlows: [] });
    for (const id of COMPLIANCE_CHARTS) expect(chart(html, id)).toMatch(/class="empty"/);
  });
});
