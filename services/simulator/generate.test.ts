// The fleet and the generator without faults: determinism, identities, and the delay shapes
// checked against distributions computed independently here.
import { describe, expect, it } from 'vitest';
import { parseDeviceIdentifier } from '../core/tenancy/identifier.ts';
import { decodeBatch } from '../core/wire/decode-batch.ts';
import { drawDelayNs, type RadioDelay } from './delay.ts';
import { demoSchedule, resolveSchedule } from './faults.ts';
import { buildFleet, fleetEnterprises, INDUSTRIES, REGIONS, type FleetSpec } from './fleet.ts';
import { createSimulation, generateInterval } from './generate.ts';
import { PacketDraws } from './prng.ts';

const ORIGIN = 1_763_000_000n * 1_000_000_000n;
const SEC = 1_000_000_000n;
const spec: FleetSpec = { seed: 5, enterprises: 3, sitesPerEnterprise: 2, devicesPerSite: 4, flowsPerDevice: 2 };

function hexes(seed: number, from: bigint, to: bigint, withFaults = true): Map<string, string> {
  const fleet = buildFleet({ ...spec, seed });
  const sim = createSimulation({ fleet, schedule: withFaults ? demoSchedule(fleet) : undefined, originNs: ORIGIN, batchIntervalNs: 100_000_000 });
  return new Map(generateInterval(sim, from, to).batches.map((b) => [`${b.stepStartNs}/${b.key}`, Buffer.from(b.bytes).toString('hex')]));
}

describe('fleet', () => {
  const fleet = buildFleet(spec);

  it('gives every device an identifier under its own enterprise prefix', () => {
    const prefixOf = new Map(fleet.enterprises.map((e) => [e.enterpriseId, e.identifierPrefix]));
    expect(fleet.devices).toHaveLength(3 * 2 * 4);
    for (const d of fleet.devices) {
      const { prefix } = parseDeviceIdentifier(d.identity.deviceId);
      expect(prefix).toBe(prefixOf.get(d.identity.enterpriseId));
    }
    expect(new Set(fleet.devices.map((d) => d.identity.deviceId)).size).toBe(fleet.devices.length);
    expect(fleet.enterprises.map((e) => [e.enterpriseId, e.identifierPrefix])).toEqual([['ent-00001', '88.100.1'], ['ent-00002', '88.100.2'], ['ent-00003', '88.100.3']]);
  });

  it('exports the same enterprises for provisioning, from fixed vocabularies', () => {
    expect(fleetEnterprises(spec)).toEqual(fleet.enterprises);
    for (const e of fleet.enterprises) {
      expect(REGIONS).toContain(e.region);
      expect(INDUSTRIES).toContain(e.industry);
    }
    // Scale does not reshuffle: enterprise 2 is the same in a bigger fleet.
    expect(fleetEnterprises({ ...spec, enterprises: 50 })[1]).toEqual(fleet.enterprises[1]);
  });

  it('puts 5G devices in a cell slice and TSN devices in a TSN domain, with TSN cycles from 250 us to 10 ms', () => {
    for (const d of fleet.devices) {
      if (d.kind === 'tsn') expect(d.identity.segmentId).toMatch(/^tsn-\d{5}-\d{2}$/);
      else expect(d.identity.segmentId).toMatch(new RegExp(`^cell-\\d{5}-\\d{2}-\\d/${d.kind}$`));
      for (const f of d.flows) if (d.kind === 'tsn') expect(f.periodNs >= 250_000 && f.periodNs <= 10_000_000).toBe(true);
    }
  });
});

describe('generateInterval', () => {
  it('is deterministic from the seed, and a different seed differs', () => {
    const a = hexes(7, ORIGIN, ORIGIN + 2n * SEC);
    expect(hexes(7, ORIGIN, ORIGIN + 2n * SEC)).toEqual(a);
    const b = hexes(8, ORIGIN, ORIGIN + 2n * SEC);
    expect([...a.values()].filter((v, i) => v === [...b.values()][i])).toEqual([]);
  });

  it('does not depend on how a run is split into calls', () => {
    const whole = hexes(7, ORIGIN + 100n * SEC, ORIGIN + 104n * SEC);
    const parts = new Map([...hexes(7, ORIGIN + 100n * SEC, ORIGIN + 101n * SEC), ...hexes(7, ORIGIN + 101n * SEC, ORIGIN + 104n * SEC)]);
    expect(parts).toEqual(whole);
  });

  it('keeps TSN delays within each stream\'s bound and its declared max latency; packets follow the period', () => {
    const fleet = buildFleet(spec);
    const sim = createSimulation({ fleet, originNs: ORIGIN, batchIntervalNs: 200_000_000 });
    let checked = 0;
    for (const b of generateInterval(sim, ORIGIN, ORIGIN + 3n * SEC).batches) {
      const batch = decodeBatch(b.bytes);
      const device = fleet.devices.find((d) => d.identity.deviceId === batch.identity.deviceId)!;
      for (const f of batch.flows) {
        const model = device.flows.find((m) => m.flowId === f.flowId)!;
        for (let i = 0; i < f.count; i++) {
          const sendNs = f.baseSendNs + BigInt(f.sendOffsetNs[i]);
          expect((sendNs - ORIGIN - BigInt(model.phaseNs)) % BigInt(model.periodNs)).toBe(0n);
          if (model.delay.kind !== 'bounded') continue;
          expect(f.delayNs[i]).toBeGreaterThanOrEqual(model.delay.baseNs);
          expect(f.delayNs[i]).toBeLessThanOrEqual(model.delay.baseNs + model.delay.jitterBoundNs + 1);
          expect(f.delayNs[i]).toBeLessThanOrEqual(f.maxLatencyNs);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('rejects intervals off the step grid and invalid schedules with every problem named', () => {
    const sim = createSimulation({ fleet: buildFleet(spec), originNs: ORIGIN, batchIntervalNs: 200_000_000 });
    expect(() => generateInterval(sim, ORIGIN + 1n, ORIGIN + SEC)).toThrow(/step grid/);
    expect(() => resolveSchedule({ periodNs: 0, faults: [{ kind: 'loss_burts', target: {}, startNs: 0, endNs: 1 }, { kind: 'duplicates', target: {}, startNs: 5, endNs: 2, params: { probability: 2 } }] }))
      .toThrow(/3 problem\(s\)[\s\S]*loss_burts[\s\S]*endNs[\s\S]*probability/);
  });
});

// Standard normal CDF, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** P(delay <= x) of the radio model: base + U(0, slot) + LogNormal(median, sigma) + K * rtt, by numeric integration over U. */
function radioCdf(m: RadioDelay, x: number): number {
  let total = 0;
  for (let k = 0; k <= m.maxRetransmissions; k++) {
    const pk = k < m.maxRetransmissions ? m.harqProbability ** k * (1 - m.harqProbability) : m.harqProbability ** k;
    const steps = 400;
    let acc = 0;
    for (let i = 0; i < steps; i++) {
      const u = ((i + 0.5) / steps) * m.slotNs;
      const rest = x - m.baseNs - k * m.harqRttNs - u;
      acc += rest > 0 ? phi((Math.log(rest) - Math.log(m.medianNs)) / m.sigma) : 0;
    }
    total += pk * (acc / steps);
  }
  return total;
}

describe('5G radio delay model', () => {
  const models: RadioDelay[] = [
    { kind: 'radio', baseNs: 300_000, slotNs: 250_000, medianNs: 1_200_000, sigma: 0.25, harqProbability: 0.01, harqRttNs: 1_000_000, maxRetransmissions: 3 },
    { kind: 'radio', baseNs: 2_000_000, slotNs: 500_000, medianNs: 8_000_000, sigma: 0.45, harqProbability: 0.1, harqRttNs: 4_000_000, maxRetransmissions: 4 },
  ];
  for (const m of models) {
    it(`matches its analytic distribution (Kolmogorov-Smirnov), HARQ probability ${m.harqProbability}`, () => {
      const n = 100_000;
      const d = new PacketDraws();
      const xs = Float64Array.from({ length: n }, (_, i) => drawDelayNs(m, d.at(12345, i), 0, 1, 0)).sort();
      let ks = 0;
      for (let i = 0; i < n; i += 97) ks = Math.max(ks, Math.abs(radioCdf(m, xs[i]) - (i + 1) / n), Math.abs(radioCdf(m, xs[i]) - i / n));
      // 1.95 / sqrt(n) is the 0.1 % critical value of the KS statistic.
      expect(ks).toBeLessThan(1.95 / Math.sqrt(n));
      // The HARQ tail: the share of delays beyond one round trip above the body matches P(K >= 1).
      const q = (p: number) => xs[Math.floor(p * n)];
      expect(q(0.999)).toBeGreaterThan(q(0.5) + (m.harqProbability >= 0.1 ? m.harqRttNs : 0.5 * m.harqRttNs));
    });
  }
});
