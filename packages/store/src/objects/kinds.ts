import type { z } from "zod";
import { ApiToken } from "./api-token.ts";
import { Cluster } from "./cluster.ts";
import { Config } from "./config.ts";
import { Network } from "./network.ts";
import { Node } from "./node.ts";
import { Secret } from "./secret.ts";
import { Service } from "./service.ts";
import { SessionKey } from "./session-key.ts";
import { StackRevision } from "./stack-revision.ts";
import { Task } from "./task.ts";
import { User } from "./user.ts";

/**
 * Every kind of object the store holds, with its schema. Adding a kind = a schema file here, an entry in this table and a table file in ../tables.
 */
export const OBJECT_SCHEMAS = Object.freeze({
  cluster: Cluster,
  node: Node,
  service: Service,
  task: Task,
  network: Network,
  secret: Secret,
  config: Config,
  user: User,
  apiToken: ApiToken,
  sessionKey: SessionKey,
  stackRevision: StackRevision,
});

export type ObjectKind = keyof typeof OBJECT_SCHEMAS;
export const OBJECT_KINDS: readonly ObjectKind[] = Object.freeze(Object.keys(OBJECT_SCHEMAS) as ObjectKind[]);

/** The stored object type of a kind. */
export type ObjectOf<K extends ObjectKind> = z.infer<(typeof OBJECT_SCHEMAS)[K]>;
export type StoreObject = ObjectOf<ObjectKind>;

export function isObjectKind(value: unknown): value is ObjectKind {
  return typeof value === "string" && Object.hasOwn(OBJECT_SCHEMAS, value);
}
