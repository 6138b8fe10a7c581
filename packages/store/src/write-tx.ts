import { StoreError } from "./errors.ts";
import type { ObjectValidator } from "./object-validation.ts";
import type { ObjectKind, ObjectOf, StoreObject } from "./objects/kinds.ts";
import type { NewObject, ObjectVersion, Operation } from "./operations.ts";
import type { ReadView } from "./read-view.ts";
import type { ApiTokenReader } from "./tables/api-tokens.ts";
import type { ClusterReader } from "./tables/clusters.ts";
import type { ConfigReader } from "./tables/configs.ts";
import type { NetworkReader } from "./tables/networks.ts";
import type { NodeReader } from "./tables/nodes.ts";
import type { SecretReader } from "./tables/secrets.ts";
import type { ServiceReader } from "./tables/services.ts";
import type { SessionKeyReader } from "./tables/session-keys.ts";
import type { StackRevisionReader } from "./tables/stack-revisions.ts";
import type { TaskReader } from "./tables/tasks.ts";
import type { UserReader } from "./tables/users.ts";

/**
 * Builds a transaction against a read view. Reads show the state the transaction was built on,
 * not its own pending writes. Each object may appear once. Objects are validated against their
 * schema as they are added (StoreError "invalid-object"); versions and names are checked when the
 * transaction is applied, identically on every manager.
 */
export class WriteTx {
  private readonly pending: Operation[] = [];
  private readonly touched = new Map<ObjectKind, Set<string>>();

  constructor(
    private readonly view: ReadView,
    /** Stamped on the transaction as createdAtMs/updatedAtMs. */
    readonly timeMs: number,
    private readonly newId: () => string,
    private readonly validator: ObjectValidator | undefined,
  ) {}

  /** The version (Raft index) of the state this transaction reads. */
  get version(): number {
    return this.view.version;
  }
  get clusters(): ClusterReader {
    return this.view.clusters;
  }
  get nodes(): NodeReader {
    return this.view.nodes;
  }
  get services(): ServiceReader {
    return this.view.services;
  }
  get tasks(): TaskReader {
    return this.view.tasks;
  }
  get networks(): NetworkReader {
    return this.view.networks;
  }
  get secrets(): SecretReader {
    return this.view.secrets;
  }
  get configs(): ConfigReader {
    return this.view.configs;
  }
  get users(): UserReader {
    return this.view.users;
  }
  get apiTokens(): ApiTokenReader {
    return this.view.apiTokens;
  }
  get sessionKeys(): SessionKeyReader {
    return this.view.sessionKeys;
  }
  get stackRevisions(): StackRevisionReader {
    return this.view.stackRevisions;
  }

  get ops(): readonly Operation[] {
    return this.pending;
  }

  /** Adds a new object; returns its id (made here when the object has none). */
  create<K extends ObjectKind>(kind: K, object: NewObject<K>): string {
    const id = object.id ?? this.newId();
    let full: Record<string, unknown>;
    if (this.validator === undefined) {
      full = { ...object, id };
    } else {
      full = this.validator.validateNew(kind, object);
      full.id = id;
    }
    // Placeholders: apply stamps the entry's index and the transaction's time.
    full.version = 0;
    full.createdAtMs = this.timeMs;
    full.updatedAtMs = this.timeMs;
    this.push({ op: "create", kind, object: full as unknown as StoreObject });
    return id;
  }

  /** Replaces an object. `object.version` must be the version read: a newer stored one refuses. */
  update<K extends ObjectKind>(kind: K, object: ObjectOf<K>): void {
    this.push({ op: "update", kind, object: this.prepare(kind, object) });
  }

  /** Deletes an object, refused if it changed after `target.version`. */
  delete(kind: ObjectKind, target: ObjectVersion): void {
    this.push({ op: "delete", kind, id: target.id, version: target.version });
  }

  private prepare(kind: ObjectKind, object: unknown): StoreObject {
    return this.validator === undefined ? (object as StoreObject) : this.validator.validate(kind, object);
  }

  private push(op: Operation): void {
    const id = op.op === "delete" ? op.id : op.object.id;
    let ids = this.touched.get(op.kind);
    if (ids === undefined) {
      ids = new Set();
      this.touched.set(op.kind, ids);
    }
    if (ids.has(id)) {
      throw new StoreError("invalid-transaction", `${op.kind} ${id} appears twice in one transaction`, {
        kind: op.kind,
        id,
      });
    }
    ids.add(id);
    this.pending.push(op);
  }
}
