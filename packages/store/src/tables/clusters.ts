import type { Cluster } from "../objects/cluster.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createClusterTable(): Table<Cluster> {
  return new Table<Cluster>({ kind: "cluster", uniqueName: (o) => o.spec.name, indexes: {} });
}

export class ClusterReader extends TableReader<Cluster> {
  /** Names are unique per kind. */
  byName(name: string): Cluster | undefined {
    return this.byUniqueName(name);
  }
}
