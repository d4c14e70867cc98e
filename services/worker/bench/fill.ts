// Pre-fills the benchmark topics: packed TelemetryBatch records for the worker and, from the
// same samples, tab-separated rows for the baseline. Bounded: at most `maxInFlightSends`
// produce requests outstanding, one step of traffic generated at a time.
import { createProducer, type OutgoingMessage } from '../../adapters/kafka/client.ts';
import { closingRecords, dataSamples, deviceModels, flushTsv, stepRecords, tsvSink, type TrafficPlan } from './traffic.ts';

export interface FillResult {
  readonly dataSamples: number;
  readonly closingSamples: number;
  readonly packedRecords: number;
  readonly packedBytes: number;
  readonly tsvMessages: number;
  readonly tsvBytes: number;
  readonly seconds: number;
}

export interface FillTargets {
  readonly brokers: string;
  readonly packedTopic: string;
  /** Omit to skip the baseline's rows. */
  readonly tsvTopic?: string;
}

const MESSAGES_PER_SEND = 500;

export async function fillTopics(plan: TrafficPlan, t: FillTargets, log: (line: string) => void, maxInFlightSends = 4): Promise<FillResult> {
  const producer = await createProducer({ brokers: [t.brokers], clientId: 'isochron-bench-fill', client: 'confluent' });
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const send = async (topic: string, messages: OutgoingMessage[]): Promise<void> => {
    while (inFlight.size >= maxInFlightSends) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
    const p: Promise<void> = producer.send(topic, messages).then(
      () => void inFlight.delete(p),
      (e: unknown) => {
        inFlight.delete(p);
        failure ??= e;
      },
    );
    inFlight.add(p);
  };
  const sendAll = async (topic: string, messages: OutgoingMessage[]) => {
    for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND) await send(topic, messages.slice(i, i + MESSAGES_PER_SEND));
  };
  let packedRecords = 0;
  let packedBytes = 0;
  let tsvMessages = 0;
  let tsvBytes = 0;
  try {
    const devs = deviceModels(plan);
    const tsv = t.tsvTopic ? tsvSink() : undefined;
    let lastLog = performance.now();
    for (let s = 0; s < plan.steps; s++) {
      const records = stepRecords(plan, devs, s, tsv);
      packedRecords += records.length;
      for (const r of records) packedBytes += r.value.length;
      await sendAll(t.packedTopic, records);
      if (tsv && t.tsvTopic) {
        const chunks = s === plan.steps - 1 ? flushTsv(tsv) : tsv.chunks.splice(0, tsv.chunks.length);
        tsvMessages += chunks.length;
        for (const c of chunks) tsvBytes += c.length;
        await sendAll(t.tsvTopic, chunks.map((value, i) => ({ key: `tsv-${(tsvMessages + i) % 64}`, value })));
      }
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`fill: step ${s + 1}/${plan.steps}, ${((dataSamples(plan) * (s + 1)) / plan.steps / 1e6).toFixed(1)} M samples`);
      }
    }
    const closing = closingRecords(plan, devs);
    packedRecords += closing.length;
    await sendAll(t.packedTopic, closing);
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return {
    dataSamples: dataSamples(plan),
    closingSamples: plan.devices * plan.flowsPerDevice,
    packedRecords,
    packedBytes,
    tsvMessages,
    tsvBytes,
    seconds: (performance.now() - started) / 1e3,
  };
}
