import type { Network } from "../objects/network.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createNetworkTable(): Table<Network> {
  return new Table<Network>({ kind: "network", uniqueName: (o) => o.spec.name, indexes: {} });
}

export class NetworkReader extends TableReader<Network> {
  /** Names are unique per kind. */
  byName(name: string): Network | undefined {
    return this.byUniqueName(name);
  }
}
