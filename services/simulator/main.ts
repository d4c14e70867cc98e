// Simulator process: runs the pure model (generate.ts) against the wall clock. Every batch
// interval it generates the step that just ended and delivers its batches to the gateway over
// HTTP (Bearer key per enterprise) or straight to the Kafka topic; batches held back by
// late_delivery wait in a queue until their delivery time. In-flight sends are bounded: when the
// gateway or Kafka is slow, generation waits (and catches up afterwards, never skips a step).
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, SIMULATOR_SETTINGS } from '../config/settings.ts';
import { createProducer, type Producer } from '../adapters/kafka/client.ts';
import { demoSchedule, NO_FAULTS, resolveSchedule, type FaultSchedule } from './faults.ts';
import { buildFleet, fleetPacketRate } from './fleet.ts';
import { createSimulation, generateInterval, type SimBatch } from './generate.ts';

const config = loadConfig('simulator', SIMULATOR_SETTINGS, ALL_ENV_VARS);
const log = (msg: string) => console.log(`[simulator] ${msg}`);

const fleet = buildFleet({ seed: config.seed, enterprises: config.enterprises, sitesPerEnterprise: config.sitesPerEnterprise, devicesPerSite: config.devicesPerSite, flowsPerDevice: config.flowsPerDevice });
function loadSchedule(choice: string): FaultSchedule {
  if (choice === 'none') return NO_FAULTS;
  if (choice === 'demo') return demoSchedule(fleet);
  return JSON.parse(readFileSync(choice, 'utf8')) as FaultSchedule;
}
const schedule = resolveSchedule(loadSchedule(config.faults));
const stepNs = config.batchIntervalMs * 1_000_000;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
const originNs = (nowNs() / BigInt(stepNs)) * BigInt(stepNs);
const sim = createSimulation({ fleet, schedule, originNs, batchIntervalNs: stepNs });

// Credentials: without a file no Authorization header is sent; with one, enterprises without a
// key are skipped (logged once each).
let keys: Map<string, string> | null = null;
if (config.credentialsFile !== '') {
  const raw = JSON.parse(readFileSync(config.credentialsFile, 'utf8')) as Record<string, unknown>;
  keys = new Map(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
const skippedEnterprises = new Set<string>();

const stats = { batches: 0, accepted: 0, expectedRejections: 0, unexpectedRejections: 0, failures: 0, samples: 0, skipped: 0, late: 0 };
let logged = 0;
const logLimited = (msg: string) => {
  if (++logged <= 20 || logged % 500 === 0) log(msg);
};

let producer: Producer | null = null;
const url = `${config.gatewayUrl.replace(/\/+$/, '')}/v1/batches`;

async function postOnce(b: SimBatch, key: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-protobuf' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  return fetch(url, { method: 'POST', body: b.bytes, headers, signal: AbortSignal.timeout(10_000) });
}

async function deliverHttp(b: SimBatch): Promise<void> {
  const ent = b.identity.enterpriseId;
  let key: string | undefined;
  if (keys !== null) {
    key = keys.get(ent);
    if (key === undefined) {
      stats.skipped++;
      if (!skippedEnterprises.has(ent)) {
        skippedEnterprises.add(ent);
        log(`no API key for ${ent} in ${config.credentialsFile}: its batches are skipped`);
      }
      return;
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await postOnce(b, key);
      const body = res.status === 202 ? '' : await res.text();
      if (res.status === 202) {
        if (b.malformed !== null) {
          stats.unexpectedRejections++;
          logLimited(`a malformed batch (${b.malformed.corruption}) was accepted`);
        } else stats.accepted++;
        return;
      }
      if ((res.status === 503 || res.status === 429) && attempt < 4) {
        await sleep(100 * 2 ** attempt);
        continue;
      }
      if (b.malformed !== null && res.status >= 400 && res.status < 500) stats.expectedRejections++;
      else {
        stats.unexpectedRejections++;
        logLimited(`gateway answered ${res.status}: ${body.slice(0, 200)}`);
      }
      return;
    } catch (e) {
      if (attempt < 4) {
        await sleep(100 * 2 ** attempt);
        continue;
      }
      stats.failures++;
      logLimited(`post failed: ${(e as Error).message}`);
      return;
    }
  }
}

async function deliverKafka(batches: SimBatch[]): Promise<void> {
  try {
    await producer!.send(config.telemetryTopic, batches.map((b) => ({ key: b.key, value: Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength) })));
    // The topic takes any bytes; the worker dead-letters the malformed ones.
    for (const b of batches) if (b.malformed !== null) stats.expectedRejections++;
    else stats.accepted++;
  } catch (e) {
    stats.failures += batches.length;
    logLimited(`Kafka send failed: ${(e as Error).message}`);
  }
}

// Bounded in-flight sends.
let inFlight = 0;
const waiters: (() => void)[] = [];
async function acquire(): Promise<void> {
  while (inFlight >= config.maxInFlight) await new Promise<void>((r) => waiters.push(r));
  inFlight++;
}
function release(): void {
  inFlight--;
  waiters.shift()?.();
}
function launch(work: Promise<void>): void {
  void work.finally(release);
}

async function deliver(batches: SimBatch[]): Promise<void> {
  if (batches.length === 0) return;
  for (const b of batches) {
    stats.batches++;
    stats.samples += b.samples;
  }
  if (config.transport === 'kafka') {
    await acquire();
    launch(deliverKafka(batches));
    return;
  }
  for (const b of batches) {
    await acquire();
    launch(deliverHttp(b));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stopping = false;

async function run(): Promise<void> {
  const held: SimBatch[] = [];
  const endNs = config.durationMs > 0 ? originNs + BigInt(config.durationMs) * 1_000_000n : null;
  for (let k = 0; !stopping; k++) {
    const from = originNs + BigInt(k) * BigInt(stepNs);
    const to = from + BigInt(stepNs);
    if (endNs !== null && to > endNs) break;
    const waitMs = Number(to - nowNs()) / 1e6;
    if (waitMs > 0) await sleep(waitMs);
    if (stopping) break;
    const { batches } = generateInterval(sim, from, to);
    const now: SimBatch[] = [];
    for (let i = 0; i < held.length; ) {
      if (held[i].deliverNs <= to) {
        stats.late++;
        now.push(...held.splice(i, 1));
      } else i++;
    }
    for (const b of batches) (b.deliverNs <= to ? now : held).push(b);
    await deliver(now);
  }
  if (held.length > 0) log(`${held.length} held (late) batches not delivered at stop`);
}

if (config.transport === 'kafka') {
  producer = await createProducer({ brokers: config.kafkaBrokers, clientId: 'isochron-simulator', client: config.kafkaClient });
}
const flows = fleet.devices.reduce((a, d) => a + d.flows.length, 0);
log(`${fleet.enterprises.length} enterprises, ${fleet.devices.length} devices, ${flows} flows (5G URLLC/eMBB, TSN), ${Math.round(fleetPacketRate(fleet))} packets/s; ` +
  `${schedule.faults.length} scheduled faults (${config.faults}); ${config.transport === 'kafka' ? `producing to ${config.telemetryTopic}` : `posting to ${url}`} every ${config.batchIntervalMs} ms; ` +
  `origin ${originNs} ns (with the same settings, generateInterval from it reproduces the run)`);
const started = Date.now();
const outcomes = () =>
  `${stats.batches} batches (${stats.accepted} accepted, ${stats.expectedRejections} expected rejections, ${stats.unexpectedRejections} unexpected, ${stats.failures} failed, ${stats.skipped} skipped, ${stats.late} late), ${stats.samples} samples`;
const progress = setInterval(() => {
  const s = (Date.now() - started) / 1000;
  log(`${outcomes()}, ${Math.round(stats.samples / s)} samples/s, ${inFlight} in flight`);
}, 10_000);

const running = run();
async function stop(code: number): Promise<never> {
  stopping = true;
  await running;
  const deadline = Date.now() + 10_000;
  while (inFlight > 0 && Date.now() < deadline) await sleep(20);
  clearInterval(progress);
  if (producer !== null) await producer.disconnect();
  // The outcome counts of the whole run: a run shorter than the progress interval prints no other.
  log(`stopped: ${outcomes()}, ${inFlight} requests abandoned`);
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void stop(0));
running.then(() => stop(0), (e: unknown) => {
  log(`failed: ${e instanceof Error ? e.message : String(e)}`);
  void stop(1);
});
