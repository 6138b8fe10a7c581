import type { Change } from "./changes.ts";
import { StoreError } from "./errors.ts";
import type { ObjectKind, StoreObject } from "./objects/kinds.ts";
import type { Secret } from "./objects/secret.ts";
import type { Operation, Transaction } from "./operations.ts";
import { summarizeSecret } from "./tables/secrets.ts";
import type { IndexKey, Table } from "./tables/table.ts";
import type { Tables } from "./tables/tables.ts";

/**
 * Applies one committed transaction at Raft index `index`: either every operation or none.
 * Checks first (ids, versions, unique names, indexability), mutates only when all pass, so the
 * mutating phase cannot fail half way. Pure with respect to its inputs: every manager applying
 * the same transaction to the same state reaches the same state and the same result.
 * Cost: O(operations × indexes).
 */
export function applyTransaction(tables: Tables, tx: Transaction, index: number): Change[] {
  const keys = checkTransaction(tables, tx);
  const changes: Change[] = new Array(tx.ops.length);
  for (let i = 0; i < tx.ops.length; i++) {
    changes[i] = applyOperation(tables, tx.ops[i] as Operation, keys[i], index, tx.timeMs);
  }
  return changes;
}

function applyOperation(
  tables: Tables,
  op: Operation,
  keys: IndexKeys | undefined,
  index: number,
  timeMs: number,
): Change {
  const table = tables.any(op.kind);
  if (op.op === "delete") {
    const old = table.remove(op.id) as StoreObject;
    return listed({ kind: op.kind, action: "delete", object: old });
  }
  // Decoded objects are fresh, their contents already frozen: stamp the store's fields, freeze.
  const object = op.object as Mutable<StoreObject>;
  const old = table.get(object.id);
  object.version = index;
  object.createdAtMs = old === undefined ? timeMs : old.createdAtMs;
  object.updatedAtMs = timeMs;
  table.put(Object.freeze(object), keys);
  return op.op === "create"
    ? listed({ kind: op.kind, action: "create", object })
    : listed({ kind: op.kind, action: "update", object, old: old as StoreObject });
}

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

interface RawChange {
  kind: ObjectKind;
  action: Change["action"];
  object: StoreObject;
  old?: StoreObject;
}

function listed(change: RawChange): Change {
  if (change.kind !== "secret") return change as Change;
  return {
    kind: "secret",
    action: change.action,
    object: summarizeSecret(change.object as Secret),
    ...(change.old === undefined ? {} : { old: summarizeSecret(change.old as Secret) }),
  };
}

type IndexKeys = (IndexKey | undefined)[];

/**
 * Throws the first refusal, in operation order, as a StoreError. Returns each create's and
 * update's index keys (computed here to prove the object indexable, reused by the put).
 */
function checkTransaction(tables: Tables, tx: Transaction): (IndexKeys | undefined)[] {
  const keys: (IndexKeys | undefined)[] = new Array(tx.ops.length);
  const seen = new Map<ObjectKind, Set<string>>();
  // Names given up by this transaction (deleted objects, renamed objects): free to take.
  const released = new Set<string>();
  for (let i = 0; i < tx.ops.length; i++) {
    const op = tx.ops[i] as Operation;
    const table = tables.any(op.kind);
    const id = op.op === "delete" ? op.id : op.object.id;
    let ids = seen.get(op.kind);
    if (ids === undefined) {
      ids = new Set();
      seen.set(op.kind, ids);
    }
    if (ids.has(id))
      refuse("invalid-transaction", `${op.kind} ${id} appears twice in one transaction`, op.kind, id);
    ids.add(id);
    const stored = table.get(id);
    if (op.op === "create") {
      if (stored !== undefined) refuse("exists", `${op.kind} ${id} already exists`, op.kind, id);
      keys[i] = indexKeys(table, op.object);
      continue;
    }
    if (stored === undefined) refuse("not-found", `${op.kind} ${id} does not exist`, op.kind, id);
    const readVersion = op.op === "delete" ? op.version : op.object.version;
    if (stored.version !== readVersion) {
      refuse(
        "version-conflict",
        `${op.kind} ${id} changed since you read it (read version ${readVersion}, now ${stored.version}): read it again and retry`,
        op.kind,
        id,
      );
    }
    if (op.op === "update") keys[i] = indexKeys(table, op.object);
    const oldName = table.nameOf(stored);
    const newName = op.op === "update" ? table.nameOf(op.object) : undefined;
    if (oldName !== undefined && oldName !== newName) released.add(`${op.kind}/${oldName}`);
  }
  checkNames(tables, tx, released);
  return keys;
}

function checkNames(tables: Tables, tx: Transaction, released: ReadonlySet<string>): void {
  const claimed = new Map<string, string>();
  for (const op of tx.ops) {
    if (op.op === "delete") continue;
    const table = tables.any(op.kind);
    if (!table.hasUniqueNames()) continue;
    const name = table.nameOf(op.object);
    if (name === undefined) continue;
    const key = `${op.kind}/${name}`;
    const id = op.object.id;
    const otherClaim = claimed.get(key);
    const owner = table.nameOwner(name);
    if (
      (otherClaim !== undefined && otherClaim !== id) ||
      (owner !== undefined && owner !== id && !released.has(key))
    ) {
      refuse(
        "name-conflict",
        `a ${op.kind} named "${name}" already exists: choose another name`,
        op.kind,
        id,
      );
    }
    claimed.set(key, id);
  }
}

/** An object whose index keys cannot be computed would break the table half way: refuse it now. */
function indexKeys(table: Table<StoreObject>, object: StoreObject): IndexKeys {
  try {
    return table.keysOf(object);
  } catch (e) {
    refuse(
      "invalid-object",
      `${table.kind} ${object.id} is malformed: ${(e as Error).message}`,
      table.kind,
      object.id,
    );
  }
}

function refuse(code: StoreError["code"], message: string, kind: ObjectKind, id: string): never {
  throw new StoreError(code, message, { kind, id });
}
