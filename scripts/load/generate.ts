// Pre-encodes the bodies the k6 scripts post (k6 cannot run the TypeScript encoder), from the
// simulator's model of 5G and TSN devices (services/simulator/model.ts), re-labelled as devices
// of one load-test enterprise so that one ingest key covers them.
//
//   ingest.bin + ingest.json   realistic device batches (each device's flows over `intervalMs`
//                              of event time, 1000-5000 samples), posted as they are: the
//                              gateway does not look at event time, so old times are fine.
//   fresh.bin + fresh.json     one template per device covering one `stepMs` step, whose
//                              base_send_ns and base_seq fields k6 rewrites for every step
//                              (load-tests/lib/wire-patch.js) so event time is the wall clock.
import fs from 'node:fs';
import path from 'node:path';
import { encodeBatch, type RawFlow } from '../../services/core/wire/encode-batch.ts';
import { buildTopology, deviceBatch, FlowGenerator, type DeviceModel } from '../../services/simulator/model.ts';
import { Prng } from '../../services/simulator/prng.ts';
import { SEQ_BASE } from '../../load-tests/lib/wire-patch.js';

export interface LoadIdentity {
  readonly enterpriseId: string;
  /** Industrial internet identifier prefix of the enterprise; device ids are "<prefix>/<suffix>". */
  readonly identifierPrefix: string;
}

export interface IngestManifest {
  readonly file: string;
  /** Number of enterprises; body.tenant indexes them. */
  readonly enterprises: number;
  readonly bodies: { offset: number; length: number; samples: number; deviceId: string; tenant: number }[];
  readonly meanSamplesPerBody: number;
  readonly meanBytesPerBody: number;
}

export interface FreshTemplate {
  readonly offset: number;
  readonly length: number;
  readonly deviceId: string;
  readonly flows: number;
  readonly sendAt: number[];
  readonly seqAt: number[];
  readonly baseSeq: number[];
  /** Packets sent per flow per step (received or lost): how far base_seq moves each step. */
  readonly seqPerStep: number[];
  /** Samples in the template (received packets). */
  readonly samples: number;
}

export interface FreshManifest {
  readonly file: string;
  readonly stepMs: number;
  readonly templates: FreshTemplate[];
  readonly flows: number;
  readonly samplesPerStep: number;
}

/** The simulator's devices, as devices of the load-test enterprise. */
function loadDevices(id: LoadIdentity, devices: number, flowsPerDevice: number, seed: number, suffix: string): DeviceModel[] {
  return buildTopology(seed, Math.ceil(devices / 2), flowsPerDevice)
    .slice(0, devices)
    .map((d, i) => ({
      ...d,
      identity: { ...d.identity, enterpriseId: id.enterpriseId, siteId: 'load-site', deviceId: `${id.identifierPrefix}/${suffix}-${String(i + 1).padStart(4, '0')}` },
    }));
}

/**
 * Device i belongs to enterprise ids[i % ids.length]; each body names its enterprise's index
 * (`tenant`), so k6 sends that enterprise's key. Several enterprises keep each one under the
 * gateway's per-enterprise rate limit, as in a real fleet.
 */
export function generateIngest(dir: string, ids: readonly LoadIdentity[], o: { devices: number; flowsPerDevice: number; intervalMs: number; startMs: number; seed?: number }): IngestManifest {
  const devices = loadDevices(ids[0], o.devices, o.flowsPerDevice, o.seed ?? 11, 'LOAD').map((d, i) => {
    const id = ids[i % ids.length];
    return { ...d, identity: { ...d.identity, enterpriseId: id.enterpriseId, deviceId: `${id.identifierPrefix}/${d.identity.deviceId.split('/')[1]}` } };
  });
  const root = new Prng(o.seed ?? 11);
  const fromNs = BigInt(o.startMs) * 1_000_000n;
  const toNs = fromNs + BigInt(o.intervalMs) * 1_000_000n;
  const chunks: Uint8Array[] = [];
  const bodies: IngestManifest['bodies'] = [];
  let offset = 0;
  for (const [i, d] of devices.entries()) {
    const gens = d.flows.map((f) => new FlowGenerator(f, root.fork(`${d.identity.deviceId}/${f.flowId}`)));
    const { body, samples } = deviceBatch(d, gens, fromNs, toNs);
    chunks.push(body);
    bodies.push({ offset, length: body.length, samples, deviceId: d.identity.deviceId, tenant: i % ids.length });
    offset += body.length;
  }
  const file = path.join(dir, 'ingest.bin');
  fs.writeFileSync(file, Buffer.concat(chunks));
  const m: IngestManifest = {
    file,
    enterprises: ids.length,
    bodies,
    meanSamplesPerBody: bodies.reduce((a, b) => a + b.samples, 0) / bodies.length,
    meanBytesPerBody: offset / bodies.length,
  };
  fs.writeFileSync(path.join(dir, 'ingest.json'), JSON.stringify(m));
  return m;
}

// Placeholder for base_send_ns while encoding; its 8 bytes (after the fixed64 tag) are located and rewritten.
const SENTINEL_NS = 0x5a17_c0de_0bad_f00dn;
const TAG_BASE_SEND_NS = (3 << 3) | 1;
const TAG_BASE_SEQ = (4 << 3) | 0;

export function generateFresh(dir: string, id: LoadIdentity, o: { devices: number; flowsPerDevice: number; stepMs: number; seed?: number }): FreshManifest {
  const devices = loadDevices(id, o.devices, o.flowsPerDevice, o.seed ?? 23, 'FRESH');
  const root = new Prng(o.seed ?? 23);
  const stepNs = BigInt(o.stepMs) * 1_000_000n;
  const chunks: Uint8Array[] = [];
  const templates: FreshTemplate[] = [];
  let offset = 0;
  for (const d of devices) {
    const flows: RawFlow[] = [];
    const seqPerStep: number[] = [];
    let samples = 0;
    for (const f of d.flows) {
      if ((o.stepMs * 1_000_000) % f.periodNs !== 0) throw new Error(`flow period ${f.periodNs} ns does not tile a ${o.stepMs} ms step`);
      // One step from event time 0: send times are offsets within the step, sequence numbers start at 0.
      const raw = new FlowGenerator(f, root.fork(`${d.identity.deviceId}/${f.flowId}`)).generate(0n, stepNs);
      seqPerStep.push((o.stepMs * 1_000_000) / f.periodNs);
      samples += raw.seq.length;
      flows.push({
        flowId: f.flowId,
        seq: raw.seq.map((s) => s + SEQ_BASE),
        baseSeq: SEQ_BASE,
        baseSendNs: SENTINEL_NS,
        sendOffsetNs: raw.sendNs.map((t) => Number(t)),
        delayNs: raw.delayNs,
        sizeBytes: raw.sizeBytes,
        flags: raw.flags,
        transferIntervalNs: f.transferIntervalNs,
        maxLatencyNs: f.maxLatencyNs,
        survivalTimeNs: f.survivalTimeNs,
      });
    }
    const bytes = encodeBatch({ identity: d.identity, flows });
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const sentinel = Buffer.alloc(8);
    sentinel.writeBigUInt64LE(SENTINEL_NS);
    const sendAt: number[] = [];
    const seqAt: number[] = [];
    for (let at = buf.indexOf(sentinel); at >= 0; at = buf.indexOf(sentinel, at + 8)) {
      // In canonical order base_seq (field 4) directly follows base_send_ns (field 3), and
      // SEQ_BASE <= base_seq < 2^28 is a 4-byte varint.
      if (buf[at - 1] !== TAG_BASE_SEND_NS || buf[at + 8] !== TAG_BASE_SEQ) throw new Error('fresh template: unexpected field layout');
      sendAt.push(offset + at);
      seqAt.push(offset + at + 9);
    }
    if (sendAt.length !== flows.length) throw new Error(`fresh template: found ${sendAt.length} base_send_ns fields for ${flows.length} flows`);
    chunks.push(bytes);
    templates.push({ offset, length: bytes.length, deviceId: d.identity.deviceId, flows: flows.length, sendAt: sendAt.map((x) => x - offset), seqAt: seqAt.map((x) => x - offset), baseSeq: flows.map(() => SEQ_BASE), seqPerStep, samples });
    offset += bytes.length;
  }
  const file = path.join(dir, 'fresh.bin');
  fs.writeFileSync(file, Buffer.concat(chunks));
  const m: FreshManifest = {
    file,
    stepMs: o.stepMs,
    templates,
    flows: templates.reduce((a, t) => a + t.flows, 0),
    samplesPerStep: templates.reduce((a, t) => a + t.samples, 0),
  };
  fs.writeFileSync(path.join(dir, 'fresh.json'), JSON.stringify(m));
  return m;
}
