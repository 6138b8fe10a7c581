import type { ObjectKind, ObjectOf, StoreObject } from "./objects/kinds.ts";

/**
 * What a transaction does to one object. Creates carry the whole object (the store sets version,
 * createdAtMs and updatedAtMs); updates carry the whole new object whose `version` is the version
 * the writer read; deletes carry the id and the version read. At most one operation per object.
 */
export type Operation =
  | { readonly op: "create"; readonly kind: ObjectKind; readonly object: StoreObject }
  | { readonly op: "update"; readonly kind: ObjectKind; readonly object: StoreObject }
  | { readonly op: "delete"; readonly kind: ObjectKind; readonly id: string; readonly version: number };

/** One proposal's worth of operations, committed all together or not at all. */
export interface Transaction {
  /** The proposer's clock when the transaction was built: stamped as createdAtMs/updatedAtMs. */
  readonly timeMs: number;
  /** Who asked for the change (a user, a token, a manager component), for the audit log. */
  readonly actor?: string;
  readonly ops: readonly Operation[];
}

/** The fields the store owns; a create may leave them out. */
export type StoreManagedField = "version" | "createdAtMs" | "updatedAtMs";

/** What a create takes: the object without the store's fields; the id is made when absent. */
export type NewObject<K extends ObjectKind> = Omit<ObjectOf<K>, StoreManagedField | "id"> & { id?: string };

/** The identity an update or delete needs: which object, and the version the writer read. */
export interface ObjectVersion {
  readonly id: string;
  readonly version: number;
}
