// Simulator process: every batch interval, each simulated device posts the packets its flows
// sent since the last interval to the gateway, as one binary TelemetryBatch.
import { loadConfig } from '../config/config.ts';
import { ALL_ENV_VARS, SIMULATOR_SETTINGS } from '../config/settings.ts';
import { buildTopology, deviceBatch, FlowGenerator } from './model.ts';
import { Prng } from './prng.ts';

const config = loadConfig('simulator', SIMULATOR_SETTINGS, ALL_ENV_VARS);
const devices = buildTopology(config.seed, config.enterprises, config.flowsPerDevice);
const root = new Prng(config.seed);
const generators = devices.map((d) => d.flows.map((f) => new FlowGenerator(f, root.fork(`${d.identity.deviceId}/${f.flowId}`))));
const url = `${config.gatewayUrl.replace(/\/+$/, '')}/v1/batches`;
const flowCount = generators.reduce((a, g) => a + g.length, 0);
console.log(`[simulator] ${devices.length} devices, ${flowCount} flows (5G URLLC/eMBB and TSN), posting to ${url} every ${config.batchIntervalMs} ms`);

const nowNs = () => BigInt(Date.now()) * 1_000_000n;
let from = nowNs();
let stopped = false;
let posted = 0;
let samples = 0;
let failures = 0;

async function tick(): Promise<void> {
  const to = nowNs();
  await Promise.all(
    devices.map(async (device, i) => {
      const { body, samples: n } = deviceBatch(device, generators[i], from, to);
      samples += n;
      try {
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' }, signal: AbortSignal.timeout(10_000) });
        if (res.status === 202) posted++;
        else {
          failures++;
          if (failures <= 5 || failures % 100 === 0) console.log(`[simulator] gateway answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
        }
      } catch (e) {
        failures++;
        if (failures <= 5 || failures % 100 === 0) console.log(`[simulator] post failed: ${(e as Error).message}`);
      }
    }),
  );
  from = to;
}

const report = setInterval(() => console.log(`[simulator] posted ${posted} batches, ${samples} samples, ${failures} failures`), 10_000);
async function loop(): Promise<void> {
  while (!stopped) {
    const started = Date.now();
    await tick();
    await new Promise((r) => setTimeout(r, Math.max(0, config.batchIntervalMs - (Date.now() - started))));
  }
}
const running = loop();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    stopped = true;
    clearInterval(report);
    void running.then(() => process.exit(0));
  });
}
