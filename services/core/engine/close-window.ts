// Turns one open window into a WindowRow: everything that needs the whole window (sent count,
// loss runs, IPDV pairs, exact quantiles, histogram, availability) is computed here, once, in
// window order per flow, from the window's buffered samples and the state the flow carries from
// its previous window.
import type { EngineCore } from './core.ts';
import type { WindowRow } from './window-row.ts';
import type { Identity } from '../wire/batch.ts';
import { CLASS_SHIFT } from './sample-pool.ts';
import { lossRunsOverRange, type LossRuns } from '../metrics/loss.ts';
import { ipdvOverSorted, type IpdvStats } from '../metrics/ipdv.ts';
import { countAtMost, medianOfSorted, nearestRank, Q_P50, Q_P90, Q_P95, Q_P99, Q_P999, Q_P9999 } from '../metrics/delay-stats.ts';
import { appendSparseFromSorted } from '../metrics/histogram.ts';
import { sortAscending, sortNearlySorted, sortWithRange } from '../metrics/sort.ts';
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
  pack = new Float64Array(1024);
  readonly loss: LossRuns = { periods: 0, burstMax: 0, trailingRun: 0 };
  readonly ipdvStats: IpdvStats = { count: 0, min: 0, max: 0, sum: 0, absSum: 0, absP99: 0 };
  readonly avail: AvailabilitySpan = { upUntil: 0, downtimeNs: 0, transitions: 0 };
  slots = new Int32Array(4096);

  ensureSlots(n: number): void {
    if (n > this.slots.length) this.slots = new Int32Array(Math.max(n, this.slots.length * 2));
  }

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
    this.pack = new Float64Array(m);
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
  const buf = pool.array(c, win.bufSlot[w]);
  const base = pool.base(c, win.bufSlot[w]);
  const x = win.x;
  const xe = win.extra[w];

  const T = win.paramT[win.params[w]];
  const L = win.paramL[win.params[w]];
  const S = win.paramS[win.params[w]];
  const withAvail = T > 0 && L > 0;
  const unsynced = xe >= 0 ? x.unsynced[xe] : 0;
  const negative = xe >= 0 ? x.negative[xe] : 0;
  const duplicates = xe >= 0 ? x.duplicates[xe] : 0;
  const reordered = xe >= 0 ? x.reordered[xe] : 0;
  const nonTrusted = unsynced + negative;
  const dv = sc.dv;
  const owdBuf = nonTrusted > 0 ? sc.owd : dv;
  const ok = sc.ok;

  // One pass over the buffer (arrival order): sequence order check and range, min send time,
  // delay copies for sorting, OWD sum, and the send times (window-relative) of ok messages.
  // The window's min/max ext and min send time so far cover only samples that are not buffered.
  let minExt = xe >= 0 ? x.minExt[xe] : Infinity;
  let maxExt = xe >= 0 ? x.maxExt[xe] : -Infinity;
  let minSend = xe >= 0 ? x.minSend[xe] : Infinity;
  let inOrder = true;
  let prev = -Infinity;
  let owdSum = 0;
  let owdK = 0;
  let okK = 0;
  let okSorted = true;
  let okPrev = -Infinity;
  let dvMin = Infinity;
  let dvMax = -Infinity;
  let dvIntegral = true;
  const sExt = sc.ext;
  const sDelay = sc.delay;
  for (let i = 0; i < n; i++) {
    const at = base + i * 3;
    const e = buf[at];
    const d = buf[at + 1];
    const tag = buf[at + 2];
    sExt[i] = e;
    sDelay[i] = d;
    if (e < prev) inOrder = false;
    prev = e;
    if (e < minExt) minExt = e;
    if (e > maxExt) maxExt = e;
    // tag = send time in window + class * 2^48; class 0 (trusted) leaves tag < 2^48.
    const trusted = tag < CLASS_SHIFT;
    const t = trusted ? tag : tag - Math.floor(tag / CLASS_SHIFT) * CLASS_SHIFT;
    if (t < minSend) minSend = t;
    dv[i] = d;
    if (d < dvMin) dvMin = d;
    if (d > dvMax) dvMax = d;
    if (d !== Math.floor(d)) dvIntegral = false;
    if (trusted) {
      owdSum += d;
      if (nonTrusted > 0) owdBuf[owdK] = d;
      owdK++;
      if (withAvail && d <= L) {
        if (t < okPrev) okSorted = false;
        okPrev = t;
        ok[okK++] = t;
      }
    }
  }
  if (!inOrder) sortBySeq(sExt, sDelay, n, minExt, sc);

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
  sortWithRange(dv, n, dvMin, dvMax, dvIntegral);
  const owdN = owdK;
  if (nonTrusted > 0) sortAscending(owdBuf, owdN);
  const owd = owdBuf;
  const histKeys: number[] = [];
  const histCounts: number[] = [];
  appendSparseFromSorted(owd, 0, owdN, histKeys, histCounts);
  const hasOwd = owdN > 0;
  const hasDv = n > 0;

  // Deadline (TS 22.261 §3.1 reliability) and availability (§7 of METRICS.md), evaluated in
  // window-relative time (exact integers) and carried in flow-relative time.
  const met = L > 0 ? countAtMost(owd, owdN, L) : NaN;
  const startRel = win.relIdx[w] * W;
  let availExpected = NaN;
  let downtime = NaN;
  let transitions = NaN;
  if (withAvail && minSend < Infinity) {
    let from = flows.availPrevEnd[slot];
    if (from !== from) {
      from = startRel + minSend;
      flows.availUp[slot] = from + S;
    }
    let to = startRel + W;
    if (flows.maxSend[slot] < to) to = flows.maxSend[slot];
    if (to < from) to = from;
    if (!okSorted) sortNearlySorted(ok, okK);
    const av = sc.avail;
    av.upUntil = flows.availUp[slot] - startRel;
    availabilitySpan(ok, okK, from - startRel, to - startRel, T, S, core.config.downtimeOrigin === 'first_failure', av);
    flows.availUp[slot] = av.upUntil + startRel;
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
    duplicatePackets: duplicates,
    duplicationFraction: received > 0 ? duplicates / received : null,
    corruptPackets: xe >= 0 ? x.corrupt[xe] : 0,
    unreceivedReports: xe >= 0 ? x.unreceived[xe] : 0,
    unsyncedPackets: unsynced,
    negativeDelayPackets: negative,
    seqRestarts: xe >= 0 ? x.restarts[xe] : 0,
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
    reorderExtentMax: reordered > 0 ? x.extentMax[xe] : null,
    reorderExtentSum: xe >= 0 ? x.extentSum[xe] : 0,
    reorderExtentMean: reordered > 0 ? x.extentSum[xe] / reordered : null,
    reorderExtentCapped: xe >= 0 ? x.extentCapped[xe] : 0,
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

/** Sorts the (ext, delay) pairs in sc.ext / sc.delay by ext, in place (exts are distinct). */
function sortBySeq(sExt: Float64Array, sDelay: Float64Array, n: number, minExt: number, sc: CloseScratch): void {
  let maxExt = -Infinity;
  for (let i = 0; i < n; i++) if (sExt[i] > maxExt) maxExt = sExt[i];
  const range = maxExt - minExt + 1;
  const key = sc.key;
  const tmp = sc.ipdv; // free until IPDV runs
  if (range <= 4 * n + 64) {
    // Dense numbers (the usual case: a few losses and swaps): place each pair at ext - minExt.
    sc.ensureSlots(range);
    const slotOf = sc.slots;
    slotOf.fill(-1, 0, range);
    for (let i = 0; i < n; i++) slotOf[sExt[i] - minExt] = i;
    let k = 0;
    for (let j = 0; j < range; j++) {
      const i = slotOf[j];
      if (i >= 0) {
        key[k] = sExt[i];
        tmp[k] = sDelay[i];
        k++;
      }
    }
  } else if (range * PACK + n < 2 ** 52 && n < PACK) {
    // One native numeric sort of packed keys (ext offset, index).
    const packed = sc.pack;
    for (let i = 0; i < n; i++) packed[i] = (sExt[i] - minExt) * PACK + i;
    packed.subarray(0, n).sort();
    for (let i = 0; i < n; i++) {
      const idx = packed[i] % PACK;
      key[i] = sExt[idx];
      tmp[i] = sDelay[idx];
    }
  } else {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => sExt[a] - sExt[b]);
    for (let i = 0; i < n; i++) {
      key[i] = sExt[idx[i]];
      tmp[i] = sDelay[idx[i]];
    }
  }
  sExt.set(key.subarray(0, n));
  sDelay.set(tmp.subarray(0, n));
}
