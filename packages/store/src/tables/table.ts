import { assert } from "../errors.ts";
import type { ObjectKind } from "../objects/kinds.ts";

export type IndexKey = string | number;

/** How one kind is indexed. An index key of `undefined` leaves the object out of that index. */
export interface TableDefinition<T> {
  readonly kind: ObjectKind;
  /** Names unique within the kind; `undefined` = this object has no name to reserve. */
  readonly uniqueName?: (object: T) => string | undefined;
  readonly indexes: Readonly<Record<string, (object: T) => IndexKey | undefined>>;
}

/**
 * A bucket holds the objects with one key: the object itself while it is alone (most slots and
 * many nodes hold few tasks, and a Map per key would cost more than the rest of the table), a Map
 * by id from the second object on.
 */
type Bucket<T> = T | Map<string, T>;

interface SecondaryIndex<T> {
  readonly key: (object: T) => IndexKey | undefined;
  readonly buckets: Map<IndexKey, Bucket<T>>;
}

/**
 * The objects of one kind by id, with secondary indexes kept in step on every put and remove, so
 * finds cost O(matches) and changes cost O(indexes). No I/O, no validation: the apply step decides
 * what may change, the table only records it.
 */
export class Table<T extends { readonly id: string }> {
  readonly kind: ObjectKind;
  private readonly rows = new Map<string, T>();
  // Invariant: names.get(n) === id exactly when rows.get(id) has unique name n.
  private readonly names = new Map<string, string>();
  private readonly uniqueName: ((object: T) => string | undefined) | undefined;
  // Invariant: every row is in exactly the bucket of its key in each index (none when undefined).
  private readonly indexes = new Map<string, SecondaryIndex<T>>();

  constructor(definition: TableDefinition<T>) {
    this.kind = definition.kind;
    this.uniqueName = definition.uniqueName;
    for (const [name, key] of Object.entries(definition.indexes)) {
      this.indexes.set(name, { key, buckets: new Map() });
    }
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  /** The id of the object holding `name`, if any (kinds with unique names only). */
  nameOwner(name: string): string | undefined {
    return this.names.get(name);
  }

  nameOf(object: T): string | undefined {
    return this.uniqueName?.(object);
  }

  /** Computes every index key and the name of an object (throws when the object is malformed). */
  keysOf(object: T): (IndexKey | undefined)[] {
    const keys: (IndexKey | undefined)[] = [this.uniqueName?.(object)];
    for (const index of this.indexes.values()) keys.push(index.key(object));
    return keys;
  }

  hasUniqueNames(): boolean {
    return this.uniqueName !== undefined;
  }

  find(index: string, key: IndexKey): T[] {
    const bucket = this.index(index).buckets.get(key);
    if (bucket === undefined) return [];
    return bucket instanceof Map ? [...bucket.values()] : [bucket];
  }

  count(index: string, key: IndexKey): number {
    const bucket = this.index(index).buckets.get(key);
    if (bucket === undefined) return 0;
    return bucket instanceof Map ? bucket.size : 1;
  }

  /**
   * Inserts or replaces the object with this id. `keys` may carry what keysOf(object) returned,
   * to save computing them twice.
   */
  put(object: T, keys: readonly (IndexKey | undefined)[] = this.keysOf(object)): void {
    const old = this.rows.get(object.id);
    this.rows.set(object.id, object);
    if (this.uniqueName !== undefined) {
      const oldName = old === undefined ? undefined : this.uniqueName(old);
      const newName = keys[0] as string | undefined;
      if (oldName !== newName && oldName !== undefined && this.names.get(oldName) === object.id) {
        this.names.delete(oldName);
      }
      if (newName !== undefined) this.names.set(newName, object.id);
    }
    let i = 1;
    for (const index of this.indexes.values()) {
      const oldKey = old === undefined ? undefined : index.key(old);
      const newKey = keys[i++];
      if (oldKey !== newKey && oldKey !== undefined) removeFromBucket(index, oldKey, object.id);
      if (newKey !== undefined) addToBucket(index, newKey, object);
    }
  }

  remove(id: string): T | undefined {
    const old = this.rows.get(id);
    if (old === undefined) return undefined;
    this.rows.delete(id);
    const name = this.uniqueName?.(old);
    if (name !== undefined && this.names.get(name) === id) this.names.delete(name);
    for (const index of this.indexes.values()) {
      const key = index.key(old);
      if (key !== undefined) removeFromBucket(index, key, id);
    }
    return old;
  }

  clear(): void {
    this.rows.clear();
    this.names.clear();
    for (const index of this.indexes.values()) index.buckets.clear();
  }

  /** Checks every invariant by rebuilding the indexes from the rows (tests and simulation). */
  checkInvariants(): void {
    let named = 0;
    for (const [id, row] of this.rows) {
      assert(row.id === id, `${this.kind} row ${id} is stored under its own id`);
      const name = this.uniqueName?.(row);
      if (name !== undefined) {
        named++;
        assert(this.names.get(name) === id, `${this.kind} name ${name} points at ${id}`);
      }
      for (const [indexName, index] of this.indexes) {
        const key = index.key(row);
        if (key !== undefined) {
          const bucket = index.buckets.get(key);
          const held = bucket instanceof Map ? bucket.get(id) : bucket;
          assert(held === row, `${this.kind}.${indexName}[${key}] holds ${id}`);
        }
      }
    }
    assert(named === this.names.size, `${this.kind} name index has no stale names`);
    for (const [indexName, index] of this.indexes) {
      let total = 0;
      for (const bucket of index.buckets.values()) {
        const size = bucket instanceof Map ? bucket.size : 1;
        assert(
          size > (bucket instanceof Map ? 1 : 0),
          `${this.kind}.${indexName} keeps single objects unwrapped`,
        );
        total += size;
      }
      let expected = 0;
      for (const row of this.rows.values()) if (index.key(row) !== undefined) expected++;
      assert(total === expected, `${this.kind}.${indexName} has no stale entries`);
    }
  }

  private index(name: string): SecondaryIndex<T> {
    const index = this.indexes.get(name);
    assert(index !== undefined, `${this.kind} has an index named ${name}`);
    return index;
  }
}

function addToBucket<T extends { readonly id: string }>(index: SecondaryIndex<T>, key: IndexKey, object: T) {
  const bucket = index.buckets.get(key);
  if (bucket === undefined || (!(bucket instanceof Map) && bucket.id === object.id)) {
    index.buckets.set(key, object);
  } else if (bucket instanceof Map) {
    bucket.set(object.id, object);
  } else {
    index.buckets.set(
      key,
      new Map([
        [bucket.id, bucket],
        [object.id, object],
      ]),
    );
  }
}

function removeFromBucket<T extends { readonly id: string }>(
  index: SecondaryIndex<T>,
  key: IndexKey,
  id: string,
) {
  const bucket = index.buckets.get(key);
  if (bucket === undefined) return;
  if (!(bucket instanceof Map)) {
    if (bucket.id === id) index.buckets.delete(key);
    return;
  }
  bucket.delete(id);
  if (bucket.size === 1) index.buckets.set(key, bucket.values().next().value as T);
}
