// A requirement profile's verdict as HTML (shared by both reports), and the banner that flags
// unverified profile values: docs/profiles.md requires reports to show every [U] value a verdict
// used, so the banner is on top of the section and each such threshold carries a badge.
import type { ThresholdResult, Verdict } from '../core/compliance/types.ts';
import { badge, esc, fmtNs, fmtNum, fmtPct } from './html.ts';
import type { ProfileRef } from './types.ts';

function measure(t: ThresholdResult, v: number | null): string {
  if (v === null) return '–';
  switch (t.unit) {
    case 'ns': return fmtNs(v);
    case 'ratio': return fmtPct(v);
    case 's': return `${fmtNum(v)} s`;
    default: return `${fmtNum(v)} ${esc(t.unit)}`;
  }
}

function thresholdRow(t: ThresholdResult): string {
  const range = t.measuredRange && t.measuredRange[0] !== t.measuredRange[1] ? ` <span class="note">(${measure(t, t.measuredRange[0])} … ${measure(t, t.measuredRange[1])})</span>` : '';
  return `<tr data-threshold="${esc(t.threshold)}"><td>${esc(t.threshold)}${t.unverified ? ` ${badge('unverified', 'unverified value')}` : ''}</td><td>${esc(t.statistic)}</td>
<td class="num">${measure(t, t.measured)}${range}</td><td class="num">${t.direction === 'at_most' ? '≤' : '≥'} ${measure(t, t.bound)}</td>
<td>${badge(t.outcome)}</td><td class="num">${esc(`${fmtNum(t.amount, 8)} / ${fmtNum(t.minimumAmount, 8)} ${t.amountUnit}`)}</td><td class="note">${esc(t.method)}: ${esc(t.reason)}</td></tr>`;
}

export function verdictTable(v: Verdict): string {
  return `<table class="verdict"><thead><tr><th>Threshold</th><th>Statistic</th><th>Measured</th><th>Bound</th><th>Outcome</th><th>Evidence / needed</th><th>Why</th></tr></thead>
<tbody>${v.thresholds.map(thresholdRow).join('\n')}</tbody></table>`;
}

export function profileSection(heading: string, v: Verdict, ref?: ProfileRef): string {
  const hash = ref && ref.id === v.profileId && ref.version === v.profileVersion ? `, content hash <code>${esc(ref.contentHash)}</code>` : '';
  return `<h3>${esc(heading)}: ${badge(v.verdict)}</h3>
<p class="note">Profile ${esc(v.profileId)} version ${v.profileVersion}${hash}; source status ${esc(v.sourceStatus)};
${v.data.windows} windows, ${v.data.sentPackets} packets sent, ${v.data.owdCount} delay samples.</p>
${verdictTable(v)}`;
}

/** Every "profile@version: threshold.field" a set of verdicts used with status U. */
export function unverifiedValues(verdicts: readonly Verdict[]): string[] {
  const out = new Set<string>();
  for (const v of verdicts) for (const f of v.unverified) out.add(`${v.profileId} v${v.profileVersion}: ${f}`);
  return [...out].sort();
}

/** The banner, or '' when no verdict used an unverified value. */
export function unverifiedBanner(verdicts: readonly Verdict[]): string {
  const values = unverifiedValues(verdicts);
  if (values.length === 0) return '';
  return `<div class="unverified-banner" role="alert"><strong>⚠ Unverified profile values.</strong> These verdicts use values whose source
could not be confirmed in the primary text (status U, docs/profiles.md); treat outcomes that depend on them with care:
<ul>${values.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></div>`;
}
