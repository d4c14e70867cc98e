// Turns one open window into a WindowRow: everything that needs the whole window (sent count,
// loss runs, IPDV pairs, exact quantiles, histogram, availability) is computed here, once, in
// window order per flow, from the window's buffered samples and the state the flow carries from
// its previous window.
import type { EngineCore } from './core.ts';
import type { WindowRow } from './window-row.ts';
import type { Identity } from '../wire/batch.ts';
import { CLS_TRUSTED } from './sample-pool.ts';
import { lossRunsOverRange, type LossRuns } from '../metrics/loss.ts';
import { ipdvOverSorted, type IpdvStats } from '../metrics/ipdv.ts';
import { countAtMost, medianOfSorted, nearestRank, Q_P50, Q_P90, Q_P95, Q_P99, Q_P999, Q_P9999 } from '../metrics/delay-stats.ts';
import { appendSparseFromSorted } from '../metrics/histogram.ts';
import { sortAscending } from '../metrics/sort.ts';
import { availabilitySpan, type AvailabilitySpan } from '../metrics/availability.ts';

const PACK = 2 ** 21;

export class CloseScratch {
  ext = new Float64Array(1024);
  delay = new Float64Array(1024);
  dv = new Float64Array(1024);
  owd = new Float64Array(1024);
  ok = new Float64Array(1024);
  ipdv = new Float64Array(1024);
  key = new Float64Array(1024);
  readonly loss: LossRuns = { periods: 0, burstMax: 0, trailingRun: 0 };
  readonly ipdvStats: IpdvStats = { count: 0, min: 0, max: 0, sum: 0, absSum: 0, absP99: 0 };
  readonly avail: AvailabilitySpan = { upUntil: 0, downtimeNs: 0, transitions: 0 };

  ensure(n: number): void {
    if (n <= this.ext.length) return;
    const m = Math.max(n, this.ext.length * 2);
    this.ext = new Float64Array(m);
    this.delay = new Float64Array(m);
    this.dv = new Float64Array(m);
    this.owd = new Float64Array(m);
    this.ok = new Float64Array(m);
    this.ipdv = new Float64Array(m);
    this.key = new Float64Array(m);
  }
}

const nullIfNaN = (v: number): number | null => (v === v ? v : null);

export function closeWindow(core: EngineCore, slot: number, w: number): void {
  const flows = core.flows;
  const win = core.windows;
  const pool = win.pool;
  const sc = core.scratch;
  const W = core.windowNs;
  const n = win.received[w];
  flows.sizeHint[slot] = n;
  sc.ensure(n);
  const c = win.bufClass[w];
  const base = win.bufSlot[w] * (1 << c);
  const bExt = pool.ext[c];
  const bDelay = pool.delay[c];
  const bSend = pool.send[c];
  const bCls = pool.cls[c];

  // Received first copies sorted by extended sequence number (usually already in order). The
  // window's min/max ext and min send time so far cover only samples that are not buffered.
  let minExt = win.minExt[w];
  let maxExt = win.maxExt[w];
  let minSend = win.minSend[w];
  let inOrder = true;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = bExt[base + i];
    if (e < prev) inOrder = false;
    prev = e;
    if (e < minExt) minExt = e;
    if (e > maxExt) maxExt = e;
    const t = bSend[base + i];
    if (t < minSend) minSend = t;
  }
  let sExt: Float64Array;
  let sDelay: Float64Array;
  if (inOrder) {
    sExt = bExt.subarray(base, base + n);
    sDelay = bDelay.subarray(base, base + n);
  } else {
    sExt = sc.ext;
    sDelay = sc.delay;
    sortBySeq(bExt, bDelay, base, n, minExt, maxExt, sc);
  }

  // Sent: windows split the extended sequence space (RTP expected-interval, RFC 3550 A.3).
  const hasExt = maxExt > -Infinity;
  const counted = flows.countedUpTo[slot];
  const lo = counted === counted ? counted + 1 : minExt;
  const hi = maxExt;
  const sent = hasExt && hi >= lo ? hi - lo + 1 : 0;
  if (hasExt) flows.countedUpTo[slot] = counted === counted && counted > hi ? counted : hi;

  // Loss periods (RFC 3357) on [lo, hi].
  const loss = sc.loss;
  if (sent > 0) {
    lossRunsOverRange(sExt, n, lo, hi, flows.lossRun[slot], loss);
    flows.lossRun[slot] = loss.trailingRun;
  } else {
    loss.periods = 0;
    loss.burstMax = 0;
  }

  // IPDV over consecutive numbers (RFC 3393), partner across the boundary carried by the flow.
  const ip = ipdvOverSorted(sExt, sDelay, n, flows.ipdvExt[slot], flows.ipdvDelay[slot], win.epochStarts.get(w) ?? null, sc.ipdv, Q_P99, sc.ipdvStats);
  if (n > 0 && !(sExt[n - 1] <= flows.ipdvExt[slot])) {
    flows.ipdvExt[slot] = sExt[n - 1];
    flows.ipdvDelay[slot] = sDelay[n - 1];
  }

  // Delay sets: dv = every received first copy; owd = trusted ones (synced, delay >= 0).
  const dv = sc.dv.subarray(0, n);
  dv.set(bDelay.subarray(base, base + n));
  sortAscending(dv, n);
  const nonTrusted = win.unsynced[w] + win.negative[w];
  const owdN = n - nonTrusted;
  let owd: Float64Array = dv;
  if (nonTrusted > 0) {
    owd = sc.owd;
    let k = 0;
    for (let i = 0; i < n; i++) if (bCls[base + i] === CLS_TRUSTED) owd[k++] = bDelay[base + i];
    owd = owd.subarray(0, k);
    sortAscending(owd, k);
  }
  let owdSum = 0;
  for (let i = 0; i < owdN; i++) owdSum += owd[i];
  const histKeys: number[] = [];
  const histCounts: number[] = [];
  appendSparseFromSorted(owd, 0, owdN, histKeys, histCounts);
  const hasOwd = owdN > 0;
  const hasDv = n > 0;
  const dvMin = hasDv ? dv[0] : NaN;

  // Deadline (TS 22.261 §3.1 reliability) and availability (§7 of METRICS.md).
  const T = win.paramT[w];
  const L = win.paramL[w];
  const S = win.paramS[w];
  const met = L > 0 ? countAtMost(owd, owdN, L) : NaN;
  const startRel = win.relIdx[w] * W;
  let availExpected = NaN;
  let downtime = NaN;
  let transitions = NaN;
  if (T > 0 && L > 0 && minSend < Infinity) {
    let from = flows.availPrevEnd[slot];
    const av = sc.avail;
    if (from !== from) {
      from = startRel + minSend;
      flows.availUp[slot] = from + S;
    }
    let to = startRel + W;
    if (flows.maxSend[slot] < to) to = flows.maxSend[slot];
    if (to < from) to = from;
    let k = 0;
    let okSorted = true;
    for (let i = 0; i < n; i++) {
      if (bCls[base + i] === CLS_TRUSTED && bDelay[base + i] <= L) {
        const t = startRel + bSend[base + i];
        if (k > 0 && t < sc.ok[k - 1]) okSorted = false;
        sc.ok[k++] = t;
      }
    }
    const ok = sc.ok.subarray(0, k);
    if (!okSorted) sortAscending(ok, k);
    av.upUntil = flows.availUp[slot];
    availabilitySpan(ok, k, from, to, T, S, core.config.downtimeOrigin === 'first_failure', av);
    flows.availUp[slot] = av.upUntil;
    flows.availPrevEnd[slot] = to;
    availExpected = to - from;
    downtime = av.downtimeNs;
    transitions = av.transitions;
  } else {
    flows.availPrevEnd[slot] = NaN;
  }

  const id = flows.identities[slot] as Identity;
  const absIdx = flows.epochIdx[slot] + win.relIdx[w];
  const received = n;
  const lost = sent - received;
  const seconds = W / 1e9;
  const reordered = win.reordered[w];
  const row: WindowRow = {
    enterpriseId: id.enterpriseId,
    siteId: id.siteId,
    networkType: id.networkType,
    segmentId: id.segmentId,
    deviceId: id.deviceId,
    flowId: flows.flowIds[slot] as string,
    windowStartNs: BigInt(absIdx) * BigInt(W),
    windowNs: W,
    lossWaitNs: core.latenessNs,
    seqBits: flows.seq.bits[slot],
    sentPackets: sent,
    receivedPackets: received,
    lostPackets: lost,
    lossRatio: sent > 0 ? lost / sent : null,
    duplicatePackets: win.duplicates[w],
    duplicationFraction: received > 0 ? win.duplicates[w] / received : null,
    corruptPackets: win.corrupt[w],
    unreceivedReports: win.unreceived[w],
    unsyncedPackets: win.unsynced[w],
    negativeDelayPackets: win.negative[w],
    seqRestarts: win.restarts[w],
    receivedBytes: win.bytes[w],
    throughputPacketsPerS: received / seconds,
    throughputBitsPerS: (win.bytes[w] * 8) / seconds,
    owdCount: owdN,
    owdMinNs: hasOwd ? owd[0] : null,
    owdMaxNs: hasOwd ? owd[owdN - 1] : null,
    owdSumNs: owdSum,
    owdMeanNs: hasOwd ? owdSum / owdN : null,
    owdMedianNs: hasOwd ? medianOfSorted(owd, owdN) : null,
    owdP50Ns: hasOwd ? nearestRank(owd, owdN, Q_P50) : null,
    owdP90Ns: hasOwd ? nearestRank(owd, owdN, Q_P90) : null,
    owdP99Ns: hasOwd ? nearestRank(owd, owdN, Q_P99) : null,
    owdP999Ns: hasOwd ? nearestRank(owd, owdN, Q_P999) : null,
    owdP9999Ns: hasOwd ? nearestRank(owd, owdN, Q_P9999) : null,
    owdHistKeys: histKeys,
    owdHistCounts: histCounts,
    jitterRfc3550Ns: nullIfNaN(win.jitter[w]),
    ipdvCount: ip.count,
    ipdvMinNs: ip.count > 0 ? ip.min : null,
    ipdvMaxNs: ip.count > 0 ? ip.max : null,
    ipdvSumNs: ip.sum,
    ipdvAbsSumNs: ip.absSum,
    ipdvMeanAbsNs: ip.count > 0 ? ip.absSum / ip.count : null,
    ipdvAbsP99Ns: ip.count > 0 ? ip.absP99 : null,
    dvCount: n,
    pdvP99Ns: hasDv ? nearestRank(dv, n, Q_P99) - dvMin : null,
    pdvP999Ns: hasDv ? nearestRank(dv, n, Q_P999) - dvMin : null,
    jitterP95P50Ns: hasDv ? nearestRank(dv, n, Q_P95) - nearestRank(dv, n, Q_P50) : null,
    reorderedPackets: reordered,
    reorderedRatio: received > 0 ? reordered / received : null,
    reorderExtentMax: reordered > 0 ? win.extentMax[w] : null,
    reorderExtentSum: win.extentSum[w],
    reorderExtentMean: reordered > 0 ? win.extentSum[w] / reordered : null,
    reorderExtentCapped: win.extentCapped[w],
    lossPeriods: loss.periods,
    lossBurstMaxPackets: loss.burstMax,
    maxLatencyNs: L > 0 ? L : null,
    deadlineMetPackets: L > 0 ? met : null,
    deadlineMissPackets: L > 0 ? owdN - met : null,
    reliability: L > 0 && sent > 0 ? met / sent : null,
    transferIntervalNs: T > 0 ? T : null,
    survivalTimeNs: T > 0 && L > 0 ? S : null,
    availExpectedNs: nullIfNaN(availExpected),
    downtimeNs: nullIfNaN(downtime),
    upDownTransitions: nullIfNaN(transitions),
    availability: availExpected > 0 ? clamp01(1 - downtime / availExpected) : null,
    mtbfNs: transitions > 0 ? (availExpected - downtime) / transitions : null,
  };
  core.rows.push({ partition: flows.partition[slot], flowKey: flows.keys[slot] as string, absIdx, row });
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Sorts the window's (ext, delay) pairs by ext into sc.ext / sc.delay. */
function sortBySeq(bExt: Float64Array, bDelay: Float64Array, base: number, n: number, minExt: number, maxExt: number, sc: CloseScratch): void {
  if ((maxExt - minExt) * PACK + n < 2 ** 52 && n < PACK) {
    // One native numeric sort of packed keys (ext offset, buffer index); exts are distinct.
    const key = sc.key.subarray(0, n);
    for (let i = 0; i < n; i++) key[i] = (bExt[base + i] - minExt) * PACK + i;
    key.sort();
    for (let i = 0; i < n; i++) {
      const k = key[i];
      const idx = k % PACK;
      sc.ext[i] = bExt[base + idx];
      sc.delay[i] = bDelay[base + idx];
    }
    return;
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => bExt[base + a] - bExt[base + b]);
  for (let i = 0; i < n; i++) {
    sc.ext[i] = bExt[base + idx[i]];
    sc.delay[i] = bDelay[base + idx[i]];
  }
}
