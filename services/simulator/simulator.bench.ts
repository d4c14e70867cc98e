// Generation speed of the simulator (samples/s) next to a baseline in the same run: filling a
// Float64Array with mulberry32 uniforms, one per sample (the cheapest "sample" there is).
// Prints one JSON line per case; compare ratios, not absolute figures (noisy machines).
import { mulberry32 } from '../core/random.ts';
import { demoSchedule } from './faults.ts';
import { buildFleet, fleetPacketRate } from './fleet.ts';
import { createSimulation, generateInterval } from './generate.ts';

const ORIGIN = 1_763_000_000n * 1_000_000_000n;
const SEC = 1_000_000_000n;
const fleet = buildFleet({ seed: 1, enterprises: 10, sitesPerEnterprise: 2, devicesPerSite: 9, flowsPerDevice: 4 });
const flows = fleet.devices.reduce((a, d) => a + d.flows.length, 0);

function best<T>(runs: number, f: () => T): { ms: number; out: T } {
  let ms = Infinity;
  let out!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, out };
}

const eventSeconds = 5n;
for (const [name, schedule] of [['no_faults', undefined], ['demo_faults', demoSchedule(fleet)]] as const) {
  const sim = createSimulation({ fleet, schedule, originNs: ORIGIN, batchIntervalNs: 200_000_000 });
  // From 100 s on, so the demo faults (30 s .. 330 s) are active.
  const from = ORIGIN + 100n * SEC;
  generateInterval(sim, from, from + SEC); // warm-up
  const { ms, out } = best(3, () => generateInterval(sim, from, from + eventSeconds * SEC));
  const samples = out.ledger.samples;
  const bytes = out.batches.reduce((a, b) => a + b.bytes.length, 0);
  console.log(JSON.stringify({ bench: 'simulator', case: `generate_and_encode_${name}`, flows, samples, ms: Math.round(ms), samplesPerS: Math.round((samples / ms) * 1000), bytesPerSample: +(bytes / samples).toFixed(2), realTimeFactor: +((Number(eventSeconds) * 1000) / ms).toFixed(1), fleetPacketsPerS: Math.round(fleetPacketRate(fleet)) }));
}

const n = 2_000_000;
const buf = new Float64Array(n);
const { ms } = best(3, () => {
  const next = mulberry32(1);
  for (let i = 0; i < n; i++) buf[i] = next();
  return buf[n - 1];
});
console.log(JSON.stringify({ bench: 'simulator', case: 'baseline_random_fill', samples: n, ms: Math.round(ms), samplesPerS: Math.round((n / ms) * 1000) }));
