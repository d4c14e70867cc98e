// Command line of `npm run import`: parsed and checked once, every problem reported together with
// the fix (ISO_CONFIG_INVALID), then frozen. No I/O here.
import { parseArgs } from 'node:util';
import { IsochronError } from '../core/errors.ts';
import { parseDeviceIdentifier } from '../core/tenancy/identifier.ts';
import { NETWORK_TYPES, type Identity, type NetworkType } from '../core/wire/batch.ts';
import type { EngineConfig } from '../core/engine/config.ts';
import { DEFAULT_SAMPLES_PER_BATCH, type FlowRequirements } from './capture-batches.ts';

export const FORMATS = ['two-tap', 'irtt', 'wifi'] as const;
export type ImportFormat = (typeof FORMATS)[number];

export interface ImportCommand {
  format: ImportFormat;
  /** two-tap: [send (ingress), recv (egress)]; irtt / wifi: [file]. */
  files: string[];
  identity: Identity;
  flowId: string;
  clockSynced: boolean;
  packetBytes: number | undefined;
  engine: Partial<EngineConfig>;
  requirements: FlowRequirements;
  maxSamplesPerBatch: number;
  postUrl: string | null;
  /** File holding the ingest key for --post (read by main.ts, so parsing stays pure). */
  apiKeyFile: string | null;
  summaryOnly: boolean;
}

export const USAGE = `Usage:
  npm run import -- --format two-tap --send INGRESS.csv --recv EGRESS.csv [options]
  npm run import -- --format irtt FILE.json[.gz]   [options]   (nlmt oneway_trips or irtt round_trips)
  npm run import -- --format wifi FILE.json        [options]   (JSON lines: timestamp, payload.seqnum, payload.src_timestamp_ns)

Options:
  --window-ms N           event-time window length (default 1000)
  --lateness-ms N         allowed lateness = loss waiting time Tmax (default 3000)
  --enterprise ID --site ID --segment ID --device ID --flow ID
  --network-type T        ${NETWORK_TYPES.join('|')} (default: tsn, 5g or wifi6 by format)
  --unsynced              the two clocks were not synchronised (delays are not trusted)
  --packet-bytes N        size reported per packet (default: from the input when it says)
  --transfer-interval-ms N --max-latency-ms N --survival-ms N   flow requirements (availability, deadline)
  --batch-samples N       samples per batch (default ${DEFAULT_SAMPLES_PER_BATCH})
  --post URL              POST the batches to a gateway (URL/v1/batches) instead of computing locally;
                          needs --api-key-file, --enterprise (the key's) and --device PREFIX/SUFFIX
  --api-key-file FILE     file holding the enterprise's ingest key (iso_...), for --post
  --summary-only          print only the import notes and the whole-capture summary
  --help

Output (without --post): JSON lines, one per window row ("type":"window") and discard
("type":"discard"), then "type":"import" (what the parser counted) and "type":"summary".`;

const HELP_HINT = '(npm run import -- --help lists the options)';

const DEFAULT_NETWORK: Record<ImportFormat, NetworkType> = { 'two-tap': 'tsn', irtt: '5g', wifi: 'wifi6' };

export class HelpRequested extends Error {}

/** Parses argv (without node and script). Throws ISO_CONFIG_INVALID listing every problem. */
export function parseCliArgs(argv: readonly string[]): Readonly<ImportCommand> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        send: { type: 'string' },
        recv: { type: 'string' },
        'window-ms': { type: 'string' },
        'lateness-ms': { type: 'string' },
        enterprise: { type: 'string' },
        site: { type: 'string' },
        segment: { type: 'string' },
        device: { type: 'string' },
        flow: { type: 'string' },
        'network-type': { type: 'string' },
        unsynced: { type: 'boolean' },
        'packet-bytes': { type: 'string' },
        'transfer-interval-ms': { type: 'string' },
        'max-latency-ms': { type: 'string' },
        'survival-ms': { type: 'string' },
        'batch-samples': { type: 'string' },
        post: { type: 'string' },
        'api-key-file': { type: 'string' },
        'summary-only': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new IsochronError('CONFIG_INVALID', `${(e as Error).message}\n${HELP_HINT}`);
  }
  const v = parsed.values;
  if (v.help) throw new HelpRequested(USAGE);
  const problems: string[] = [];
  const format = v.format as ImportFormat | undefined;
  if (format === undefined || !FORMATS.includes(format)) problems.push(`--format: got ${JSON.stringify(v.format ?? null)}; use one of ${FORMATS.join(', ')}`);

  let files: string[] = [];
  if (format === 'two-tap') {
    if (!v.send) problems.push('--send: missing; give the ingress-tap CSV (send times)');
    if (!v.recv) problems.push('--recv: missing; give the egress-tap CSV (receive times)');
    if (parsed.positionals.length > 0) problems.push(`unexpected argument(s) ${parsed.positionals.join(' ')}; two-tap takes --send and --recv`);
    files = [v.send ?? '', v.recv ?? ''];
  } else if (format !== undefined && FORMATS.includes(format)) {
    if (v.send || v.recv) problems.push(`--send/--recv: only for --format two-tap; give the ${format} file as an argument`);
    if (parsed.positionals.length !== 1) problems.push(`expected exactly one input file for --format ${format}, got ${parsed.positionals.length}`);
    files = parsed.positionals.slice(0, 1);
  }

  const ms = (name: string, raw: string | undefined, min: number): number | undefined => {
    if (raw === undefined) return undefined;
    const x = Number(raw);
    const ns = Math.round(x * 1e6);
    if (raw.trim() === '' || !Number.isFinite(x) || x < min || Math.abs(ns - x * 1e6) > 1e-3) {
      problems.push(`--${name}: got ${JSON.stringify(raw)}; use a number of milliseconds >= ${min} with at most 6 decimals`);
      return undefined;
    }
    return ns;
  };
  const int = (name: string, raw: string | undefined, min: number, max: number): number | undefined => {
    if (raw === undefined) return undefined;
    const x = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(x) || x < min || x > max) {
      problems.push(`--${name}: got ${JSON.stringify(raw)}; use an integer in [${min}, ${max}]`);
      return undefined;
    }
    return x;
  };
  const windowNs = ms('window-ms', v['window-ms'], 1);
  const latenessNs = ms('lateness-ms', v['lateness-ms'], 0);
  const transferIntervalNs = ms('transfer-interval-ms', v['transfer-interval-ms'], 0);
  const maxLatencyNs = ms('max-latency-ms', v['max-latency-ms'], 0);
  const survivalTimeNs = ms('survival-ms', v['survival-ms'], 0);
  const packetBytes = int('packet-bytes', v['packet-bytes'], 0, 65535);
  const maxSamplesPerBatch = int('batch-samples', v['batch-samples'], 1, 500_000) ?? DEFAULT_SAMPLES_PER_BATCH;

  const networkType = (v['network-type'] ?? (format && FORMATS.includes(format) ? DEFAULT_NETWORK[format] : 'unspecified')) as NetworkType;
  if (!NETWORK_TYPES.includes(networkType)) problems.push(`--network-type: got ${JSON.stringify(networkType)}; use one of ${NETWORK_TYPES.join(', ')}`);
  for (const k of ['enterprise', 'device', 'flow'] as const) {
    if (v[k] !== undefined && v[k].trim() === '') problems.push(`--${k}: must not be empty`);
  }

  let postUrl: string | null = null;
  if (v.post !== undefined) {
    try {
      const u = new URL(v.post);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      postUrl = `${v.post.replace(/\/+$/, '')}/v1/batches`;
    } catch {
      problems.push(`--post: got ${JSON.stringify(v.post)}; use the gateway's base URL, e.g. http://127.0.0.1:8088`);
    }
    // The gateway accepts only batches of the key's enterprise from devices under its prefix.
    if (v['api-key-file'] === undefined) problems.push("--api-key-file: missing; --post needs a file holding the enterprise's ingest key (npm run admin -- create-key)");
    if (v.enterprise === undefined) problems.push("--enterprise: missing; --post needs the ingest key's enterprise id");
    if (v.device === undefined) problems.push('--device: missing; --post needs an industrial internet identifier under the enterprise prefix, e.g. 88.100.1/DEV-0001');
    else {
      try {
        parseDeviceIdentifier(v.device);
      } catch (e) {
        problems.push(`--device: ${(e as Error).message}`);
      }
    }
  } else if (v['api-key-file'] !== undefined) {
    problems.push('--api-key-file: only used with --post');
  }
  if (problems.length > 0) {
    throw new IsochronError('CONFIG_INVALID', `${problems.length} problem(s) on the command line:\n- ${problems.join('\n- ')}\n${HELP_HINT}`, { problems });
  }

  const first = files[format === 'two-tap' ? 1 : 0];
  const engine: Partial<EngineConfig> = {};
  if (windowNs !== undefined) engine.windowNs = windowNs;
  if (latenessNs !== undefined) engine.allowedLatenessNs = latenessNs;
  return Object.freeze({
    format: format as ImportFormat,
    files,
    identity: {
      enterpriseId: v.enterprise ?? 'import',
      siteId: v.site ?? '',
      networkType,
      segmentId: v.segment ?? '',
      deviceId: v.device ?? 'importer',
    },
    flowId: v.flow ?? defaultFlowId(first),
    clockSynced: v.unsynced !== true,
    packetBytes,
    engine,
    requirements: { transferIntervalNs, maxLatencyNs, survivalTimeNs },
    maxSamplesPerBatch,
    postUrl,
    apiKeyFile: v['api-key-file'] ?? null,
    summaryOnly: v['summary-only'] === true,
  });
}

/** File name without folders and the usual extensions: downstream-x.csv -> downstream-x. */
function defaultFlowId(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.gz$/i, '').replace(/\.(csv|json|jsonl)$/i, '') || 'capture';
}
