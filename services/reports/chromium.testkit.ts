// Headless Chromium for report tests (Debian's `chromium`, installed by scripts/setup.sh): pages
// are opened from file:// only, every request is routed to a local trap that records it, each run
// has a timeout and its whole process group is killed afterwards. Also: a copy of a report that
// measures its charts (the report's own CSP forbids scripts, so the copy allows inline script)
// and pixel counting in a screenshot. Only tests import this file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { decodePng, type Image } from './png.testkit.ts';

export const RUN_TIMEOUT_MS = 45_000;
export const WIDTH = 1000;

export interface ChromiumHarness {
  /** Scratch directory (removed by close). */
  readonly dir: string;
  /** First line of every request that reached the trap. */
  readonly trapped: string[];
  /** Process groups started (each killed when its run ends). */
  readonly groups: number[];
  /** Runs headless Chromium on a file; stdout, or throws. The process group never outlives the call. */
  run(file: string, extra: readonly string[], windowHeight: number): Promise<string>;
  close(): Promise<void>;
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startChromium(): Promise<ChromiumHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-report-'));
  const trapped: string[] = [];
  const groups: number[] = [];
  const trap = net.createServer((socket) => {
    socket.once('data', (d) => trapped.push(d.toString('latin1').split('\r\n')[0]));
    socket.on('error', () => {});
    socket.end();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const trapPort = (trap.address() as net.AddressInfo).port;

  async function run(file: string, extra: readonly string[], windowHeight: number): Promise<string> {
    const args = [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-extensions', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--no-default-browser-check', '--hide-scrollbars', '--force-device-scale-factor=1',
      // Chromium's own housekeeping traffic (component and extension updates, network time, sign-in):
      '--disable-default-apps', '--disable-domain-reliability', '--no-pings', '--disable-client-side-phishing-detection', '--disable-breakpad',
      '--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,CertificateTransparencyComponentUpdater,AutofillServerCommunication,SignInProfileCreation',
      `--user-data-dir=${fs.mkdtempSync(path.join(dir, 'profile-'))}`,
      `--proxy-server=http://127.0.0.1:${trapPort}`, '--proxy-bypass-list=<-loopback>',
      `--window-size=${WIDTH},${windowHeight}`, ...extra, pathToFileURL(file).href,
    ];
    const child = spawn('chromium', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pgid = child.pid as number;
    groups.push(pgid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
    }, RUN_TIMEOUT_MS);
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', (e) => reject(new Error(`cannot start chromium (run scripts/setup.sh, which installs Debian's chromium): ${e.message}`)));
        child.once('close', (c) => resolve(c));
      });
      if (timedOut) throw new Error(`chromium did not finish within ${RUN_TIMEOUT_MS} ms`);
      if (code !== 0) throw new Error(`chromium exited with ${code}: ${stderr.slice(-2000)}`);
      return stdout;
    } finally {
      clearTimeout(timer);
      // Helpers Chromium left behind (zygote, GPU, network service) share its process group.
      try { process.kill(-pgid, 'SIGKILL'); } catch { /* none left */ }
      for (let i = 0; i < 50 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 40));
    }
  }

  return {
    dir,
    trapped,
    groups,
    run,
    async close() {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Chromium still calls its update and sign-in services despite the flags above (seen
 * with an empty page too). Those requests end at the trap; any other request, above all one for
 * something a report references, is a failure.
 */
export const HOUSEKEEPING = /^(CONNECT (update\.googleapis\.com|accounts\.google\.com|clients2\.google\.com):443|(GET|POST) http:\/\/(update\.googleapis\.com|clients2\.google\.com)\/)/;

const MEASURE = `<script>
(() => {
  const out = { resources: performance.getEntriesByType('resource').map((e) => e.name), scrollHeight: document.documentElement.scrollHeight, charts: {} };
  for (const svg of document.querySelectorAll('svg[data-chart]')) {
    const r = svg.getBoundingClientRect();
    let marks = 0;
    for (const el of svg.querySelectorAll('path, rect, circle')) {
      const b = el.getBBox();
      if (b.width > 0 && b.height > 0 && el.closest('.series, .bar-group')) marks++;
    }
    out.charts[svg.dataset.chart] = { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height, marks, texts: svg.querySelectorAll('text').length };
  }
  const pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`;

export interface Box { x: number; y: number; width: number; height: number; marks: number; texts: number }
export interface Measured { resources: string[]; scrollHeight: number; charts: Record<string, Box> }

export const REPORT_META_CSP = `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`;

/** A copy of the report that measures itself (test only: its CSP also allows the inline script); undefined if the report lacks its CSP. */
export function measuringCopy(html: string): string | undefined {
  if (!html.includes(REPORT_META_CSP)) return undefined;
  return html.replace(REPORT_META_CSP, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'"`).replace('</body>', `${MEASURE}\n</body>`);
}

export function unescapeText(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** What the measuring copy's script wrote into the DOM Chromium dumped; undefined if it did not run. */
export function measuredOf(dom: string): Measured | undefined {
  const m = /<pre id="measure">([\s\S]*?)<\/pre>/.exec(dom);
  return m === null ? undefined : (JSON.parse(unescapeText(m[1])) as Measured);
}

function hex(color: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
}

/** Pixels inside a box that are not (near) white, and those near one of the given colours (blended on white or not). */
export function paint(img: Image, b: Box, colors: readonly string[]): { painted: number; colored: number; area: number } {
  let painted = 0;
  let colored = 0;
  const targets = colors.map(hex);
  const x0 = Math.max(0, Math.floor(b.x)), y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(img.width, Math.ceil(b.x + b.width)), y1 = Math.min(img.height, Math.ceil(b.y + b.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * img.width + x) * 4;
      const [r, g, bl] = [img.rgba[o], img.rgba[o + 1], img.rgba[o + 2]];
      if (r < 240 || g < 240 || bl < 240) painted++;
      // a colour c drawn with opacity t over white is 255 - t (255 - c): same direction from white
      if (targets.some(([tr, tg, tb]) => {
        const d = [255 - r, 255 - g, 255 - bl];
        const e = [255 - tr, 255 - tg, 255 - tb];
        const t = (d[0] * e[0] + d[1] * e[1] + d[2] * e[2]) / (e[0] ** 2 + e[1] ** 2 + e[2] ** 2);
        return t > 0.3 && Math.hypot(d[0] - t * e[0], d[1] - t * e[1], d[2] - t * e[2]) < 12;
      })) colored++;
    }
  }
  return { painted, colored, area: Math.max(0, x1 - x0) * Math.max(0, y1 - y0) };
}

/**
 * Renders a report three ways and checks every chart: (1) --dump-dom of the report itself: each
 * chart is an <svg data-chart> with drawn marks, and no script or image element exists; (2) the
 * measuring copy: each chart's box has a real size, non-empty marks and its texts, and the page
 * loaded no resource; (3) --screenshot of the report itself, decoded: inside each chart's box
 * enough pixels are painted, in the series colours. Returns the dumped DOM and the paint counts.
 */
export async function checkReportInChromium(h: ChromiumHarness, name: string, html: string, charts: readonly string[], colors: readonly string[]) {
  const file = path.join(h.dir, `${name}.html`);
  fs.writeFileSync(file, html);

  const dom = await h.run(file, ['--dump-dom'], 1000);
  for (const id of charts) {
    const svg = dom.slice(dom.indexOf(`<svg data-chart="${id}"`), dom.indexOf('</svg>', dom.indexOf(`<svg data-chart="${id}"`)));
    expect(svg.length, `${id} in the rendered DOM`).toBeGreaterThan(0);
    expect(svg, id).toMatch(/<path [^>]*d="M[\d.]+ [\d.]+ ?[HVLM]|<rect [^>]*width="[1-9]/);
  }
  expect(dom).not.toMatch(/<script|<img/i);

  const copy = measuringCopy(html);
  expect(copy, 'the report carries its CSP meta element').toBeDefined();
  const copyFile = path.join(h.dir, `${name}.measure.html`);
  fs.writeFileSync(copyFile, copy!);
  const measured = measuredOf(await h.run(copyFile, ['--dump-dom'], 1000));
  expect(measured, 'the measuring script ran').toBeDefined();
  expect(measured!.resources).toEqual([]);
  expect(Object.keys(measured!.charts).sort()).toEqual([...charts].sort());
  for (const id of charts) {
    const b = measured!.charts[id];
    expect(b.width, id).toBeGreaterThan(300);
    expect(b.height, id).toBeGreaterThan(150);
    expect(b.marks, id).toBeGreaterThan(0);
    expect(b.texts, id).toBeGreaterThanOrEqual(4); // title text, axis titles, tick labels
  }

  const png = path.join(h.dir, `${name}.png`);
  const height = Math.min(16_000, Math.ceil(measured!.scrollHeight));
  await h.run(file, [`--screenshot=${png}`], height);
  const img = decodePng(fs.readFileSync(png));
  expect(img.width).toBe(WIDTH);
  const painted = Object.fromEntries(charts.map((id) => [id, paint(img, measured!.charts[id], colors)]));
  for (const id of charts) {
    expect(painted[id].painted / painted[id].area, `${id}: painted share`).toBeGreaterThan(0.01);
    expect(painted[id].colored, `${id}: pixels in the series colours`).toBeGreaterThan(50);
  }
  return { dom, measured: measured!, painted, png };
}
