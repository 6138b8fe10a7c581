import type { IndexKey, Table } from "./table.ts";

/** Checks, before every read, that the view it belongs to still shows the store's current state. */
export interface ViewGuard {
  check(): void;
}

/**
 * Read access to one table through a view. Objects returned are the stored ones, deep-frozen:
 * copy before changing (`{ ...task, desiredState }`). The order of results is unspecified.
 * `L` is the listed form (the same as T except for secrets, whose data is left out).
 */
export class TableReader<T extends { readonly id: string }, L = T> {
  constructor(
    protected readonly table: Table<T>,
    protected readonly guard: ViewGuard,
    protected readonly list: (object: T) => L = identity as (object: T) => L,
  ) {}

  get(id: string): L | undefined {
    this.guard.check();
    const object = this.table.get(id);
    return object === undefined ? undefined : this.list(object);
  }

  all(): L[] {
    this.guard.check();
    const out: L[] = [];
    for (const object of this.table.values()) out.push(this.list(object));
    return out;
  }

  count(): number {
    this.guard.check();
    return this.table.size;
  }

  protected find(index: string, key: IndexKey): L[] {
    this.guard.check();
    const found = this.table.find(index, key);
    return this.list === identity ? (found as unknown as L[]) : found.map(this.list);
  }

  protected countIn(index: string, key: IndexKey): number {
    this.guard.check();
    return this.table.count(index, key);
  }

  protected byUniqueName(name: string): L | undefined {
    this.guard.check();
    const id = this.table.nameOwner(name);
    return id === undefined ? undefined : this.get(id);
  }
}

function identity<T>(object: T): T {
  return object;
}
