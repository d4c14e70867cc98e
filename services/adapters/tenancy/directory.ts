// The gateway's view of enterprises: id -> identifier prefix, cached and reloaded like the
// credentials (RefreshingTable), so mapping a device identifier to its enterprise costs a map
// lookup, not a query.
import type { EnterpriseRecord } from '../../core/tenancy/types.ts';
import type { Registry } from './registry.ts';
import { RefreshingTable, type RefreshingTableOptions } from './refreshing.ts';

export interface EnterpriseDirectory {
  /** The enterprise in force, or undefined when it is not registered (or was deleted). */
  get(enterpriseId: string): Promise<EnterpriseRecord | undefined>;
  refresh(): Promise<void>;
  close(): void;
}

export function createEnterpriseDirectory(registry: Registry, opts: RefreshingTableOptions): EnterpriseDirectory {
  const table = new RefreshingTable<EnterpriseRecord>(async () => new Map((await registry.enterprises()).map((e) => [e.enterpriseId, e])), opts);
  return {
    get: (id) => table.get(id),
    refresh: () => table.refresh(),
    close: () => table.close(),
  };
}
