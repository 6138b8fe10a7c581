import type { Service } from "../objects/service.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createServiceTable(): Table<Service> {
  return new Table<Service>({ kind: "service", uniqueName: (o) => o.spec.name, indexes: {} });
}

export class ServiceReader extends TableReader<Service> {
  /** Names are unique per kind. */
  byName(name: string): Service | undefined {
    return this.byUniqueName(name);
  }
}
