import type { User } from "../objects/user.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createUserTable(): Table<User> {
  return new Table<User>({ kind: "user", uniqueName: (o) => o.spec.name, indexes: {} });
}

export class UserReader extends TableReader<User> {
  /** Names are unique per kind. */
  byName(name: string): User | undefined {
    return this.byUniqueName(name);
  }
}
