import type { ObjectKind, ObjectOf, StoreObject } from "../objects/kinds.ts";
import { createApiTokenTable } from "./api-tokens.ts";
import { createClusterTable } from "./clusters.ts";
import { createConfigTable } from "./configs.ts";
import { createNetworkTable } from "./networks.ts";
import { createNodeTable } from "./nodes.ts";
import { createSecretTable } from "./secrets.ts";
import { createServiceTable } from "./services.ts";
import { createSessionKeyTable } from "./session-keys.ts";
import { createStackRevisionTable } from "./stack-revisions.ts";
import type { Table } from "./table.ts";
import { createTaskTable } from "./tasks.ts";
import { createUserTable } from "./users.ts";

export type TableOf<K extends ObjectKind> = Table<ObjectOf<K>>;

/** One table per kind: the whole in-memory state of the store. */
export class Tables {
  readonly cluster = createClusterTable();
  readonly node = createNodeTable();
  readonly service = createServiceTable();
  readonly task = createTaskTable();
  readonly network = createNetworkTable();
  readonly secret = createSecretTable();
  readonly config = createConfigTable();
  readonly user = createUserTable();
  readonly apiToken = createApiTokenTable();
  readonly sessionKey = createSessionKeyTable();
  readonly stackRevision = createStackRevisionTable();

  of<K extends ObjectKind>(kind: K): TableOf<K> {
    return this[kind] as unknown as TableOf<K>;
  }

  /** Untyped access for code that handles every kind alike (apply, snapshot). */
  any(kind: ObjectKind): Table<StoreObject> {
    return this[kind] as unknown as Table<StoreObject>;
  }

  clear(): void {
    for (const table of this.all()) table.clear();
  }

  all(): Table<StoreObject>[] {
    return [
      this.cluster,
      this.node,
      this.service,
      this.task,
      this.network,
      this.secret,
      this.config,
      this.user,
      this.apiToken,
      this.sessionKey,
      this.stackRevision,
    ].map((t) => t as unknown as Table<StoreObject>);
  }

  checkInvariants(): void {
    for (const table of this.all()) table.checkInvariants();
  }
}
