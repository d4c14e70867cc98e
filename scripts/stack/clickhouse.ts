// Local ClickHouse from Debian's clickhouse-server package (18.16), with the config kept in
// scripts/stack/clickhouse/ and data and logs inside the stack folder.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type StackConfig } from './config.ts';
import { daemon, portInUse, render, runningPid, startDaemon, stopDaemon, waitFor } from './process.ts';

const TEMPLATE_DIR = path.join(REPO_ROOT, 'scripts/stack/clickhouse');
const SERVER_BIN = '/usr/sbin/clickhouse-server';

export const clickhouseDaemon = (c: StackConfig) => daemon(c.dir, 'clickhouse');

export async function startClickHouse(c: StackConfig): Promise<void> {
  const d = clickhouseDaemon(c);
  if (runningPid(d) === undefined) {
    if (!fs.existsSync(SERVER_BIN)) {
      throw new Error(`${SERVER_BIN} not found: run "npm run setup" (installs Debian's clickhouse-server)`);
    }
    for (const port of [c.clickhouseHttpPort, c.clickhouseTcpPort]) {
      if (await portInUse(port)) {
        throw new Error(`port ${port} is in use: stop what uses it, or set ISOCHRON_CLICKHOUSE_HTTP_PORT / ISOCHRON_CLICKHOUSE_TCP_PORT to free ports`);
      }
    }
    const confDir = path.join(c.dir, 'clickhouse-conf');
    const dataDir = path.join(c.dir, 'clickhouse-data');
    const logDir = path.join(c.dir, 'logs');
    for (const dir of [confDir, dataDir, logDir]) fs.mkdirSync(dir, { recursive: true });
    const values = {
      CONF_DIR: confDir,
      DATA_DIR: dataDir,
      LOG_DIR: logDir,
      HTTP_PORT: c.clickhouseHttpPort,
      TCP_PORT: c.clickhouseTcpPort,
    };
    for (const f of ['config.xml', 'users.xml']) {
      fs.writeFileSync(path.join(confDir, f), render(fs.readFileSync(path.join(TEMPLATE_DIR, f), 'utf8'), values));
    }
    startDaemon(d, SERVER_BIN, [`--config-file=${path.join(confDir, 'config.xml')}`]);
  }
  await waitFor(
    `ClickHouse on 127.0.0.1:${c.clickhouseHttpPort}`,
    async () => {
      const res = await fetch(`http://127.0.0.1:${c.clickhouseHttpPort}/?query=SELECT%201`);
      return res.ok && (await res.text()).trim() === '1';
    },
    60_000,
    path.join(c.dir, 'logs', 'clickhouse-server.err.log'),
  );
}

export const stopClickHouse = (c: StackConfig) => stopDaemon(clickhouseDaemon(c), 30_000);
