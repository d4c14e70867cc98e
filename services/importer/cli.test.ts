// The command as users run it (a child process): output lines, exit codes, and no stack trace
// for bad input.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATASETS_DIR, datasetText } from './datasets.testkit.ts';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/importer/main.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

function tmpFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isochron-import-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('npm run import', () => {
  it('two-tap: prints the import notes and the whole-capture summary', () => {
    datasetText('tsn-bridge-pdwired/README.md'); // fails clearly when the data sets are absent
    const dir = path.join(DATASETS_DIR, 'tsn-bridge-pdwired');
    const r = cli(['--format', 'two-tap', '--send', path.join(dir, 'upstream-nocross_vlan-10pkt_per_sec.csv'), '--recv', path.join(dir, 'downstream-nocross_vlan-10pkt_per_sec.csv'), '--summary-only', '--flow', 'vlan']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => l.type)).toEqual(['import', 'summary']);
    expect(r.lines[1]).toMatchObject({ flowId: 'vlan', sentPackets: 1000, lostPackets: 0, owdMinNs: 4420, owdMaxNs: 4660, owdMeanNs: 4547.48 });
  });

  it('irtt .json.gz: one JSON line per window row, then import and summary', () => {
    datasetText('5g-oai-uplink-irtt/data_3_upf_se_2024_07_26.json.gz');
    const r = cli(['--format', 'irtt', path.join(DATASETS_DIR, '5g-oai-uplink-irtt/data_3_upf_se_2024_07_26.json.gz'), '--window-ms', '2000', '--network-type', '5g', '--device', 'ue-1']);
    expect(r.code).toBe(0);
    const windows = r.lines.filter((l) => l.type === 'window');
    const summary = r.lines[r.lines.length - 1];
    expect(summary).toMatchObject({ type: 'summary', windowNs: 2_000_000_000, sentPackets: 499, lostPackets: 1 });
    expect(windows).toHaveLength(summary.windows as number);
    expect(windows[0]).toMatchObject({ networkType: '5g', deviceId: 'ue-1', flowId: 'data_3_upf_se_2024_07_26' });
    expect(typeof windows[0].windowStartNs).toBe('string');
  });

  it('bad input: one message naming file, line and field, exit 1, no stack trace', () => {
    const send = tmpFile('in.csv', '100,310a\n200,320a\n300,zz\n');
    const recv = tmpFile('out.csv', '150,310a\n');
    const r = cli(['--format', 'two-tap', '--send', send, '--recv', recv]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`import: ${send} line 3: payload: 'zz' is not an even-length hex string (ISO_IMPORT_INPUT_INVALID)\n`);

    const missing = cli(['--format', 'irtt', path.join(path.dirname(send), 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^import: cannot read .*nope\.json: no such file\n$/);

    const json = cli(['--format', 'irtt', tmpFile('x.json', '{"oneway_trips": [\n  {"seqno": 0,}\n]}')]);
    expect(json.code).toBe(1);
    expect(json.stderr).toMatch(/x\.json: JSON: syntax error at line 2, column 15: found '}'/);
    for (const out of [r.stderr, missing.stderr, json.stderr]) expect(out).not.toMatch(/\n\s+at /);
  });

  it('bad command line: every problem at once, exit 2', () => {
    const r = cli(['--format', 'pcap', '--window-ms', 'soon', '--post', 'ftp://x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/6 problem\(s\)/);
    expect(r.stderr).toMatch(/--api-key-file: missing/);
    expect(r.stderr).toMatch(/--enterprise: missing/);
    expect(r.stderr).toMatch(/--device: missing/);
    expect(r.stderr).toMatch(/--format: got "pcap"/);
    expect(r.stderr).toMatch(/--window-ms: got "soon"/);
    expect(r.stderr).toMatch(/--post: got "ftp:\/\/x"/);

    const device = cli(['--format', 'irtt', 'x.json', '--post', 'http://127.0.0.1:9', '--api-key-file', 'k', '--enterprise', 'e', '--device', 'ue-17']);
    expect(device.code).toBe(2);
    expect(device.stderr).toMatch(/--device: device identifier "ue-17": it has no "\/" between prefix and suffix/);
  });
});
