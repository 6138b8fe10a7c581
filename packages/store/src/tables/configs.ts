import type { Config } from "../objects/config.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createConfigTable(): Table<Config> {
  return new Table<Config>({ kind: "config", uniqueName: (o) => o.spec.name, indexes: {} });
}

export class ConfigReader extends TableReader<Config> {
  /** Names are unique per kind. */
  byName(name: string): Config | undefined {
    return this.byUniqueName(name);
  }
}
