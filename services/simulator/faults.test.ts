// Every fault kind is visible when the simulator's batches are decoded and run through the pure
// metric engine, and the figures agree with the ledger of what was injected. Expected per-window
// loss is recomputed here by brute force from the decoded samples (RFC 3550 A.3 expected interval).
import { describe, expect, it } from 'vitest';
import { IsochronError } from '../core/errors.ts';
import { MetricEngine } from '../core/engine/engine.ts';
import type { DiscardRow, WindowRow } from '../core/engine/window-row.ts';
import { decodeBatch } from '../core/wire/decode-batch.ts';
import type { FaultSchedule } from './faults.ts';
import { buildFleet } from './fleet.ts';
import { createSimulation, generateInterval, type LedgerFlow } from './generate.ts';

const S = 1_000_000_000;
const ORIGIN = 1_763_000_000n * 1_000_000_000n;
const fleet = buildFleet({ seed: 21, enterprises: 1, sitesPerEnterprise: 2, devicesPerSite: 6, flowsPerDevice: 2 });
const dev = (i: number) => fleet.devices[i].identity;
// Devices: 0 urllc, 1 tsn, 2 embb, 3 urllc (cell 2), 4 tsn, 5 embb (cell 2); then site 2 likewise.
const schedule: FaultSchedule = {
  periodNs: 0,
  faults: [
    { kind: 'loss_burst', target: { deviceId: dev(0).deviceId, flowId: 'qfi-1' }, startNs: 5.3 * S, endNs: 6.1 * S },
    { kind: 'duplicates', target: { deviceId: dev(1).deviceId }, startNs: 2 * S, endNs: 8 * S, params: { probability: 0.05 } },
    { kind: 'clock_desync', target: { deviceId: dev(2).deviceId }, startNs: 4 * S, endNs: 9 * S, params: { offsetNs: 100_000_000, driftPpm: 10 } },
    { kind: 'degrading_cell', target: { segmentId: dev(3).segmentId }, startNs: 4 * S, endNs: 16 * S, params: { delayFactor: 100 } },
    { kind: 'out_of_order', target: { deviceId: dev(4).deviceId }, startNs: 3 * S, endNs: 6 * S },
    { kind: 'clock_desync', target: { deviceId: dev(5).deviceId }, startNs: 4 * S, endNs: 9 * S, params: { offsetNs: 1_000_000, unsynced: 1 } },
    { kind: 'malformed', target: { deviceId: dev(6).deviceId }, startNs: 3 * S, endNs: 3.4 * S },
    { kind: 'late_delivery', target: { deviceId: dev(7).deviceId }, startNs: 6 * S, endNs: 7 * S, params: { holdNs: 10 * S } },
    { kind: 'malformed', target: { deviceId: dev(8).deviceId }, startNs: 3 * S, endNs: 3.2 * S, params: { corruption: 1 } },
    { kind: 'jitter_spike', target: { deviceId: dev(10).deviceId }, startNs: 8 * S, endNs: 10 * S, params: { extraDelayNs: 2_000_000 } },
  ],
};
const sim = createSimulation({ fleet, schedule, originNs: ORIGIN, batchIntervalNs: 200_000_000 });
const { batches, ledger } = generateInterval(sim, ORIGIN, ORIGIN + 20n * BigInt(S));

// Decode and run everything through one engine partition, in delivery order.
const engine = new MetricEngine({ windowNs: S, allowedLatenessNs: 3 * S });
const decodeErrors: { deviceId: string; code: string }[] = [];
const samplesBySend = new Map<string, { seq: number; sendNs: bigint }[]>();
for (const b of batches) {
  let decoded;
  try {
    decoded = decodeBatch(b.bytes);
  } catch (e) {
    decodeErrors.push({ deviceId: b.identity.deviceId, code: e instanceof IsochronError ? e.code : 'not an IsochronError' });
    continue;
  }
  engine.ingest(0, decoded);
  if (b.late) continue;
  for (const f of decoded.flows) {
    const key = `${b.key}/${f.flowId}`;
    const list = samplesBySend.get(key) ?? samplesBySend.set(key, []).get(key)!;
    for (let i = 0; i < f.count; i++) list.push({ seq: f.seq[i], sendNs: f.baseSendNs + BigInt(f.sendOffsetNs[i]) });
  }
}
const first = engine.drain();
const rest = engine.flushPartition(0);
const rows: WindowRow[] = [...first.windows, ...rest.windows];
const discards: DiscardRow[] = [...first.discards, ...rest.discards];
const rowsOf = (deviceId: string, flowId?: string) => rows.filter((r) => r.deviceId === deviceId && (flowId === undefined || r.flowId === flowId));
const ledgerOf = (deviceId: string, flowId?: string): LedgerFlow[] => ledger.flows.filter((f) => f.deviceId === deviceId && (flowId === undefined || f.flowId === flowId));
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
const windowSec = (r: WindowRow) => Number((r.windowStartNs - ORIGIN) / BigInt(S));

describe('fault injection, seen through the metric engine', () => {
  it('loss burst: per-window loss as brute force computes it, total loss and the longest burst as the ledger says', () => {
    const { deviceId } = dev(0);
    const flowKey = `${dev(0).enterpriseId}/${deviceId}/qfi-1`;
    const lf = ledgerOf(deviceId, 'qfi-1')[0];
    expect(lf.dropped.loss_burst).toBeGreaterThan(0);
    // RFC 3550 A.3 by hand: sent_k = maxSeq_k - maxSeq_{k-1}, lost_k = sent_k - received_k.
    const byWindow = new Map<number, { max: number; min: number; n: number }>();
    for (const s of samplesBySend.get(flowKey)!) {
      const w = Number((s.sendNs - ORIGIN) / BigInt(S));
      const e = byWindow.get(w) ?? { max: -1, min: Infinity, n: 0 };
      byWindow.set(w, { max: Math.max(e.max, s.seq), min: Math.min(e.min, s.seq), n: e.n + 1 });
    }
    const expected = new Map<number, number>();
    let prevMax: number | null = null;
    for (const w of [...byWindow.keys()].sort((a, b) => a - b)) {
      const e = byWindow.get(w)!;
      expected.set(w, (prevMax === null ? e.max - e.min + 1 : e.max - prevMax) - e.n);
      prevMax = e.max;
    }
    const flowRows = rowsOf(deviceId, 'qfi-1');
    for (const r of flowRows) expect(r.lostPackets, `window ${windowSec(r)}`).toBe(expected.get(windowSec(r)));
    expect(sum(flowRows, (r) => r.lostPackets)).toBe(lf.dropped.loss_burst + lf.dropped.background);
    // Longest run of consecutive dropped packets in the ledger (runs of any cause, merged).
    const runs = ledger.dropRuns.filter((r) => r.flowKey === flowKey).sort((a, b) => a.firstN - b.firstN);
    let longest = 0;
    let current = 0;
    let next = -1;
    for (const r of runs) {
      current = r.firstN === next ? current + r.count : r.count;
      next = r.firstN + r.count;
      longest = Math.max(longest, current);
    }
    expect(longest).toBeGreaterThanOrEqual(lf.dropped.loss_burst);
    expect(Math.max(...flowRows.map((r) => r.lossBurstMaxPackets))).toBe(longest);
    // The burst shows in the window of 5.3 .. 6.1 s: the window that reveals it (6 s) holds it.
    expect(flowRows.find((r) => windowSec(r) === 6)!.lostPackets).toBeGreaterThanOrEqual(lf.dropped.loss_burst);
  });

  it('duplicates: exactly the injected copies', () => {
    for (const lf of ledgerOf(dev(1).deviceId)) {
      expect(lf.duplicates).toBeGreaterThan(0);
      expect(sum(rowsOf(lf.deviceId, lf.flowId), (r) => r.duplicatePackets)).toBe(lf.duplicates);
    }
    const others = rows.filter((r) => r.deviceId !== dev(1).deviceId);
    expect(sum(others, (r) => r.duplicatePackets)).toBe(0);
  });

  it('clock desync: negative delays counted when the clock claims sync, unsynced samples when it does not', () => {
    for (const lf of ledgerOf(dev(2).deviceId)) {
      expect(lf.negativeDelay).toBeGreaterThan(0);
      expect(sum(rowsOf(lf.deviceId, lf.flowId), (r) => r.negativeDelayPackets)).toBe(lf.negativeDelay);
    }
    for (const lf of ledgerOf(dev(5).deviceId)) {
      expect(lf.unsynced).toBeGreaterThan(0);
      expect(sum(rowsOf(lf.deviceId, lf.flowId), (r) => r.unsyncedPackets)).toBe(lf.unsynced);
    }
    const untouched = rows.filter((r) => r.deviceId !== dev(2).deviceId && r.deviceId !== dev(5).deviceId);
    expect(sum(untouched, (r) => r.negativeDelayPackets + r.unsyncedPackets)).toBe(0);
  });

  it('degrading cell: in the second half of the fault its windows rank worst by p99 delay', () => {
    const seg = dev(3).segmentId;
    const late = rows.filter((r) => windowSec(r) >= 10 && windowSec(r) < 16 && r.owdP99Ns !== null);
    const ranked = [...late].sort((a, b) => b.owdP99Ns! - a.owdP99Ns!);
    const mine = late.filter((r) => r.segmentId === seg).length;
    expect(mine).toBeGreaterThan(0);
    expect(ranked.slice(0, mine).every((r) => r.segmentId === seg)).toBe(true);
    // And it degrades: the cell's p99 grows from the start of the fault to its end.
    const p99At = (sec: number) => Math.max(...rows.filter((r) => r.segmentId === seg && windowSec(r) === sec).map((r) => r.owdP99Ns!));
    expect(p99At(15)).toBeGreaterThan(5 * p99At(2));
    expect(sum(ledger.flows.filter((f) => f.segmentId === seg), (f) => f.dropped.degrading_cell)).toBeGreaterThan(0);
  });

  it('out of order: reordered packets only on the faulted TSN device, at most the displaced ones', () => {
    for (const lf of ledgerOf(dev(4).deviceId)) {
      const reordered = sum(rowsOf(lf.deviceId, lf.flowId), (r) => r.reorderedPackets);
      expect(reordered).toBeGreaterThan(0);
      expect(reordered).toBeLessThanOrEqual(lf.displaced);
    }
    expect(sum(rowsOf(dev(1).deviceId), (r) => r.reorderedPackets)).toBe(0);
  });

  it('late delivery: every sample of the held batches is discarded as too_late', () => {
    for (const lf of ledgerOf(dev(7).deviceId)) {
      expect(lf.lateSamples).toBeGreaterThan(0);
      const tooLate = sum(discards.filter((d) => d.deviceId === lf.deviceId && d.flowId === lf.flowId && d.reason === 'too_late'), (d) => d.count);
      expect(tooLate).toBe(lf.lateSamples);
    }
    expect(sum(discards.filter((d) => d.deviceId !== dev(7).deviceId), (d) => d.count)).toBe(0);
    expect(ledger.lateBatches).toBe(5);
  });

  it('malformed: exactly the corrupted batches fail to decode, with the stable code the ledger names', () => {
    expect(ledger.malformed.map((m) => [m.deviceId, m.expectedCode])).toEqual([
      [dev(6).deviceId, 'ISO_WIRE_TRUNCATED'],
      [dev(8).deviceId, 'ISO_WIRE_BAD_VERSION'],
      [dev(6).deviceId, 'ISO_WIRE_TRUNCATED'],
    ]);
    expect(decodeErrors.map((e) => [e.deviceId, e.code])).toEqual(ledger.malformed.map((m) => [m.deviceId, m.expectedCode]));
  });

  it('jitter spike: delay variation in the faulted windows far above the device before it', () => {
    const { deviceId } = dev(10);
    const ipdv = (sec: number) => Math.max(...rowsOf(deviceId).filter((r) => windowSec(r) === sec).map((r) => r.ipdvAbsP99Ns ?? 0));
    expect(ipdv(9)).toBeGreaterThan(100 * Math.max(1, ipdv(5)));
    expect(sum(ledgerOf(deviceId), (f) => f.jittered)).toBeGreaterThan(0);
  });
});
