// The Kafka topics isochron uses. The local stack, docker-compose.yml and the services all
// take their names from here (a test checks docker-compose.yml against this list).

export interface TopicSpec {
  readonly envVar: string;
  readonly defaultName: string;
  readonly partitions: number;
  readonly purpose: string;
}

export const TOPICS = Object.freeze({
  telemetry: {
    envVar: 'ISOCHRON_TOPIC_TELEMETRY',
    defaultName: 'isochron.telemetry.v1',
    partitions: 8,
    purpose: 'TelemetryBatch records from the gateway (or producers), keyed by enterprise/device',
  },
  deadLetter: {
    envVar: 'ISOCHRON_TOPIC_DEAD_LETTER',
    defaultName: 'isochron.telemetry.v1.dlq',
    partitions: 1,
    purpose: 'records the worker could not process, with the reason and source offset in headers',
  },
} satisfies Record<string, TopicSpec>);

export function topicName(t: TopicSpec, env: NodeJS.ProcessEnv = process.env): string {
  return env[t.envVar] || t.defaultName;
}
