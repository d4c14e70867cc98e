// renderUpgradeReport: the upgrade validation (baseline vs after) as one self-contained HTML page.
import type { MetricChange } from '../core/upgrade/types.ts';
import { barChart, cdfChart, histogramChart, timeChart } from './charts.ts';
import { badge, esc, fmtNs, fmtNum, fmtPct, fmtTimeNs, legend, nsUnit, page } from './html.ts';
import { profileSection, unverifiedBanner } from './verdict-html.ts';
import type { UpgradeReportInput } from './types.ts';

export const BASELINE_COLOR = '#1f6fb4';
export const AFTER_COLOR = '#e8710a';

/** Chart ids present in every upgrade report (data-chart attributes). */
export const UPGRADE_CHARTS = ['delay-distribution', 'delay-cdf', 'pdv-over-time', 'availability-over-time', 'worst-flows'] as const;

function value(m: MetricChange, v: number | null): string {
  if (v === null) return '–';
  return m.unit === 'ns' ? fmtNs(v) : fmtPct(v);
}

function change(m: MetricChange, v: number): string {
  const sign = v > 0 ? '+' : '';
  return m.unit === 'ns' ? `${sign}${fmtNs(v)}` : `${sign}${fmtNum(v * 100, 4)} pp`;
}

function amount(m: MetricChange, v: number): string {
  return m.amountUnit === 'ns' ? `${fmtNs(v)} expected time` : `${fmtNum(v, 6)} ${m.amountUnit}`;
}

function metricRow(m: MetricChange): string {
  const ci = m.ci ? `[${change(m, m.ci.low)}, ${change(m, m.ci.high)}]` : '–';
  const rel = m.relativeChange !== null ? `${m.relativeChange > 0 ? '+' : ''}${fmtNum(m.relativeChange * 100, 3)} %` : '–';
  return `<tr data-metric="${esc(m.metric)}"><td>${esc(m.label)}</td><td>${esc(m.better)} is better</td>
<td class="num">${value(m, m.baseline)}</td><td class="num">${value(m, m.after)}</td>
<td class="num">${m.change === null ? '–' : change(m, m.change)}</td><td class="num">${rel}</td><td class="num">${ci}</td>
<td>${badge(m.verdict)}</td><td class="note">${m.verdict === 'insufficient_data' ? `${esc(m.reason)}<br>` : ''}evidence: ${esc(`${amount(m, m.baselineAmount)} / ${amount(m, m.afterAmount)}, ${m.baselineBlocks} / ${m.afterBlocks} blocks`)}</td></tr>`;
}

export function renderUpgradeReport(input: UpgradeReportInput): string {
  const r = input.result;
  const { comparison: c } = r;
  const scope = r.scope.siteId === null ? 'whole enterprise' : `site ${r.scope.siteId}`;
  const counts = { improved: 0, unchanged: 0, regressed: 0, insufficient_data: 0 };
  for (const m of c.metrics) counts[m.verdict]++;
  const title = `Upgrade validation — ${input.enterprise.name}`;

  const pct = `${fmtNum(c.method.confidenceLevel * 100, 4)} %`;
  const header = `<h1>${esc(title)}</h1>
<dl class="meta">
<dt>Enterprise</dt><dd>${esc(input.enterprise.name)} (${esc(input.enterprise.id)})</dd>
<dt>Scope</dt><dd>${esc(scope)}</dd>
<dt>Baseline</dt><dd>${esc(fmtTimeNs(r.baseline.fromNs))} – ${esc(fmtTimeNs(r.baseline.toNs))}</dd>
<dt>After</dt><dd>${esc(fmtTimeNs(r.after.fromNs))} – ${esc(fmtTimeNs(r.after.toNs))}</dd>
<dt>Generated</dt><dd>${esc(input.generatedAt)}</dd>
${input.dataVersion ? `<dt>Data version</dt><dd>${esc(input.dataVersion.registryVersion ? `registry ${input.dataVersion.registryVersion}, ` : '')}${esc(input.dataVersion.contentHash)}</dd>` : ''}
</dl>`;

  const profile = r.profile === null ? '' : `<h2>Requirement profile</h2>
${unverifiedBanner([r.profile.after, r.profile.baseline])}
${profileSection('Baseline period', r.profile.baseline, input.profile)}
${profileSection('After period (is the profile met now?)', r.profile.after, input.profile)}`;

  const summary = `<h2>Summary</h2>
<p>${badge('improved', `${counts.improved} improved`)} ${badge('unchanged', `${counts.unchanged} unchanged`)} ${badge('regressed', `${counts.regressed} regressed`)} ${badge('insufficient_data', `${counts.insufficient_data} insufficient data`)}
${r.profile ? ` — profile ${esc(r.profile.after.profileId)} v${r.profile.after.profileVersion}: before ${badge(r.profile.baseline.verdict)}, now ${badge(r.profile.after.verdict)}` : ''}</p>
<table class="metrics"><thead><tr><th>Metric</th><th>Direction</th><th>Baseline</th><th>After</th><th>Change</th><th>Relative</th><th>${esc(pct)} interval of the change</th><th>Verdict</th><th>Why</th></tr></thead>
<tbody>${c.metrics.map(metricRow).join('\n')}</tbody></table>
<p class="note">Method: ${esc(c.method.name)}; ${c.method.resamples} resamples, seed ${c.method.seed}, ${esc(pct)} expanded percentile interval;
blocks of ${esc(fmtNs(c.method.baselineBlockNs))} (baseline, ${r.baseline.blocks} blocks, ${r.baseline.windows} windows) and ${esc(fmtNs(c.method.afterBlockNs))} (after, ${r.after.blocks} blocks, ${r.after.windows} windows);
a verdict needs ${c.method.minimumBlocks} blocks with data in each period. Improved or regressed only when the whole interval lies on one side of zero.</p>`;

  const dist = [
    { label: 'baseline', color: BASELINE_COLOR, buckets: r.delayHistogram.baseline },
    { label: 'after', color: AFTER_COLOR, buckets: r.delayHistogram.after },
  ];
  const series = (period: 'baseline' | 'after', pick: (p: (typeof r.series)[number]) => number | null) =>
    r.series.filter((p) => p.period === period).map((p) => ({ tMs: Number(BigInt(p.startNs) / 1_000_000n), value: pick(p) }));
  const pdvMax = Math.max(0, ...r.series.map((p) => p.pdvP99Ns ?? 0));
  const pdvUnit = nsUnit(pdvMax);
  const worstMax = Math.max(0, ...r.worstFlows.flatMap((f) => [f.after.owdP99Ns ?? 0, f.baseline?.owdP99Ns ?? 0]));
  const worstUnit = nsUnit(worstMax);
  const legendBA = legend([['baseline', BASELINE_COLOR], ['after', AFTER_COLOR]]);

  const charts = `<h2>Delay distribution before and after</h2>
${legendBA}
<figure>${histogramChart('delay-distribution', 'One-way delay distribution, baseline vs after', dist)}
<figcaption>Share of delay samples per logarithmic bin, from the merged delay histograms (buckets 1 % wide).</figcaption></figure>
<figure>${cdfChart('delay-cdf', 'Cumulative one-way delay distribution, baseline vs after', dist)}
<figcaption>Share of samples at or below each delay.</figcaption></figure>
<h2>PDV and availability over time</h2>
${legendBA}
<figure>${timeChart('pdv-over-time', 'PDV p99 per hour', [
    { label: 'baseline', color: BASELINE_COLOR, points: series('baseline', (p) => p.pdvP99Ns) },
    { label: 'after', color: AFTER_COLOR, points: series('after', (p) => p.pdvP99Ns) },
  ], `PDV p99 (${pdvUnit.name})`, (v) => v / pdvUnit.ns)}
<figcaption>Per UTC hour: delay p99 minus the hour's minimum delay (RFC 5481 §4.2).</figcaption></figure>
<figure>${timeChart('availability-over-time', 'Availability per hour', [
    { label: 'baseline', color: BASELINE_COLOR, points: series('baseline', (p) => p.availability) },
    { label: 'after', color: AFTER_COLOR, points: series('after', (p) => p.availability) },
  ], 'availability (%)', (v) => v * 100)}
<figcaption>Per UTC hour: 1 − downtime / expected time (TS 22.261 §3.1), over every flow with availability parameters.</figcaption></figure>
<h2>Worst flows (highest delay p99 after the upgrade)</h2>
${legendBA}
<figure>${barChart('worst-flows', 'Delay p99 of the worst flows', r.worstFlows.map((f) => ({
    label: `${f.deviceId}/${f.flowId}`,
    bars: [{ label: 'baseline', color: BASELINE_COLOR, value: f.baseline?.owdP99Ns ?? null }, { label: 'after', color: AFTER_COLOR, value: f.after.owdP99Ns }],
  })), `one-way delay p99 (${worstUnit.name})`, 'flow (device/flow)', (v) => v / worstUnit.ns)}</figure>
<table class="worst"><thead><tr><th>Site</th><th>Network</th><th>Segment</th><th>Device</th><th>Flow</th><th>p99 before</th><th>p99 after</th><th>PDV p99 after</th><th>Loss after</th><th>Availability after</th></tr></thead>
<tbody>${r.worstFlows.map((f) => `<tr><td>${esc(f.siteId)}</td><td>${esc(f.networkType)}</td><td>${esc(f.segmentId)}</td><td>${esc(f.deviceId)}</td><td>${esc(f.flowId)}</td>
<td class="num">${fmtNs(f.baseline?.owdP99Ns ?? null)}</td><td class="num">${fmtNs(f.after.owdP99Ns)}</td><td class="num">${fmtNs(f.after.pdvP99Ns)}</td>
<td class="num">${fmtPct(f.after.lossRatio)}</td><td class="num">${fmtPct(f.after.availability)}</td></tr>`).join('\n')}</tbody></table>`;

  return page(title, `${header}\n${summary}\n${profile}\n${charts}`);
}
