// The per-sample hot path: one flow's samples of one batch, in arrival order.
//
// Each sample ends in exactly one place (the accounting identity, docs/metrics.md):
//   discards: send_time_in_future, too_late, bad_sequence, window_full
//   window:   corrupt | unreceived | duplicate | received (first copy)
// Order of the checks: future send time, window already closed (too_late), corrupt, sequence
// (bad / held while a restart is being confirmed), not received, duplicate, received.
// Discarded samples change no metric state (a confirmed restart is the one exception: the held
// sample's sequence number opened the new epoch even if the sample itself is too late).
// Windows are created only for samples that land in them.
import type { DecodedFlow } from '../wire/batch.ts';
import { FLAG_CLOCK_SYNCED, FLAG_CORRUPT, FLAG_RECEIVED } from '../wire/batch.ts';
import type { EngineCore } from './core.ts';
import { SEQ_ACCEPT, SEQ_BAD, SEQ_RESTART, SEQ_SUSPECT } from '../metrics/sequence.ts';
import { rfc3550JitterStep } from '../metrics/jitter.ts';
import { CLASS_SHIFT, CLS_NEGATIVE, CLS_TRUSTED, CLS_UNSYNCED, MAX_CLASS } from './sample-pool.ts';
import { floorDiv } from './watermark.ts';

const MAX_WINDOW_SAMPLES = 2 ** MAX_CLASS;

export interface SegmentParams {
  /** Flow-relative send time of the batch's base (baseSendNs). */
  baseRel: number;
  /** Samples with sendOffsetNs above this are in the future (+Infinity = no check). */
  futureOff: number;
  /** Interned (transfer interval, max latency, survival time) of this batch's flow. */
  paramId: number;
}

/** Ingests one flow segment (the flow's maxSend afterwards covers every accepted sample). */
export function ingestSegment(core: EngineCore, slot: number, f: DecodedFlow, p: SegmentParams): void {
  const W = core.windowNs;
  const L = core.latenessNs;
  const flows = core.flows;
  const win = core.windows;
  // Extras columns: always take `const e = win.extras(w)` before indexing x.<column>, because
  // extras() may grow (replace) the columns.
  const x = win.x;
  const pool = win.pool;
  const seqCols = flows.seq;
  const dedup = flows.dedup;
  const reorder = flows.reorder;
  const reorderCap = flows.reorderCap;
  const jit = flows.jitter;
  const held = flows.held;
  const { seq, sendOffsetNs, delayNs, sizeBytes, flags } = f;
  const baseRel = p.baseRel;
  const futureOff = p.futureOff;
  const paramId = p.paramId;
  // Flow scalars kept in locals for the segment; written back before any slow path.
  let maxSend = flows.maxSend[slot];
  let lateIdx = flows.lateIdx[slot];
  let jJ = jit.j[slot];
  let jLast = jit.lastDelay[slot];
  let jHas = jit.has[slot];
  // A restart suspect of this flow is being held (then every sample takes the slow path).
  let holding = held.size !== 0 && held.has(slot);
  // Window of the previous sample: index range, slot, and its buffer (stale after a slow path).
  let curIdx = NaN;
  let curStart = Infinity;
  let curEnd = -Infinity;
  let curW = -1;
  let bufStale = true;
  // Counters of curW held in locals while wDirty (received = bufN, bytes, jitter after the last).
  let wDirty = false;
  let wBytes = 0;
  let bufN = 0;
  let bufCap = 0;
  let bufBase = 0;
  let buf = pool.array(0, 0);
  for (let i = 0; i < f.count; i++) {
    const off = sendOffsetNs[i];
    const relT = baseRel + off;
    let relIdx: number;
    if (relT >= curStart && relT < curEnd) relIdx = curIdx;
    else {
      relIdx = floorDiv(relT, W);
      curIdx = relIdx;
      curStart = relIdx * W;
      curEnd = curStart + W;
      if (wDirty) {
        win.received[curW] = bufN;
        win.bytes[curW] = wBytes;
        win.jitter[curW] = jJ;
        wDirty = false;
      }
      curW = -1;
    }
    if (off > futureOff) {
      core.discardAt(slot, relIdx, 'send_time_in_future', 1);
      continue;
    }
    if (relIdx < lateIdx) {
      core.discardAt(slot, relIdx, 'too_late', 1);
      continue;
    }
    const fl = flags[i];
    if ((fl & FLAG_CORRUPT) !== 0) {
      // Counted as lost (RFC 7680 §2.5); its sequence number and times are not trusted.
      if (curW < 0) {
        curW = core.getWindow(slot, relIdx, paramId);
        bufStale = true;
      }
      const e = win.extras(curW);
      x.corrupt[e]++;
      continue;
    }
    const code = seqCols.observe(slot, seq[i]);
    if (code === SEQ_ACCEPT && !holding && (fl & FLAG_RECEIVED) !== 0) {
      // Fast path: an accepted, received sample with no restart pending.
      if (curW < 0) {
        curW = core.getWindow(slot, relIdx, paramId);
        bufStale = true;
      }
      const ext = seqCols.ext;
      const prevMax = seqCols.prevMax;
      if (relT > maxSend) {
        maxSend = relT;
        // Rule (a): the lateness threshold moves when relT - L reaches the next window boundary.
        if (relT - L >= (lateIdx + 1) * W) lateIdx = floorDiv(relT - L, W);
      }
      if (ext > prevMax) dedup.advanceAndMark(slot, prevMax, ext);
      else if (dedup.testAndSet(slot, ext)) {
        const e = win.extras(curW);
        if (ext < x.minExt[e]) x.minExt[e] = ext;
        if (ext > x.maxExt[e]) x.maxExt[e] = ext;
        if (relT - curStart < x.minSend[e]) x.minSend[e] = relT - curStart;
        x.duplicates[e]++;
        continue;
      }
      if (bufStale) {
        const c = win.bufClass[curW];
        bufCap = 1 << c;
        buf = pool.array(c, win.bufSlot[curW]);
        bufBase = pool.base(c, win.bufSlot[curW]);
        bufN = win.received[curW];
        wBytes = win.bytes[curW];
        bufStale = false;
      }
      if (bufN === bufCap) {
        if (bufN >= MAX_WINDOW_SAMPLES) {
          core.discardAt(slot, relIdx, 'window_full', 1);
          continue;
        }
        win.received[curW] = bufN;
        win.reserve(curW);
        const c = win.bufClass[curW];
        bufCap = 1 << c;
        buf = pool.array(c, win.bufSlot[curW]);
        bufBase = pool.base(c, win.bufSlot[curW]);
      }
      const d = delayNs[i];
      wBytes += sizeBytes[i];
      const extent = reorder.observe(slot, ext);
      if (extent > 0) {
        const e = win.extras(curW);
        x.reordered[e]++;
        x.extentSum[e] += extent;
        if (extent > x.extentMax[e]) x.extentMax[e] = extent;
        if (extent === reorderCap) x.extentCapped[e]++;
      }
      if (jHas !== 0) jJ = rfc3550JitterStep(jJ, d - jLast);
      else jHas = 1;
      jLast = d;
      let cls = CLS_TRUSTED;
      if ((fl & FLAG_CLOCK_SYNCED) === 0) {
        cls = CLS_UNSYNCED;
        const e = win.extras(curW);
        x.unsynced[e]++;
      } else if (d < 0) {
        cls = CLS_NEGATIVE;
        const e = win.extras(curW);
        x.negative[e]++;
      }
      const at = bufBase + bufN * 3;
      buf[at] = ext;
      buf[at + 1] = d;
      buf[at + 2] = relT - curStart + cls * CLASS_SHIFT;
      bufN++;
      wDirty = true;
      continue;
    }
    // Slow paths: state goes back to the columns first, and is read again afterwards.
    if (wDirty) {
      win.received[curW] = bufN;
      win.bytes[curW] = wBytes;
      win.jitter[curW] = jJ;
      wDirty = false;
    }
    flows.maxSend[slot] = maxSend;
    flows.lateIdx[slot] = lateIdx;
    jit.j[slot] = jJ;
    jit.lastDelay[slot] = jLast;
    jit.has[slot] = jHas;
    slowPath(core, slot, code, relT, relIdx, seq[i], delayNs[i], sizeBytes[i], fl, paramId);
    holding = held.has(slot);
    curW = -1;
    bufStale = true;
    maxSend = flows.maxSend[slot];
    lateIdx = flows.lateIdx[slot];
    jJ = jit.j[slot];
    jLast = jit.lastDelay[slot];
    jHas = jit.has[slot];
  }
  if (wDirty) {
    win.received[curW] = bufN;
    win.bytes[curW] = wBytes;
    win.jitter[curW] = jJ;
  }
  flows.maxSend[slot] = maxSend;
  flows.lateIdx[slot] = lateIdx;
  jit.j[slot] = jJ;
  jit.lastDelay[slot] = jLast;
  jit.has[slot] = jHas;
}

/** Everything but the common case: held restart suspects, bad numbers, unreceived records. */
function slowPath(core: EngineCore, slot: number, code: number, relT: number, relIdx: number, wire: number, delayNs: number, sizeBytes: number, fl: number, paramId: number): void {
  const flows = core.flows;
  const win = core.windows;
  const seqCols = flows.seq;
  const held = flows.held;
  if (code !== SEQ_RESTART && held.size !== 0) {
    const h = held.get(slot);
    if (h !== undefined) {
      held.delete(slot);
      core.discardAt(slot, h.relIdx, 'bad_sequence', 1);
    }
  }
  if (code === SEQ_BAD) {
    core.discardAt(slot, relIdx, 'bad_sequence', 1);
    return;
  }
  if (code === SEQ_SUSPECT) {
    held.set(slot, { wire, relT, relIdx, delayNs, sizeBytes, flags: fl, paramId });
    return;
  }
  const ext = seqCols.ext;
  if (code === SEQ_RESTART) {
    const h = held.get(slot);
    held.delete(slot);
    flows.dedup.reset(slot);
    if (h !== undefined) {
      if (h.relIdx < flows.lateIdx[slot]) core.discardAt(slot, h.relIdx, 'too_late', 1);
      else {
        const hw = core.getWindow(slot, h.relIdx, h.paramId);
        if (acceptSample(core, slot, hw, ext - 1, h.relT, h.relIdx, h.delayNs, h.sizeBytes, h.flags)) {
          const list = win.epochStarts.get(hw);
          if (list === undefined) win.epochStarts.set(hw, [ext - 1]);
          else list.push(ext - 1);
        }
      }
    }
    const cw = core.getWindow(slot, relIdx, paramId);
    if (acceptSample(core, slot, cw, ext, relT, relIdx, delayNs, sizeBytes, fl)) {
      const e = win.extras(cw);
      win.x.restarts[e]++;
    }
    return;
  }
  const prevMax = seqCols.prevMax;
  if (ext > prevMax) flows.dedup.advance(slot, prevMax, ext);
  acceptSample(core, slot, core.getWindow(slot, relIdx, paramId), ext, relT, relIdx, delayNs, sizeBytes, fl);
}

/** Places an accepted sample (sequence already extended) in window w; false if discarded. */
function acceptSample(core: EngineCore, slot: number, w: number, ext: number, relT: number, relIdx: number, delayNs: number, sizeBytes: number, fl: number): boolean {
  const flows = core.flows;
  const win = core.windows;
  const x = win.x;
  if (win.received[w] >= MAX_WINDOW_SAMPLES) {
    core.discardAt(slot, relIdx, 'window_full', 1);
    return false;
  }
  if (relT > flows.maxSend[slot]) {
    flows.maxSend[slot] = relT;
    const W = core.windowNs;
    if (relT - core.latenessNs >= (flows.lateIdx[slot] + 1) * W) flows.lateIdx[slot] = floorDiv(relT - core.latenessNs, W);
  }
  const sendInWindow = relT - relIdx * core.windowNs;
  if ((fl & FLAG_RECEIVED) === 0 || flows.dedup.testAndSet(slot, ext)) {
    // Not buffered: the window's sequence range and first send time are kept in its extras.
    const e = win.extras(w);
    if (ext < x.minExt[e]) x.minExt[e] = ext;
    if (ext > x.maxExt[e]) x.maxExt[e] = ext;
    if (sendInWindow < x.minSend[e]) x.minSend[e] = sendInWindow;
    if ((fl & FLAG_RECEIVED) === 0) x.unreceived[e]++;
    else x.duplicates[e]++;
    return true;
  }
  win.bytes[w] += sizeBytes;
  const extent = flows.reorder.observe(slot, ext);
  if (extent > 0) {
    const e = win.extras(w);
    x.reordered[e]++;
    x.extentSum[e] += extent;
    if (extent > x.extentMax[e]) x.extentMax[e] = extent;
    if (extent === flows.reorderCap) x.extentCapped[e]++;
  }
  win.jitter[w] = flows.jitter.observe(slot, delayNs);
  let cls = CLS_TRUSTED;
  if ((fl & FLAG_CLOCK_SYNCED) === 0) {
    cls = CLS_UNSYNCED;
    const e = win.extras(w);
    x.unsynced[e]++;
  } else if (delayNs < 0) {
    cls = CLS_NEGATIVE;
    const e = win.extras(w);
    x.negative[e]++;
  }
  win.reserve(w);
  const c = win.bufClass[w];
  const slotId = win.bufSlot[w];
  const buf = win.pool.array(c, slotId);
  const at = win.pool.base(c, slotId) + win.received[w] * 3;
  buf[at] = ext;
  buf[at + 1] = delayNs;
  buf[at + 2] = sendInWindow + cls * CLASS_SHIFT;
  win.received[w]++;
  return true;
}
