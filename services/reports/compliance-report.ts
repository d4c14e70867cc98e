// renderComplianceReport: an enterprise's compliance with its requirement profiles over one
// period, as one self-contained HTML page.
import { barChart, histogramChart, cdfChart, timeChart } from './charts.ts';
import { badge, esc, fmtNs, fmtNum, fmtPct, fmtTimeNs, nsUnit, page } from './html.ts';
import type { ComplianceReportInput, FailedWindow, LevelSummary, SubjectVerdict } from './types.ts';
import { unverifiedBanner, verdictTable } from './verdict-html.ts';

export const COMPLIANCE_COLOR = '#1f6fb4';
const FAIL_COLOR = '#c5221f';
/** The series has one point per UTC hour with data: an hour without data breaks its line. */
const HOUR_MS = 3_600_000;

/** Chart ids present in every compliance report (data-chart attributes). */
export const COMPLIANCE_CHARTS = ['delay-distribution', 'delay-cdf', 'pdv-over-time', 'availability-over-time', 'worst-flows'] as const;

function subjectName(s: SubjectVerdict | LevelSummary): string {
  switch (s.level) {
    case 'enterprise': return 'whole enterprise';
    case 'site': return `site ${s.siteId ?? ''}`;
    case 'device': return `device ${s.siteId ?? ''} / ${s.deviceId ?? ''}`;
    default: return `flow ${s.siteId ?? ''} / ${s.deviceId ?? ''} / ${s.flowId ?? ''}`;
  }
}

function failedValue(w: FailedWindow, v: number | null): string {
  if (v === null) return '–';
  if (w.unit === 'ns') return fmtNs(v);
  if (w.unit === 'ratio') return fmtPct(v);
  return `${fmtNum(v)} ${esc(w.unit)}`;
}

export function renderComplianceReport(input: ComplianceReportInput): string {
  const title = `Compliance report — ${input.enterprise.name}`;
  const e = input.enterprise;
  const counts = { pass: 0, fail: 0, insufficient_data: 0 };
  for (const s of input.verdicts) counts[s.verdict.verdict]++;

  const header = `<h1>${esc(title)}</h1>
<dl class="meta">
<dt>Enterprise</dt><dd>${esc(e.name)} (${esc(e.id)})</dd>
${e.region ? `<dt>Region</dt><dd>${esc(e.region)}</dd>` : ''}${e.industry ? `<dt>Industry</dt><dd>${esc(e.industry)}</dd>` : ''}
<dt>Period</dt><dd>${esc(fmtTimeNs(input.period.fromNs))} – ${esc(fmtTimeNs(input.period.toNs))}</dd>
<dt>Generated</dt><dd>${esc(input.generatedAt)}</dd>
<dt>Data version</dt><dd>${input.dataVersion.registryVersion ? `registry ${esc(input.dataVersion.registryVersion)}, ` : ''}<code>${esc(input.dataVersion.contentHash)}</code></dd>
</dl>`;

  const profiles = `<h2>Requirement profiles</h2>
<table class="profiles"><thead><tr><th>Profile</th><th>Version</th><th>Title</th><th>Content hash</th></tr></thead>
<tbody>${input.profiles.map((p) => `<tr><td>${esc(p.id)}</td><td class="num">${p.version}</td><td>${esc(p.title ?? '')}</td><td><code>${esc(p.contentHash)}</code></td></tr>`).join('\n')}</tbody></table>`;

  const levels = input.levels ?? [];
  const enterpriseLevel = levels.find((l) => l.level === 'enterprise');
  const hierarchy = levels.length === 0 ? '' : `<h2>Verdicts of the enterprise, its sites and devices</h2>
${enterpriseLevel ? `<p class="enterprise-verdict">Enterprise verdict: ${badge(enterpriseLevel.verdict)}</p>` : ''}
<p class="note">Each is the worst of its flows' verdicts (fail, then insufficient data, then pass); flows without a profile are counted, not judged.</p>
<table class="levels"><thead><tr><th>Level</th><th>Subject</th><th>Verdict</th><th>Flows passing</th><th>failing</th><th>insufficient data</th><th>without profile</th></tr></thead>
<tbody>${levels.map((l) => `<tr data-level="${esc(l.level)}"><td>${esc(l.level)}</td><td>${esc(subjectName(l))}</td><td>${badge(l.verdict)}</td>
<td class="num">${l.flows.pass}</td><td class="num">${l.flows.fail}</td><td class="num">${l.flows.insufficient_data}</td><td class="num">${l.flows.no_profile}</td></tr>`).join('\n')}</tbody></table>`;

  const overview = `<h2>${levels.length === 0 ? 'Verdicts' : 'Verdicts with their profiles'}</h2>
${unverifiedBanner(input.verdicts.map((s) => s.verdict))}
<p>${badge('pass', `${counts.pass} pass`)} ${badge('fail', `${counts.fail} fail`)} ${badge('insufficient_data', `${counts.insufficient_data} insufficient data`)}</p>
<table class="subjects"><thead><tr><th>Level</th><th>Subject</th><th>Profile</th><th>Verdict</th><th>Unverified values used</th><th>Windows</th><th>Packets sent</th></tr></thead>
<tbody>${input.verdicts.map((s) => `<tr data-level="${esc(s.level)}"><td>${esc(s.level)}</td><td>${esc(subjectName(s))}</td><td>${esc(s.verdict.profileId)} v${s.verdict.profileVersion}</td>
<td>${badge(s.verdict.verdict)}</td><td>${s.verdict.unverified.length > 0 ? `${badge('unverified', 'unverified')} ${esc(s.verdict.unverified.join(', '))}` : '–'}</td>
<td class="num">${s.verdict.data.windows}</td><td class="num">${s.verdict.data.sentPackets}</td></tr>`).join('\n')}</tbody></table>`;

  const details = `<h2>Metrics behind the verdicts</h2>
${input.verdicts.map((s) => `<h3>${esc(subjectName(s))}: ${badge(s.verdict.verdict)}</h3>${verdictTable(s.verdict)}`).join('\n')}`;

  const total = input.failedWindowsTotal ?? input.failedWindows.length;
  const failed = `<h2>Failed windows</h2>
<p class="note">${total} failed window${total === 1 ? '' : 's'}${total > input.failedWindows.length ? `; the first ${input.failedWindows.length} are listed` : ''}.</p>
<table class="failed"><thead><tr><th>Window start</th><th>Length</th><th>Site</th><th>Device</th><th>Flow</th><th>Threshold</th><th>Measured</th><th>Bound</th><th>Why</th></tr></thead>
<tbody>${input.failedWindows.map((w) => `<tr><td>${esc(fmtTimeNs(w.windowStartNs))}</td><td class="num">${esc(fmtNs(w.windowNs))}</td><td>${esc(w.siteId)}</td><td>${esc(w.deviceId)}</td><td>${esc(w.flowId)}</td>
<td>${esc(w.threshold)}</td><td class="num">${failedValue(w, w.measured)}</td><td class="num">${failedValue(w, w.bound)}</td><td class="note">${esc(w.reason)}</td></tr>`).join('\n')}</tbody></table>`;

  const dist = [{ label: 'period', color: COMPLIANCE_COLOR, buckets: input.delayHistogram ?? [] }];
  const samples = dist[0].buckets.reduce((n, b) => n + b.count, 0);
  const series = input.series ?? [];
  const pts = (pick: (p: (typeof series)[number]) => number | null) => series.map((p) => ({ tMs: Number(BigInt(p.startNs) / 1_000_000n), value: pick(p) }));
  const pdvUnit = nsUnit(Math.max(0, ...series.map((p) => p.pdvP99Ns ?? 0)));
  const worst = input.worstFlows ?? [];
  const worstUnit = nsUnit(Math.max(0, ...worst.map((f) => f.owdP99Ns ?? 0)));
  const charts = `<h2>Delay distribution</h2>
<figure>${histogramChart('delay-distribution', 'One-way delay distribution over the period', dist)}
<figcaption>Share of the period's <span class="delay-samples">${samples}</span> delay samples per logarithmic bin, from the merged delay histograms.</figcaption></figure>
<figure>${cdfChart('delay-cdf', 'Cumulative one-way delay distribution', dist)}</figure>
<h2>PDV and availability over time</h2>
<p class="note">One point per UTC hour that holds data (<span class="series-hours">${series.length}</span> hours).</p>
<figure>${timeChart('pdv-over-time', 'PDV p99 per hour', [{ label: 'period', color: COMPLIANCE_COLOR, points: pts((p) => p.pdvP99Ns) }], `PDV p99 (${pdvUnit.name})`, (v) => v / pdvUnit.ns, HOUR_MS)}</figure>
<figure>${timeChart('availability-over-time', 'Availability per hour', [{ label: 'period', color: COMPLIANCE_COLOR, points: pts((p) => p.availability) }], 'availability (%)', (v) => v * 100, HOUR_MS)}</figure>
<h2>Worst flows</h2>
<figure>${barChart('worst-flows', 'Delay p99 of the worst flows', worst.map((f) => ({
    label: f.label, bars: [{ label: 'p99', color: f.verdict === 'fail' ? FAIL_COLOR : COMPLIANCE_COLOR, value: f.owdP99Ns }],
  })), `one-way delay p99 (${worstUnit.name})`, 'flow', (v) => v / worstUnit.ns)}
<figcaption>Red: the flow fails its profile.</figcaption></figure>`;

  return page(title, `${header}\n${profiles}\n${hierarchy}\n${overview}\n${charts}\n${failed}\n${details}`);
}
