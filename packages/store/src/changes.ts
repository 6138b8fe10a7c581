import type { ObjectKind, ObjectOf } from "./objects/kinds.ts";
import type { SecretSummary } from "./objects/secret.ts";

/** How an object appears outside the store's getters: secrets without their data. */
export type ListedObjectOf<K extends ObjectKind> = K extends "secret" ? SecretSummary : ObjectOf<K>;

export type ChangeAction = "create" | "update" | "delete";

/**
 * One object's change. `object` is the new state (the last state for a delete); `old` is the
 * state before an update. Narrow on `kind` to get the object's type.
 */
export type Change = {
  [K in ObjectKind]: {
    readonly kind: K;
    readonly action: ChangeAction;
    readonly object: ListedObjectOf<K>;
    readonly old?: ListedObjectOf<K>;
  };
}[ObjectKind];

/** The changes of one applied transaction; `version` is its Raft index. */
export interface ChangeBatch {
  readonly version: number;
  /** The proposer's clock when the transaction was built. */
  readonly timeMs: number;
  /** Who asked for the change, when the writer said. */
  readonly actor?: string;
  readonly changes: readonly Change[];
}
