// Test support: an independent, brute-force model of the engine's documented semantics
// (docs/metrics.md), written without any of the engine's code: absolute bigint times, plain
// arrays, Sets, full sorts and obvious loops. Engine tests compare every row field against it.
// Scope: one partition, closing rule (a) during the stream and a final flush (rules (b)/(c) are
// disabled in those tests by a very large flowIdleGraceNs and no tick()).
import { FLAG_CLOCK_SYNCED, FLAG_CORRUPT, FLAG_RECEIVED } from '../wire/batch.ts';
import type { RawFlow, RawSample } from './testkit.ts';

export interface RefConfig {
  windowNs: number;
  allowedLatenessNs: number;
  seqMaxDropout16: number;
  seqMaxDropout32: number;
  seqMaxMisorder: number;
  reorderExtentCap: number;
  downtimeOrigin: 'survival_expiry' | 'first_failure';
}

export interface RefDiscard { windowStartNs: bigint; reason: string; count: number }

interface Recv { ext: number; delay: number; send: bigint; synced: boolean; epochStart: boolean }
interface Win {
  idx: bigint;
  exts: number[];
  sends: bigint[];
  recv: Recv[];
  dup: number;
  corrupt: number;
  unreceived: number;
  restarts: number;
  reordered: number;
  extents: number[];
  jitter: number | null;
  bytes: number;
}

const fdiv = (a: bigint, b: bigint): bigint => (a % b < 0n ? a / b - 1n : a / b);

/** Nearest rank with exact integer arithmetic: index of ceil(num/den * n) - 1. */
function rankIdx(n: number, num: number, den: number): number {
  const r = (BigInt(num) * BigInt(n) + BigInt(den) - 1n) / BigInt(den);
  return Math.max(1, Number(r)) - 1;
}

export function referenceFlow(flow: RawFlow, cfg: RefConfig): { rows: Record<string, unknown>[]; discards: RefDiscard[] } {
  const W = BigInt(cfg.windowNs);
  const L = BigInt(cfg.allowedLatenessNs);
  const mod = 2 ** flow.seqBits;
  const dropout = flow.seqBits === 16 ? cfg.seqMaxDropout16 : cfg.seqMaxDropout32;
  const wins = new Map<bigint, Win>();
  const discards = new Map<string, RefDiscard>();
  const discard = (idx: bigint, reason: string): void => {
    const k = `${idx}|${reason}`;
    const d = discards.get(k) ?? { windowStartNs: idx * W, reason, count: 0 };
    d.count++;
    discards.set(k, d);
  };
  const win = (idx: bigint): Win => {
    let w = wins.get(idx);
    if (!w) {
      w = { idx, exts: [], sends: [], recv: [], dup: 0, corrupt: 0, unreceived: 0, restarts: 0, reordered: 0, extents: [], jitter: null, bytes: 0 };
      wins.set(idx, w);
    }
    return w;
  };
  let maxSend: bigint | null = null;
  let lateBelow: bigint | null = null;
  // Sequence state.
  let has = false;
  let max = 0;
  let maxWire = 0;
  let floor = -Infinity;
  let pending: number | null = null;
  let heldSample: { s: RawSample; idx: bigint } | null = null;
  const seen = new Set<number>();
  const arrivals: number[] = [];
  let J = 0;
  let lastDelay: number | null = null;

  const place = (s: RawSample, idx: bigint, ext: number, epochStart: boolean): Win => {
    if (maxSend === null || s.sendNs > maxSend) maxSend = s.sendNs;
    const lb = fdiv(maxSend - L, W);
    if (lateBelow === null || lb > lateBelow) lateBelow = lb;
    const w = win(idx);
    w.exts.push(ext);
    w.sends.push(s.sendNs);
    if ((s.flags & FLAG_RECEIVED) === 0) { w.unreceived++; return w; }
    if (seen.has(ext)) { w.dup++; return w; }
    seen.add(ext);
    w.bytes += s.sizeBytes;
    const i = arrivals.length;
    let reordered = false;
    let extent = 0;
    for (let j = 0; j < i; j++) {
      if (arrivals[j] > ext) { reordered = true; extent = i - j; break; }
    }
    arrivals.push(ext);
    if (reordered) {
      w.reordered++;
      w.extents.push(Math.min(extent, cfg.reorderExtentCap));
    }
    if (lastDelay !== null) J += (Math.abs(s.delayNs - lastDelay) - J) / 16;
    lastDelay = s.delayNs;
    w.jitter = J;
    w.recv.push({ ext, delay: s.delayNs, send: s.sendNs, synced: (s.flags & FLAG_CLOCK_SYNCED) !== 0, epochStart });
    return w;
  };

  for (const s of flow.samples) {
    const idx = fdiv(s.sendNs, W);
    if (lateBelow !== null && idx < lateBelow) { discard(idx, 'too_late'); continue; }
    if ((s.flags & FLAG_CORRUPT) !== 0) { win(idx).corrupt++; continue; }
    // Sequence extension (RFC 3550 A.1 with RFC 1982's undefined half-range).
    let kind: 'accept' | 'bad' | 'suspect' | 'restart';
    let ext = 0;
    if (!has) {
      has = true; max = s.seq; maxWire = s.seq; ext = s.seq; kind = 'accept';
    } else {
      const p = pending;
      pending = null;
      const fwd = (((s.seq - maxWire) % mod) + mod) % mod;
      if (p !== null && s.seq === p) {
        floor = max + 1; ext = max + 2; max = ext; maxWire = s.seq; kind = 'restart';
      } else if (fwd === mod / 2) kind = 'bad';
      else if (fwd < dropout) {
        ext = max + fwd;
        if (fwd > 0) { max = ext; maxWire = s.seq; }
        kind = 'accept';
      } else if (mod - fwd < cfg.seqMaxMisorder) {
        ext = max - (mod - fwd);
        kind = ext < floor ? 'bad' : 'accept';
      } else {
        pending = (s.seq + 1) % mod;
        kind = 'suspect';
      }
    }
    if (kind !== 'restart' && heldSample !== null) { discard(heldSample.idx, 'bad_sequence'); heldSample = null; }
    if (kind === 'bad') { discard(idx, 'bad_sequence'); continue; }
    if (kind === 'suspect') { heldSample = { s, idx }; continue; }
    if (kind === 'restart') {
      const h = heldSample;
      heldSample = null;
      if (h !== null) {
        if (lateBelow !== null && h.idx < lateBelow) discard(h.idx, 'too_late');
        else place(h.s, h.idx, ext - 1, true);
      }
      place(s, idx, ext, false).restarts++;
      continue;
    }
    place(s, idx, ext, false);
  }
  if (heldSample !== null) discard(heldSample.idx, 'bad_sequence');
  return { rows: rowsOf(flow, cfg, [...wins.values()].sort((a, b) => (a.idx < b.idx ? -1 : 1)), maxSend), discards: [...discards.values()].sort((a, b) => (a.windowStartNs < b.windowStartNs ? -1 : a.windowStartNs > b.windowStartNs ? 1 : a.reason < b.reason ? -1 : 1)) };
}

function histKey(v: number, gamma: number): number {
  if (v === 0) return -32768;
  if (v <= 1) return 0;
  let k = Math.floor(Math.log(v) / Math.log(gamma)) - 2;
  while (v > Math.pow(gamma, k)) k++;
  return k;
}

function rowsOf(flow: RawFlow, cfg: RefConfig, wins: Win[], finalMaxSend: bigint | null): Record<string, unknown>[] {
  const W = BigInt(cfg.windowNs);
  const gamma = (1 + 0.005) / (1 - 0.005);
  const T = flow.transferIntervalNs ?? 0;
  const Lmax = flow.maxLatencyNs ?? 0;
  const S = flow.survivalTimeNs ?? 0;
  let counted: number | null = null;
  let lossRun = 0;
  let ipdvLastExt: number | null = null;
  let ipdvLastDelay = 0;
  const okAll: bigint[] = [];
  let availStart: bigint | null = null;
  let prevEnd: bigint | null = null;
  const rows: Record<string, unknown>[] = [];
  for (const w of wins) {
    const start = w.idx * W;
    const hasExt = w.exts.length > 0;
    const minExt = Math.min(...w.exts);
    const maxExt = Math.max(...w.exts);
    const lo: number = counted === null ? minExt : counted + 1;
    const hi = maxExt;
    const sent = hasExt && hi >= lo ? hi - lo + 1 : 0;
    if (hasExt) counted = counted === null ? hi : Math.max(counted, hi);
    const recvByExt = new Map<number, Recv>(w.recv.map((r) => [r.ext, r]));
    // Loss stream in sequence order.
    let periods = 0;
    let burst = 0;
    if (sent > 0) {
      let run = lossRun;
      for (let e = lo; e <= hi; e++) {
        if (recvByExt.has(e)) { run = 0; continue; }
        if (run === 0) periods++;
        run++;
        burst = Math.max(burst, run);
      }
      lossRun = run;
    }
    // IPDV over consecutive numbers.
    const sorted = [...w.recv].sort((a, b) => a.ext - b.ext);
    const ipdv: number[] = [];
    for (const r of sorted) {
      if (r.epochStart) continue;
      const inWin = recvByExt.get(r.ext - 1);
      if (inWin) ipdv.push(r.delay - inWin.delay);
      else if (ipdvLastExt !== null && r.ext - 1 === ipdvLastExt) ipdv.push(r.delay - ipdvLastDelay);
    }
    if (sorted.length > 0 && (ipdvLastExt === null || sorted[sorted.length - 1].ext > ipdvLastExt)) {
      ipdvLastExt = sorted[sorted.length - 1].ext;
      ipdvLastDelay = sorted[sorted.length - 1].delay;
    }
    const dv = w.recv.map((r) => r.delay).sort((a, b) => a - b);
    const owd = w.recv.filter((r) => r.synced && r.delay >= 0).map((r) => r.delay).sort((a, b) => a - b);
    const q = (arr: number[], num: number): number | null => (arr.length ? arr[rankIdx(arr.length, num, 100000)] : null);
    const hist = new Map<number, number>();
    for (const v of owd) hist.set(histKey(v, gamma), (hist.get(histKey(v, gamma)) ?? 0) + 1);
    const histKeys = [...hist.keys()].sort((a, b) => a - b);
    const abs = ipdv.map(Math.abs).sort((a, b) => a - b);
    const owdSum = owd.reduce((a, b) => a + b, 0);
    const met = owd.filter((d) => d <= Lmax).length;
    // Availability: union of up intervals [t_ok, t_ok + T + S] (plus the initial grace).
    let expected: number | null = null;
    let down: number | null = null;
    let transitions: number | null = null;
    if (T > 0 && Lmax > 0 && w.sends.length > 0) {
      const end = start + W;
      const to0 = finalMaxSend !== null && finalMaxSend < end ? finalMaxSend : end;
      let from: bigint;
      if (prevEnd === null) {
        // (Re)start: earlier ok messages no longer count.
        from = w.sends.reduce((a, b) => (b < a ? b : a));
        availStart = from;
        okAll.length = 0;
      } else from = prevEnd;
      const to = to0 < from ? from : to0;
      for (const r of w.recv) if (r.synced && r.delay >= 0 && r.delay <= Lmax) okAll.push(r.send);
      const ups: [bigint, bigint][] = [[availStart as bigint, (availStart as bigint) + BigInt(S)], ...okAll.map((t): [bigint, bigint] => [t, t + BigInt(T + S)])];
      ups.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const merged: [bigint, bigint][] = [];
      for (const u of ups) {
        const m = merged[merged.length - 1];
        if (m && u[0] <= m[1]) { if (u[1] > m[1]) m[1] = u[1]; } else merged.push([u[0], u[1]]);
      }
      let upLen = 0n;
      let tr = 0;
      for (const [a, b] of merged) {
        const x = a > from ? a : from;
        const y = b < to ? b : to;
        if (y > x) upLen += y - x;
        if (b >= from && b < to) tr++;
      }
      expected = Number(to - from);
      down = expected - Number(upLen) + (cfg.downtimeOrigin === 'first_failure' ? tr * S : 0);
      transitions = tr;
      prevEnd = to;
    } else prevEnd = null;
    const received = w.recv.length;
    const sec = cfg.windowNs / 1e9;
    rows.push({
      windowStartNs: start,
      sentPackets: sent,
      receivedPackets: received,
      lostPackets: sent - received,
      lossRatio: sent > 0 ? (sent - received) / sent : null,
      duplicatePackets: w.dup,
      duplicationFraction: received > 0 ? w.dup / received : null,
      corruptPackets: w.corrupt,
      unreceivedReports: w.unreceived,
      unsyncedPackets: w.recv.filter((r) => !r.synced).length,
      negativeDelayPackets: w.recv.filter((r) => r.synced && r.delay < 0).length,
      seqRestarts: w.restarts,
      receivedBytes: w.bytes,
      throughputPacketsPerS: received / sec,
      throughputBitsPerS: (w.bytes * 8) / sec,
      owdCount: owd.length,
      owdMinNs: owd.length ? owd[0] : null,
      owdMaxNs: owd.length ? owd[owd.length - 1] : null,
      owdSumNs: owdSum,
      owdMeanNs: owd.length ? owdSum / owd.length : null,
      owdMedianNs: owd.length ? (owd.length % 2 ? owd[(owd.length - 1) / 2] : (owd[owd.length / 2 - 1] + owd[owd.length / 2]) / 2) : null,
      owdP50Ns: q(owd, 50000),
      owdP90Ns: q(owd, 90000),
      owdP99Ns: q(owd, 99000),
      owdP999Ns: q(owd, 99900),
      owdP9999Ns: q(owd, 99990),
      owdHistKeys: histKeys,
      owdHistCounts: histKeys.map((k) => hist.get(k)),
      jitterRfc3550Ns: w.jitter,
      ipdvCount: ipdv.length,
      ipdvMinNs: ipdv.length ? Math.min(...ipdv) : null,
      ipdvMaxNs: ipdv.length ? Math.max(...ipdv) : null,
      ipdvSumNs: ipdv.reduce((a, b) => a + b, 0),
      ipdvAbsSumNs: abs.reduce((a, b) => a + b, 0),
      ipdvMeanAbsNs: ipdv.length ? abs.reduce((a, b) => a + b, 0) / ipdv.length : null,
      ipdvAbsP99Ns: q(abs, 99000),
      dvCount: dv.length,
      pdvP99Ns: dv.length ? (q(dv, 99000) as number) - dv[0] : null,
      pdvP999Ns: dv.length ? (q(dv, 99900) as number) - dv[0] : null,
      jitterP95P50Ns: dv.length ? (q(dv, 95000) as number) - (q(dv, 50000) as number) : null,
      reorderedPackets: w.reordered,
      reorderedRatio: received > 0 ? w.reordered / received : null,
      reorderExtentMax: w.extents.length ? Math.max(...w.extents) : null,
      reorderExtentSum: w.extents.reduce((a, b) => a + b, 0),
      reorderExtentMean: w.extents.length ? w.extents.reduce((a, b) => a + b, 0) / w.extents.length : null,
      reorderExtentCapped: w.extents.filter((e) => e === cfg.reorderExtentCap).length,
      lossPeriods: periods,
      lossBurstMaxPackets: burst,
      maxLatencyNs: Lmax > 0 ? Lmax : null,
      deadlineMetPackets: Lmax > 0 ? met : null,
      deadlineMissPackets: Lmax > 0 ? owd.length - met : null,
      reliability: Lmax > 0 && sent > 0 ? met / sent : null,
      transferIntervalNs: T > 0 ? T : null,
      survivalTimeNs: T > 0 && Lmax > 0 ? S : null,
      availExpectedNs: expected,
      downtimeNs: down,
      upDownTransitions: transitions,
      availability: expected !== null && expected > 0 ? Math.min(1, Math.max(0, 1 - (down as number) / expected)) : null,
      mtbfNs: transitions ? ((expected as number) - (down as number)) / transitions : null,
    });
  }
  return rows;
}
