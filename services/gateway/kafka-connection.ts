// The gateway's producer, connected in the background: the gateway listens (and answers 503
// ISO_KAFKA_UNAVAILABLE, /readyz 503) while Kafka is unreachable, instead of failing to start or
// hanging in connect(). A failed connect is retried every retryIntervalMs until disconnect().
import { IsochronError } from '../core/errors.ts';
import type { OutgoingMessage, Producer } from '../adapters/kafka/client.ts';

export interface BackgroundProducer extends Producer {
  readonly connected: boolean;
  /** Resolves once connected (for start-up logs and tests). */
  whenConnected(): Promise<void>;
}

export function connectInBackground(connect: () => Promise<Producer>, opts: { retryIntervalMs: number; onError?: (e: unknown) => void }): BackgroundProducer {
  let producer: Producer | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveConnected!: () => void;
  const connectedPromise = new Promise<void>((r) => (resolveConnected = r));

  const attempt = async (): Promise<void> => {
    try {
      const p = await connect();
      if (stopped) {
        await p.disconnect().catch(() => undefined);
        return;
      }
      producer = p;
      resolveConnected();
    } catch (e) {
      opts.onError?.(e);
      if (!stopped) timer = setTimeout(() => void attempt(), opts.retryIntervalMs);
    }
  };
  void attempt();

  return {
    get connected() {
      return producer !== null;
    },
    whenConnected: () => connectedPromise,
    async send(topic: string, messages: readonly OutgoingMessage[]) {
      if (producer === null) throw new IsochronError('KAFKA_UNAVAILABLE', 'the gateway is not connected to Kafka yet');
      await producer.send(topic, messages);
    },
    async disconnect() {
      stopped = true;
      clearTimeout(timer);
      if (producer !== null) await producer.disconnect();
    },
  };
}
