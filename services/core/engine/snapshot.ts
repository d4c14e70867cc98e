// Complete state of one partition as bytes, and back (docs/delivery.md checkpoint protocol):
// flows with every carried value, open windows with their buffered samples, held restart
// suspects, and the partition's watermark. A restored partition continues exactly where the
// snapshot was taken: every row it emits afterwards is byte-identical to an undisturbed run.
// Not included: rows and discards already closed (the caller drains them first; anything not
// drained is dropped with the partition), and the processing-time idle timer (rule (c) starts
// fresh after a take-over). Flow times are stored relative to each flow's own epoch, as held.
import type { Identity, NetworkType } from '../wire/batch.ts';
import type { EngineCore } from './core.ts';
import type { HeldSample } from './flow-table.ts';
import { StateReader, StateWriter, stateInvalid } from './state-codec.ts';
import { REC } from './sample-pool.ts';

const MAGIC = 0x49534f31; // "ISO1"
const FORMAT = 1;

function settingsOf(core: EngineCore): number[] {
  const c = core.config;
  return [c.windowNs, c.allowedLatenessNs, c.seqMaxMisorder, c.reorderExtentCap, c.seqMaxDropout16, c.seqMaxDropout32];
}

export function snapshotPartition(core: EngineCore, partition: number): Uint8Array {
  const w = new StateWriter();
  w.u32(MAGIC);
  w.u32(FORMAT);
  for (const v of settingsOf(core)) w.f64(v);
  const pst = core.partitions.get(partition);
  w.u8(pst?.maxSendNs !== undefined && pst.maxSendNs !== null ? 1 : 0);
  if (pst?.maxSendNs !== undefined && pst.maxSendNs !== null) w.i64(pst.maxSendNs);
  w.f64(pst?.closedBeforeIdx ?? -Infinity);
  const slots = pst ? [...pst.flows] : [];
  w.u32(slots.length);
  for (const slot of slots) writeFlow(core, w, slot);
  return w.bytes();
}

function writeFlow(core: EngineCore, w: StateWriter, slot: number): void {
  const f = core.flows;
  const id = f.identities[slot] as Identity;
  w.str(id.enterpriseId);
  w.str(id.siteId);
  w.str(id.networkType);
  w.str(id.segmentId);
  w.str(id.deviceId);
  w.str(f.flowIds[slot] as string);
  for (const v of [f.epochIdx, f.maxSend, f.lateIdx, f.countedUpTo, f.lossRun, f.ipdvExt, f.ipdvDelay, f.availUp, f.availPrevEnd]) w.f64(v[slot]);
  w.u32(f.sizeHint[slot]);
  const s = f.seq;
  w.u8(s.bits[slot]);
  w.u8(s.has[slot]);
  for (const v of [s.maxExt, s.maxWire, s.floorExt, s.pendingWire]) w.f64(v[slot]);
  const d = f.dedup;
  w.u32s(d.words, slot * d.wordsPerFlow, d.wordsPerFlow);
  const r = f.reorder;
  w.f64(r.nextExp[slot]);
  w.f64(r.arrivals[slot]);
  w.u32(r.head[slot]);
  w.u32(r.len[slot]);
  w.u32s(r.ringExt, slot * r.cap, r.cap);
  w.u32s(r.ringArr, slot * r.cap, r.cap);
  const j = f.jitter;
  w.f64(j.j[slot]);
  w.f64(j.lastDelay[slot]);
  w.u8(j.has[slot]);
  const h = f.held.get(slot);
  w.u8(h ? 1 : 0);
  if (h) {
    for (const v of [h.wire, h.relT, h.relIdx, h.delayNs, h.sizeBytes, h.flags]) w.f64(v);
    writeParams(core, w, h.paramId);
  }
  const win = core.windows;
  const list: number[] = [];
  for (let k = f.headWin[slot]; k >= 0; k = win.next[k]) list.push(k);
  w.u32(list.length);
  for (const k of list) {
    w.f64(win.relIdx[k]);
    w.u32(win.received[k]);
    w.f64(win.bytes[k]);
    w.f64(win.jitter[k]);
    writeParams(core, w, win.params[k]);
    w.u8(win.bufClass[k]);
    const c = win.bufClass[k];
    w.f64s(win.pool.array(c, win.bufSlot[k]), win.pool.base(c, win.bufSlot[k]), win.received[k] * REC);
    const e = win.extra[k];
    w.u8(e >= 0 ? 1 : 0);
    if (e >= 0) {
      const x = win.x;
      for (const col of [x.duplicates, x.corrupt, x.unreceived, x.unsynced, x.negative, x.restarts, x.reordered, x.extentMax, x.extentCapped]) w.u32(col[e]);
      for (const col of [x.extentSum, x.minExt, x.maxExt, x.minSend]) w.f64(col[e]);
    }
    const starts = win.epochStarts.get(k) ?? [];
    w.u32(starts.length);
    for (const v of starts) w.f64(v);
  }
}

function writeParams(core: EngineCore, w: StateWriter, id: number): void {
  w.f64(core.windows.paramT[id]);
  w.f64(core.windows.paramL[id]);
  w.f64(core.windows.paramS[id]);
}

/** Replaces the partition's state (if any) with the snapshot. */
export function restorePartition(core: EngineCore, partition: number, bytes: Uint8Array): void {
  const r = new StateReader(bytes);
  if (r.u32() !== MAGIC) throw stateInvalid('not an engine snapshot');
  const format = r.u32();
  if (format !== FORMAT) throw stateInvalid(`format ${format}, this build reads ${FORMAT}`);
  const want = settingsOf(core);
  const got = want.map(() => r.f64());
  if (got.some((v, i) => v !== want[i])) {
    throw stateInvalid(`taken with windowNs/allowedLatenessNs/seqMaxMisorder/reorderExtentCap/seqMaxDropout16/seqMaxDropout32 = ${got.join('/')}, engine has ${want.join('/')}`);
  }
  dropPartition(core, partition);
  const pst = core.partition(partition);
  if (r.u8() === 1) pst.maxSendNs = r.i64();
  pst.closedBeforeIdx = r.f64();
  const n = r.u32();
  for (let i = 0; i < n; i++) readFlow(core, r, partition);
  if (!r.done()) throw stateInvalid('trailing bytes');
}

function readFlow(core: EngineCore, r: StateReader, partition: number): void {
  const identity: Identity = { enterpriseId: r.str(), siteId: r.str(), networkType: r.str() as NetworkType, segmentId: r.str(), deviceId: r.str() };
  const flowId = r.str();
  const f = core.flows;
  if (f.count >= core.config.maxFlows) throw stateInvalid(`more flows than maxFlows ${core.config.maxFlows}`);
  const prefix = `${identity.enterpriseId}\u0000${identity.siteId}\u0000${identity.networkType}\u0000${identity.segmentId}\u0000${identity.deviceId}`;
  const vals = [r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64()];
  const sizeHint = r.u32();
  const bits = r.u8();
  const slot = f.alloc(`${prefix}\u0000${flowId}`, identity, flowId, partition, vals[0], bits, vals[2]);
  [f.epochIdx, f.maxSend, f.lateIdx, f.countedUpTo, f.lossRun, f.ipdvExt, f.ipdvDelay, f.availUp, f.availPrevEnd].forEach((col, i) => (col[slot] = vals[i]));
  f.sizeHint[slot] = sizeHint;
  const s = f.seq;
  s.has[slot] = r.u8();
  for (const col of [s.maxExt, s.maxWire, s.floorExt, s.pendingWire]) col[slot] = r.f64();
  const d = f.dedup;
  r.u32s(d.words, slot * d.wordsPerFlow, d.wordsPerFlow);
  const ro = f.reorder;
  ro.nextExp[slot] = r.f64();
  ro.arrivals[slot] = r.f64();
  ro.head[slot] = r.u32();
  ro.len[slot] = r.u32();
  r.u32s(ro.ringExt, slot * ro.cap, ro.cap);
  r.u32s(ro.ringArr, slot * ro.cap, ro.cap);
  const j = f.jitter;
  j.j[slot] = r.f64();
  j.lastDelay[slot] = r.f64();
  j.has[slot] = r.u8();
  if (r.u8() === 1) {
    const h: HeldSample = { wire: r.f64(), relT: r.f64(), relIdx: r.f64(), delayNs: r.f64(), sizeBytes: r.f64(), flags: r.f64(), paramId: 0 };
    h.paramId = readParams(core, r);
    f.held.set(slot, h);
  }
  const win = core.windows;
  const count = r.u32();
  let prev = -1;
  for (let i = 0; i < count; i++) {
    const relIdx = r.f64();
    const received = r.u32();
    const bytes = r.f64();
    const jitter = r.f64();
    const paramId = readParams(core, r);
    const c = r.u8();
    const k = win.alloc(slot, relIdx, paramId, c);
    win.received[k] = received;
    win.bytes[k] = bytes;
    win.jitter[k] = jitter;
    if (received > 1 << c) throw stateInvalid(`window holds ${received} samples in a buffer of ${1 << c}`);
    r.f64s(win.pool.array(c, win.bufSlot[k]), win.pool.base(c, win.bufSlot[k]), received * REC);
    if (r.u8() === 1) {
      const e = win.extras(k);
      const x = win.x;
      for (const col of [x.duplicates, x.corrupt, x.unreceived, x.unsynced, x.negative, x.restarts, x.reordered, x.extentMax, x.extentCapped]) col[e] = r.u32();
      for (const col of [x.extentSum, x.minExt, x.maxExt, x.minSend]) col[e] = r.f64();
    }
    const starts = r.u32();
    if (starts > 0) win.epochStarts.set(k, Array.from({ length: starts }, () => r.f64()));
    if (prev < 0) f.headWin[slot] = k;
    else win.next[prev] = k;
    prev = k;
  }
  const pst = core.partition(partition);
  let device = pst.byDevice.get(prefix);
  if (device === undefined) {
    device = new Map<string, number>();
    pst.byDevice.set(prefix, device);
  }
  device.set(flowId, slot);
  f.posInPartition[slot] = pst.flows.length;
  pst.flows.push(slot);
}

function readParams(core: EngineCore, r: StateReader): number {
  return core.windows.paramId(r.f64(), r.f64(), r.f64());
}

/** Forgets a partition without closing anything: flows, open windows, pending rows and discards. */
export function dropPartition(core: EngineCore, partition: number): void {
  const pst = core.partitions.get(partition);
  if (pst !== undefined) {
    for (const slot of [...pst.flows]) {
      const win = core.windows;
      let k = core.flows.headWin[slot];
      while (k >= 0) {
        const next = win.next[k];
        win.release(k);
        k = next;
      }
      core.flows.headWin[slot] = -1;
      core.dropFlow(slot);
    }
    core.partitions.delete(partition);
  }
  const keep = core.rows.filter((row) => row.partition !== partition);
  core.rows.length = 0;
  core.rows.push(...keep);
  core.discards.drop(partition);
}
