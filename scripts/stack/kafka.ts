// Local Apache Kafka 4.x: one KRaft node (broker + controller) run from the jars that
// scripts/setup.sh fetched from Maven Central.
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { REPO_ROOT, type StackConfig } from './config.ts';
import { daemon, portInUse, render, runningPid, startDaemon, stopDaemon, waitFor } from './process.ts';

const TEMPLATE_DIR = path.join(REPO_ROOT, 'scripts/stack/kafka');

export function kafkaVersion(): string {
  const pom = fs.readFileSync(path.join(TEMPLATE_DIR, 'pom.xml'), 'utf8');
  const m = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!m) throw new Error('scripts/stack/kafka/pom.xml has no <kafka.version>');
  return m[1];
}

function classpath(c: StackConfig): string {
  const libs = path.join(c.homeDir, `kafka-libs-${kafkaVersion()}`);
  if (!fs.existsSync(path.join(libs, '.complete'))) {
    throw new Error(`Kafka jars missing in ${libs}: run "npm run setup" (scripts/setup.sh) first`);
  }
  return `${libs}/*`;
}

export const kafkaDaemon = (c: StackConfig) => daemon(c.dir, 'kafka');

export async function startKafka(c: StackConfig): Promise<void> {
  const d = kafkaDaemon(c);
  if (runningPid(d) !== undefined) {
    await waitKafkaReady(c);
    return;
  }
  for (const port of [c.kafkaPort, c.kafkaControllerPort]) {
    if (await portInUse(port)) {
      throw new Error(`port ${port} is in use: stop what uses it, or set ISOCHRON_KAFKA_PORT / ISOCHRON_KAFKA_CONTROLLER_PORT to free ports`);
    }
  }
  const dataDir = path.join(c.dir, 'kafka-data');
  const confFile = path.join(c.dir, 'kafka-server.properties');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    confFile,
    render(fs.readFileSync(path.join(TEMPLATE_DIR, 'server.properties'), 'utf8'), {
      DATA_DIR: dataDir,
      BROKER_PORT: c.kafkaPort,
      CONTROLLER_PORT: c.kafkaControllerPort,
    }),
  );
  const cp = classpath(c);
  const log4j = `-Dlog4j2.configurationFile=${path.join(TEMPLATE_DIR, 'log4j2.properties')}`;
  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    // KRaft storage is formatted once per data folder with a fresh cluster id.
    const clusterId = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    execFileSync('java', ['-cp', cp, log4j, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', confFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  startDaemon(d, 'java', [
    `-Xms256m`,
    `-Xmx${c.kafkaHeapMb}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    log4j,
    '-cp',
    cp,
    'kafka.Kafka',
    confFile,
  ]);
  await waitKafkaReady(c);
}

/** Ready means: a topic can be created and described. */
export async function waitKafkaReady(c: StackConfig, timeoutMs = 90_000): Promise<void> {
  const admin = new Kafka({ clientId: 'isochron-stack', brokers: [`127.0.0.1:${c.kafkaPort}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await waitFor(
      `Kafka on 127.0.0.1:${c.kafkaPort}`,
      async () => {
        await admin.connect();
        await admin.createTopics({ topics: [{ topic: '__isochron_ready', numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
        const md = await admin.fetchTopicMetadata({ topics: ['__isochron_ready'] });
        return md.topics[0]?.partitions[0]?.leader === 1;
      },
      timeoutMs,
      kafkaDaemon(c).logFile,
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function ensureTopics(c: StackConfig, topics: { name: string; partitions: number }[]): Promise<void> {
  const admin = new Kafka({ clientId: 'isochron-stack', brokers: [`127.0.0.1:${c.kafkaPort}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const todo = topics.filter((t) => !existing.has(t.name));
    if (todo.length > 0) {
      await admin.createTopics({
        topics: todo.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}

export const stopKafka = (c: StackConfig) => stopDaemon(kafkaDaemon(c), 30_000);
