// The simulator PROCESS (services/simulator/main.ts, what `npm start` runs) end to end, over
// both transports, against the real Kafka and ClickHouse:
//   http:  simulator -> gateway (its own process, keys from the registry) -> Kafka -> worker
//   kafka: simulator -> Kafka -> worker (malformed batches are dead-lettered by the worker)
// The simulator logs its origin; the pure model (generateInterval) recomputes the run from it,
// and every count is checked against that: the simulator's own final report, the gateway's
// /metrics, the records on the topic (byte for byte), the dead-letter topic, and the window
// rows, whose per-window packet counts are computed here from the expected batches decoded with
// protobufjs (a third-party decoder, not the worker's).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../services/adapters/tenancy/registry.ts';
import { writeSecretFile } from '../../services/adapters/tenancy/secret-file.ts';
import { decodeBatchWithProtobufjs } from '../../services/core/wire/protobufjs-adapter.ts';
import type { FaultSchedule } from '../../services/simulator/faults.ts';
import { buildFleet, type Fleet } from '../../services/simulator/fleet.ts';
import { createSimulation, generateInterval, type IntervalOutput, type SimBatch } from '../../services/simulator/generate.ts';
import { provisionSimulatedFleet } from '../../services/simulator/provision.ts';
import { createTopics, readTopic } from '../support/kafka.ts';
import { startService, until, type ServiceProcess } from '../support/processes.ts';
import { clickhouseUrl, kafkaBrokers, uniqueName } from '../support/stack.ts';
import { startWorker, workerTarget, type WorkerTarget } from '../support/worker-run.ts';

const SPEC = { seed: 5, enterprises: 2, sitesPerEnterprise: 1, devicesPerSite: 3, flowsPerDevice: 1 };
const STEP_MS = 100;
const DURATION_MS = 5000;
// The run loop stops before a step that would end after the duration.
const STEPS = Math.floor(DURATION_MS / STEP_MS);
const S = 1_000_000_000;
const WINDOW_NS = 1_000_000_000n;

const fleet = buildFleet(SPEC);
const deviceOf = (enterpriseId: string, kind: string) => fleet.devices.find((d) => d.identity.enterpriseId === enterpriseId && d.kind === kind)!;
const burstDevice = deviceOf('ent-00001', 'urllc');
// A loss burst, duplicates, and malformed batches of both kinds, all inside the 5 s run.
const SCHEDULE: FaultSchedule = {
  periodNs: 0,
  faults: [
    { kind: 'loss_burst', target: { deviceId: burstDevice.identity.deviceId, flowId: burstDevice.flows[0].flowId }, startNs: 1.5 * S, endNs: 2.0 * S },
    { kind: 'duplicates', target: { deviceId: deviceOf('ent-00002', 'embb').identity.deviceId }, startNs: 1 * S, endNs: 4 * S, params: { probability: 0.1 } },
    // Steps starting at 2.5, 2.6, 2.7 s: 3 truncated batches.
    { kind: 'malformed', target: { deviceId: deviceOf('ent-00001', 'tsn').identity.deviceId }, startNs: 2.5 * S, endNs: 2.8 * S },
    // Steps starting at 3.0, 3.1 s: 2 batches with a wrong schema version.
    { kind: 'malformed', target: { deviceId: deviceOf('ent-00002', 'urllc').identity.deviceId }, startNs: 3.0 * S, endNs: 3.2 * S, params: { corruption: 1 } },
  ],
};
const EXPECTED_MALFORMED = { ISO_WIRE_TRUNCATED: 3, ISO_WIRE_BAD_VERSION: 2 };

const admin = () => new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING, clientId: 'isochron-test-admin' }).admin();

async function recordsOn(topic: string): Promise<number> {
  const a = admin();
  await a.connect();
  try {
    return (await a.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await a.disconnect();
  }
}

async function deleteTopics(topics: string[]): Promise<void> {
  const a = admin();
  await a.connect();
  try {
    await a.deleteTopics({ topics });
  } finally {
    await a.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function exitOf(p: ServiceProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve(p.child.exitCode);
    const timer = setTimeout(() => reject(new Error(`the simulator did not exit within ${timeoutMs} ms\n--- output ---\n${p.output()}`)), timeoutMs);
    p.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

interface Report { batches: number; accepted: number; expected: number; unexpected: number; failed: number; skipped: number; late: number; samples: number; abandoned: number }

/** The simulator's origin (start line) and its final report line. */
function parseSimulatorOutput(out: string): { originNs: bigint; report: Report } {
  const origin = /origin (\d+) ns/.exec(out);
  const m = /stopped: (\d+) batches \((\d+) accepted, (\d+) expected rejections, (\d+) unexpected, (\d+) failed, (\d+) skipped, (\d+) late\), (\d+) samples, (\d+) requests abandoned/.exec(out);
  if (origin === null || m === null) throw new Error(`no origin or final report in the simulator's output:\n${out}`);
  const n = m.slice(1).map(Number);
  return { originNs: BigInt(origin[1]), report: { batches: n[0], accepted: n[1], expected: n[2], unexpected: n[3], failed: n[4], skipped: n[5], late: n[6], samples: n[7], abandoned: n[8] } };
}

/** The run recomputed by the pure model from the logged origin. */
function expectedRun(originNs: bigint): IntervalOutput {
  const sim = createSimulation({ fleet, schedule: SCHEDULE, originNs, batchIntervalNs: STEP_MS * 1_000_000 });
  return generateInterval(sim, originNs, originNs + BigInt(STEPS * STEP_MS) * 1_000_000n);
}

const recordId = (key: string | null, value: Uint8Array | null) => `${key}|${Buffer.from(value ?? new Uint8Array(0)).toString('base64')}`;

interface WindowCounts { received: number; duplicates: number }
interface FlowExpectation { identity: string; windows: Map<string, WindowCounts>; sent: number; received: number }

/**
 * Per flow and window from the batches that reach the worker: first copies of a sequence number
 * are received, later copies are duplicates (RFC 5560), each in the window of its send time;
 * packets sent = highest - lowest sequence number received + 1 (docs/metrics.md, sentPackets).
 */
function expectedWindows(good: SimBatch[]): Map<string, FlowExpectation> {
  const flows = new Map<string, FlowExpectation & { seen: Set<number>; min: number; max: number }>();
  for (const b of good) {
    const d = decodeBatchWithProtobufjs(b.bytes);
    const id = d.identity;
    for (const f of d.flows) {
      const key = `${id.enterpriseId}|${id.deviceId}|${f.flowId}`;
      let e = flows.get(key);
      if (e === undefined) {
        e = { identity: `${id.enterpriseId}|${id.siteId}|${id.networkType}|${id.segmentId}|${id.deviceId}|${f.flowId}`, windows: new Map(), sent: 0, received: 0, seen: new Set(), min: Infinity, max: -Infinity };
        flows.set(key, e);
      }
      for (let i = 0; i < f.count; i++) {
        const sendNs = f.baseSendNs + BigInt(f.sendOffsetNs[i]);
        const w = String((sendNs / WINDOW_NS) * WINDOW_NS);
        let c = e.windows.get(w);
        if (c === undefined) e.windows.set(w, (c = { received: 0, duplicates: 0 }));
        const seq = f.seq[i];
        if (e.seen.has(seq)) c.duplicates++;
        else {
          e.seen.add(seq);
          c.received++;
          e.received++;
          e.min = Math.min(e.min, seq);
          e.max = Math.max(e.max, seq);
        }
      }
    }
  }
  for (const e of flows.values()) e.sent = e.max - e.min + 1;
  return flows;
}

interface Row { enterprise_id: string; site_id: string; network_type: string; segment_id: string; device_id: string; flow_id: string; window_start_ns: string; sent_packets: string; received_packets: string; lost_packets: string; duplicate_packets: string }

/** Waits until every accepted sample is in a window row or a discard row, then checks the rows. */
async function checkWindows(t: WorkerTarget, good: SimBatch[], out: () => string): Promise<void> {
  const goodSamples = good.reduce((n, b) => n + b.samples, 0);
  await until(
    `window rows holding all ${goodSamples} samples`,
    async () => {
      const [w] = await t.ch.query<{ n: string }>('SELECT sum(received_packets + duplicate_packets + corrupt_packets + unreceived_reports) AS n FROM flow_windows FINAL');
      const [d] = await t.ch.query<{ n: string }>('SELECT sum(count) AS n FROM flow_discards');
      return Number(w.n) + Number(d.n) === goodSamples ? true : undefined;
    },
    45_000,
    out,
  );
  // Every sample arrived in time: nothing discarded.
  const [discards] = await t.ch.query<{ n: string }>('SELECT count() AS n FROM flow_discards');
  expect(Number(discards.n)).toBe(0);

  const rows = await t.ch.query<Row>(
    'SELECT enterprise_id, site_id, toString(network_type) AS network_type, segment_id, device_id, flow_id, window_start_ns, sent_packets, received_packets, lost_packets, duplicate_packets FROM flow_windows FINAL ORDER BY enterprise_id, device_id, flow_id, window_start_ns',
  );
  const expected = expectedWindows(good);

  // Every simulated flow, with the fleet's identity, and no other.
  const fleetFlows = fleet.devices.flatMap((d) => d.flows.map((f) => `${d.identity.enterpriseId}|${d.identity.siteId}|${d.identity.networkType}|${d.identity.segmentId}|${d.identity.deviceId}|${f.flowId}`)).sort();
  expect(fleetFlows).toHaveLength(6);
  expect([...new Set(rows.map((r) => `${r.enterprise_id}|${r.site_id}|${r.network_type}|${r.segment_id}|${r.device_id}|${r.flow_id}`))].sort()).toEqual(fleetFlows);
  expect([...expected.values()].map((e) => e.identity).sort()).toEqual(fleetFlows);
  for (const r of rows) expect(r.device_id.startsWith(`${fleet.enterprises.find((e) => e.enterpriseId === r.enterprise_id)!.identifierPrefix}/`)).toBe(true);

  // Per window: received and duplicate packets. Per flow: packets sent and lost.
  const actualWindows = new Map<string, Map<string, WindowCounts>>();
  const totals = new Map<string, { sent: number; received: number; lost: number }>();
  for (const r of rows) {
    const key = `${r.enterprise_id}|${r.device_id}|${r.flow_id}`;
    if (!actualWindows.has(key)) actualWindows.set(key, new Map());
    actualWindows.get(key)!.set(r.window_start_ns, { received: Number(r.received_packets), duplicates: Number(r.duplicate_packets) });
    const tot = totals.get(key) ?? { sent: 0, received: 0, lost: 0 };
    tot.sent += Number(r.sent_packets);
    tot.received += Number(r.received_packets);
    tot.lost += Number(r.lost_packets);
    totals.set(key, tot);
  }
  for (const [key, e] of expected) {
    expect(Object.fromEntries(actualWindows.get(key) ?? []), key).toEqual(Object.fromEntries(e.windows));
    expect(totals.get(key), key).toEqual({ sent: e.sent, received: e.received, lost: e.sent - e.received });
  }
}

interface Run {
  readonly dir: string;
  readonly topic: string;
  readonly dlq: string;
  t?: WorkerTarget;
  readonly processes: ServiceProcess[];
}

async function newRun(prefix: string): Promise<Run> {
  const run: Run = { dir: fs.mkdtempSync(path.join(os.tmpdir(), `isochron-${prefix}-`)), topic: uniqueName(prefix), dlq: uniqueName(`${prefix}_dlq`), processes: [] };
  await createTopics([{ topic: run.topic, partitions: 2 }, { topic: run.dlq, partitions: 1 }]);
  run.t = await workerTarget(prefix, run.topic, run.dlq);
  fs.writeFileSync(path.join(run.dir, 'faults.json'), JSON.stringify(SCHEDULE));
  return run;
}

async function cleanUp(run: Run | undefined): Promise<void> {
  if (run === undefined) return;
  await Promise.all(run.processes.map((p) => p.stop('SIGKILL')));
  await run.t?.drop();
  await deleteTopics([run.topic, run.dlq]).catch(() => undefined);
  fs.rmSync(run.dir, { recursive: true, force: true });
}

function simulatorEnv(extra: Record<string, string>): Record<string, string> {
  return {
    ISOCHRON_SIMULATOR_SEED: String(SPEC.seed),
    ISOCHRON_SIMULATOR_ENTERPRISES: String(SPEC.enterprises),
    ISOCHRON_SIMULATOR_SITES_PER_ENTERPRISE: String(SPEC.sitesPerEnterprise),
    ISOCHRON_SIMULATOR_DEVICES_PER_SITE: String(SPEC.devicesPerSite),
    ISOCHRON_SIMULATOR_FLOWS_PER_DEVICE: String(SPEC.flowsPerDevice),
    ISOCHRON_SIMULATOR_BATCH_INTERVAL_MS: String(STEP_MS),
    ISOCHRON_SIMULATOR_DURATION_MS: String(DURATION_MS),
    ...extra,
  };
}

// The worker closes the last windows once its partitions have been quiet for 3 s (the run has ended;
// shorter pauses of a loaded machine do not close windows early).
const WORKER_ENV = { ISOCHRON_PARTITION_IDLE_TIMEOUT_MS: '3000' };

function checkLedger(out: IntervalOutput): { good: SimBatch[]; malformed: SimBatch[] } {
  const malformed = out.batches.filter((b) => b.malformed !== null);
  const good = out.batches.filter((b) => b.malformed === null);
  expect(out.batches).toHaveLength(STEPS * fleet.devices.length);
  const codes: Record<string, number> = {};
  for (const m of out.ledger.malformed) codes[m.expectedCode] = (codes[m.expectedCode] ?? 0) + 1;
  expect(codes).toEqual(EXPECTED_MALFORMED);
  // The loss burst was injected: 0.5 s of the flow's packets (period-dependent count).
  const burst = out.ledger.flows.find((f) => f.deviceId === burstDevice.identity.deviceId)!;
  expect(burst.dropped.loss_burst).toBe(Math.round(0.5e9 / burstDevice.flows[0].periodNs));
  expect(out.ledger.flows.reduce((n, f) => n + f.duplicates, 0)).toBeGreaterThan(0);
  return { good, malformed };
}

/**
 * Runs the simulator process to its end and checks its own account against the run recomputed
 * from the origin it logged: the expected batches, split into good and malformed.
 */
async function runSimulator(run: Run, env: Record<string, string>): Promise<{ sim: ServiceProcess; out: IntervalOutput; good: SimBatch[]; malformed: SimBatch[] }> {
  const sim = startService('services/simulator/main.ts', simulatorEnv(env));
  run.processes.push(sim);
  expect(await exitOf(sim, DURATION_MS + 30_000), sim.output()).toBe(0);
  const { originNs, report } = parseSimulatorOutput(sim.output());
  const out = expectedRun(originNs);
  const { good, malformed } = checkLedger(out);
  expect(report, sim.output()).toEqual({ batches: out.batches.length, accepted: good.length, expected: malformed.length, unexpected: 0, failed: 0, skipped: 0, late: 0, samples: out.ledger.samples, abandoned: 0 });
  return { sim, out, good, malformed };
}

function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('the simulator process end to end', () => {
  it('http: gateway metrics, topic and windows agree with the run recomputed from its origin', { timeout: 120_000 }, async () => {
    let run: Run | undefined;
    try {
      run = await newRun('simhttp');
      const t = run.t!;
      const { keys } = await provisionSimulatedFleet(createRegistry(t.ch), SPEC, 'simulator e2e test');
      const credentialsFile = path.join(run.dir, 'credentials.json');
      writeSecretFile(credentialsFile, JSON.stringify(keys));

      const port = await freePort();
      const gateway = startService('services/gateway/main.ts', {
        ISOCHRON_KAFKA_BROKERS: kafkaBrokers().join(','),
        ISOCHRON_TOPIC_TELEMETRY: run.topic,
        ISOCHRON_CLICKHOUSE_URL: clickhouseUrl(),
        ISOCHRON_CLICKHOUSE_DATABASE: t.database,
        ISOCHRON_GATEWAY_HOST: '127.0.0.1',
        ISOCHRON_GATEWAY_PORT: String(port),
      });
      run.processes.push(gateway);
      const worker = startWorker(t, WORKER_ENV);
      run.processes.push(worker);
      const base = `http://127.0.0.1:${port}`;
      await until('gateway ready', async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 30_000, gateway.output);

      // The simulator's own account is checked in runSimulator.
      const { sim, good } = await runSimulator(run, {
        ISOCHRON_SIMULATOR_TRANSPORT: 'http',
        ISOCHRON_SIMULATOR_GATEWAY_URL: base,
        ISOCHRON_SIMULATOR_CREDENTIALS_FILE: credentialsFile,
        ISOCHRON_SIMULATOR_FAULTS: path.join(run.dir, 'faults.json'),
      });
      const goodSamples = good.reduce((n, b) => n + b.samples, 0);

      // The gateway's: accepted batches and samples, each malformed batch under its ledger code, nothing else.
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const outcomes: Record<string, number> = {};
      for (const m of metrics.matchAll(/^isochron_gateway_batches_total\{outcome="([^"]+)"\} (\d+)$/gm)) if (Number(m[2]) > 0) outcomes[m[1]] = Number(m[2]);
      expect(outcomes).toEqual({ accepted: good.length, ...EXPECTED_MALFORMED });
      expect(metric(metrics, 'isochron_gateway_samples_accepted_total')).toBe(goodSamples);

      // The topic: exactly the good batches, byte for byte; the malformed ones never reached Kafka.
      expect(await recordsOn(run.topic)).toBe(good.length);
      const records = await readTopic(run.topic, good.length);
      expect(records.map((r) => recordId(r.key, r.value)).sort()).toEqual(good.map((b) => recordId(b.key, b.bytes)).sort());

      await checkWindows(t, good, () => `${worker.output()}\n--- simulator ---\n${sim.output()}`);
      expect(await recordsOn(run.dlq)).toBe(0);
    } finally {
      await cleanUp(run);
    }
  });

  it('kafka: every batch reaches the topic, the worker dead-letters the malformed ones and windows the rest', { timeout: 120_000 }, async () => {
    let run: Run | undefined;
    try {
      run = await newRun('simkafka');
      const t = run.t!;
      const worker = startWorker(t, WORKER_ENV);
      run.processes.push(worker);

      const { sim, out, good, malformed } = await runSimulator(run, {
        ISOCHRON_SIMULATOR_TRANSPORT: 'kafka',
        ISOCHRON_KAFKA_BROKERS: kafkaBrokers().join(','),
        ISOCHRON_TOPIC_TELEMETRY: run.topic,
        ISOCHRON_SIMULATOR_FAULTS: path.join(run.dir, 'faults.json'),
      });

      // Every batch is on the topic, byte for byte, malformed ones included.
      expect(await recordsOn(run.topic)).toBe(out.batches.length);
      const records = await readTopic(run.topic, out.batches.length);
      expect(records.map((r) => recordId(r.key, r.value)).sort()).toEqual(out.batches.map((b) => recordId(b.key, b.bytes)).sort());

      // The worker dead-letters exactly the malformed batches, each with its ledger code.
      const dead = await readTopic(run.dlq, malformed.length);
      expect(dead.map((d) => `${recordId(d.key, d.value)}|${d.headers['isochron-error-code']}`).sort()).toEqual(
        malformed.map((b) => `${recordId(b.key, b.bytes)}|${b.malformed!.expectedCode}`).sort(),
      );

      await checkWindows(t, good, () => `${worker.output()}\n--- simulator ---\n${sim.output()}`);
      expect(await recordsOn(run.dlq)).toBe(malformed.length);
    } finally {
      await cleanUp(run);
    }
  });
});
