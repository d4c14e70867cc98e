// Process metrics every isochron service exports (gateway, worker, API), under its own prefix.
import client from 'prom-client';

/**
 * Process metrics of our own: prom-client's default set includes gauges named *_total, which
 * `promtool check metrics` rejects.
 */
export function registerProcessMetrics(registry: client.Registry, prefix: string): void {
  const r = [registry];
  new client.Gauge({
    name: `${prefix}process_resident_memory_bytes`,
    help: 'Resident set size of the process',
    registers: r,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new client.Gauge({
    name: `${prefix}process_heap_used_bytes`,
    help: 'V8 heap in use',
    registers: r,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  new client.Counter({
    name: `${prefix}process_cpu_seconds_total`,
    help: 'User and system CPU time of the process',
    registers: r,
    collect() {
      const u = process.cpuUsage();
      this.reset();
      this.inc((u.user + u.system) / 1e6);
    },
  });
}
