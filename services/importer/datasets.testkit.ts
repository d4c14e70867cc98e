// Test support for the real-data tests: where the shared third-party data sets live (read in
// place, never copied into the repository; licences in each folder), and the importer pipeline
// exactly as the CLI runs it (parse -> wire batches -> decoder -> engine -> merged summary).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { Identity } from '../core/wire/batch.ts';
import type { EngineConfig } from '../core/engine/config.ts';
import { captureToBatches } from './capture-batches.ts';
import type { ImportFormat } from './cli-args.ts';
import { parseInput, type ParsedInput } from './formats.ts';
import { runEngine, type EngineRun } from './run-engine.ts';
import { summarize, type CaptureSummary } from './summary.ts';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const DATASETS_DIR = path.resolve(REPO_ROOT, '../shared/datasets');

/** Text of a data set file (gunzipped when .gz). Fails, never skips, when the data are absent. */
export function datasetText(rel: string): string {
  if (!fs.existsSync(DATASETS_DIR)) {
    throw new Error(`real-data test: the shared data sets are missing; expected them in ${DATASETS_DIR} (../shared/datasets relative to the repository root, see docs/importer.md)`);
  }
  const file = path.join(DATASETS_DIR, rel);
  if (!fs.existsSync(file)) throw new Error(`real-data test: ${file} is missing from the shared data sets`);
  const buf = fs.readFileSync(file);
  return (rel.endsWith('.gz') ? zlib.gunzipSync(buf) : buf).toString('utf8');
}

export const TEST_IDENTITY: Identity = { enterpriseId: 'real-data', siteId: '', networkType: 'unspecified', segmentId: '', deviceId: 'importer-test' };

export interface PipelineResult {
  parsed: ParsedInput;
  run: EngineRun;
  summary: CaptureSummary;
}

export function importAndRun(format: ImportFormat, files: string[], engine: Partial<EngineConfig>, batchSamples?: number): PipelineResult {
  const parsed = parseInput(
    format,
    files.map((f) => ({ name: f, text: datasetText(f) })),
    { flowId: 'flow', clockSynced: true, packetBytes: undefined },
  );
  const batches = captureToBatches(parsed.capture, TEST_IDENTITY, { maxSamplesPerBatch: batchSamples });
  const run = runEngine(batches, engine);
  return { parsed, run, summary: summarize('flow', run.windows, run.discards, run.config.windowNs, run.config.allowedLatenessNs) };
}

/** Longest window the engine accepts (1 day): one window spans a capture that stays inside a UTC day. */
export const ONE_DAY_NS = 86_400_000_000_000;
