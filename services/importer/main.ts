// `npm run import`: reads capture files from third-party tools (two-tap CSV, irtt/nlmt JSON,
// Wi-Fi robotics JSON lines), turns them into wire batches, and either runs them through the
// metric engine here (JSON lines of window rows plus a whole-capture summary on stdout) or POSTs
// them to a gateway. docs/importer.md is the manual. Bad input ends with one clear message on
// stderr and exit code 1 (2 for a bad command line), never a stack trace.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { IsochronError, isIsochronError } from '../core/errors.ts';
import { captureToBatches } from './capture-batches.ts';
import { HelpRequested, parseCliArgs, type ImportCommand } from './cli-args.ts';
import { parseInput, type InputText } from './formats.ts';
import { postBatches } from './post.ts';
import { runEngine } from './run-engine.ts';
import { summarize } from './summary.ts';

class UserError extends Error {}

function readInput(file: string): InputText {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  // gzip by content (magic 1f 8b), whatever the name says.
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = zlib.gunzipSync(buf);
    } catch (e) {
      throw new UserError(`cannot decompress ${file}: ${(e as Error).message}`);
    }
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { name: file, text };
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

async function run(cmd: Readonly<ImportCommand>): Promise<number> {
  const inputs = cmd.files.map(readInput);
  const parsed = parseInput(cmd.format, inputs, { flowId: cmd.flowId, clockSynced: cmd.clockSynced, packetBytes: cmd.packetBytes });
  const batches = captureToBatches(parsed.capture, cmd.identity, { maxSamplesPerBatch: cmd.maxSamplesPerBatch, requirements: cmd.requirements });
  const out = process.stdout;
  const importLine = { type: 'import', format: cmd.format, files: cmd.files, flowId: cmd.flowId, samples: parsed.capture.count, batches: batches.length, notes: parsed.notes, toolStats: parsed.toolStats };

  if (cmd.postUrl !== null) {
    out.write(`${json(importLine)}\n`);
    let apiKey: string;
    try {
      apiKey = fs.readFileSync(cmd.apiKeyFile!, 'utf8').trim();
    } catch (e) {
      throw new IsochronError('CONFIG_INVALID', `--api-key-file: cannot read ${cmd.apiKeyFile}: ${(e as Error).message}`);
    }
    const report = await postBatches(cmd.postUrl, batches, { apiKey });
    out.write(`${json({ type: 'post', ...report })}\n`);
    if (report.failure !== null) {
      const f = report.failure;
      const what = f.status === null ? `could not deliver batch ${f.batch + 1} of ${report.batches} to ${report.url}` : `the gateway refused batch ${f.batch + 1} of ${report.batches} (HTTP ${f.status} ${f.code})`;
      process.stderr.write(`import: ${what}: ${f.message}; ${report.acceptedBatches} batch(es) with ${report.acceptedSamples} samples were accepted before\n`);
      return 1;
    }
    return 0;
  }

  const result = runEngine(batches, cmd.engine);
  if (!cmd.summaryOnly) {
    for (const w of result.windows) out.write(`${json({ type: 'window', ...w })}\n`);
    for (const d of result.discards) out.write(`${json({ type: 'discard', ...d })}\n`);
  }
  out.write(`${json(importLine)}\n`);
  out.write(`${json(summarize(cmd.flowId, result.windows, result.discards, result.config.windowNs, result.config.allowedLatenessNs))}\n`);
  return 0;
}

async function main(): Promise<number> {
  try {
    return await run(parseCliArgs(process.argv.slice(2)));
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(`${e.message}\n`);
      return 0;
    }
    if (e instanceof UserError) {
      process.stderr.write(`import: ${e.message}\n`);
      return 1;
    }
    if (isIsochronError(e)) {
      process.stderr.write(`import: ${e.message} (${e.code})\n`);
      return e.code === 'ISO_CONFIG_INVALID' ? 2 : 1;
    }
    process.stderr.write(`import: internal error, please report it with the input that caused it:\n${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
}

process.exitCode = await main();
