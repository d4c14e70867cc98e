// Both reports rendered in headless Chromium (Debian's `chromium`, installed by scripts/setup.sh),
// from file:// only, every request routed to a local trap that must stay silent:
//   1. --dump-dom of the report itself: every chart is an <svg data-chart> with drawn marks, and
//      hostile names stayed text (no element came from data);
//   2. a test-only copy with a measuring script (the report's own CSP forbids scripts, so the copy
//      allows inline script): each chart's box has non-zero size and non-empty marks, and the page
//      loaded no resource (performance entries);
//   3. --screenshot of the report itself, decoded here (png.testkit.ts): inside each chart's box
//      enough pixels are painted, in the series colours.
// Each Chromium run has a timeout and its whole process group is killed afterwards (chromium.testkit.ts,
// shared with the API test that renders the served compliance report).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReportInChromium, groupAlive, HOUSEKEEPING, startChromium, WIDTH, type ChromiumHarness } from './chromium.testkit.ts';
import { COMPLIANCE_CHARTS, COMPLIANCE_COLOR, renderComplianceReport } from './compliance-report.ts';
import { decodePng } from './png.testkit.ts';
import { complianceInput, upgradeInput } from './testkit.ts';
import { AFTER_COLOR, BASELINE_COLOR, renderUpgradeReport, UPGRADE_CHARTS } from './upgrade-report.ts';

let h: ChromiumHarness;

beforeAll(async () => {
  h = await startChromium();
});

afterAll(async () => {
  await h.close();
});

describe('PNG decoding of a Chromium screenshot', () => {
  it('reads a page of known colours at known places', async () => {
    const file = path.join(h.dir, 'calibration.html');
    fs.writeFileSync(file, `<!DOCTYPE html><html><body style="margin:0;background:#fff">
<div style="position:absolute;left:20px;top:30px;width:100px;height:50px;background:rgb(10,200,30)"></div>
<div style="position:absolute;left:300px;top:200px;width:10px;height:10px;background:rgb(250,5,128)"></div></body></html>`);
    const png = path.join(h.dir, 'calibration.png');
    await h.run(file, [`--screenshot=${png}`], 400);
    const img = decodePng(fs.readFileSync(png));
    expect([img.width, img.height]).toEqual([WIDTH, 400]);
    const px = (x: number, y: number) => Array.from(img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
    expect(px(20, 30)).toEqual([10, 200, 30, 255]);
    expect(px(119, 79)).toEqual([10, 200, 30, 255]);
    expect(px(120, 79)).toEqual([255, 255, 255, 255]);
    expect(px(305, 205)).toEqual([250, 5, 128, 255]);
    expect(px(500, 300)).toEqual([255, 255, 255, 255]);
  });
});

const REPORTS = [
  { name: 'upgrade', html: () => renderUpgradeReport(upgradeInput()), charts: UPGRADE_CHARTS, colors: [BASELINE_COLOR, AFTER_COLOR] },
  { name: 'compliance', html: () => renderComplianceReport(complianceInput()), charts: COMPLIANCE_CHARTS, colors: [COMPLIANCE_COLOR, '#c5221f'] },
] as const;

describe.each(REPORTS)('$name report in headless Chromium', ({ name, html: make, charts, colors }) => {
  it('has every chart in the rendered DOM, sized and painted, and loads nothing', async () => {
    const { dom, painted } = await checkReportInChromium(h, name, make(), charts, colors);
    expect(dom).toContain('&lt;script&gt;alert("x")&lt;/script&gt;'); // the hostile name, as text
    console.log(name, JSON.stringify(painted));
  }, 180_000);
});

describe('after every run', () => {
  it('nothing but Chromium housekeeping reached the network trap, and no Chromium process is left', () => {
    // Chromium's own housekeeping requests (HOUSEKEEPING) end at the trap; any other request,
    // above all one for something a report references, fails the test.
    console.log(`trapped ${h.trapped.length} housekeeping requests`);
    expect(h.trapped.filter((r) => !HOUSEKEEPING.test(r))).toEqual([]);
    expect(h.groups.length).toBeGreaterThan(0);
    expect(h.groups.filter(groupAlive)).toEqual([]);
  });
});
