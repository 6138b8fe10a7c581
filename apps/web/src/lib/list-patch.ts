/**
 * Applies a batch of live deltas to a cached `{ version, items }` list in one step. Each items
 * array gets an id → position index (kept beside it, built once per array), so a batch of
 * updates costs one array copy plus one lookup per delta instead of a scan per delta. Several
 * changes share a version when they come from one store transaction: a delta is skipped only when
 * its version is older than the list's (one at the list's version is applied again, harmlessly).
 */

export interface ListDelta {
  version: number;
  action: "create" | "update" | "delete";
  id: string;
  object: { id: string };
}

export interface VersionedList<T extends { id: string }> {
  version: number;
  items: T[];
}

const indexes = new WeakMap<readonly { id: string }[], Map<string, number>>();

/** The index of `items`, handed over: the caller moves it to the array it makes next. */
function takeIndex(items: readonly { id: string }[]): Map<string, number> {
  const index = indexes.get(items) ?? new Map(items.map((item, i) => [item.id, i]));
  indexes.delete(items);
  return index;
}

/** The list with `deltas` (in arrival order) applied; the same list when none is newer. */
export function applyDeltas<T extends { id: string }>(
  list: VersionedList<T>,
  deltas: readonly ListDelta[],
): VersionedList<T> {
  const fresh = deltas.filter((d) => d.version >= list.version);
  if (fresh.length === 0) return list;
  const index = takeIndex(list.items);
  const items = list.items.slice();
  let deleted = false;
  for (const delta of fresh) {
    const at = index.get(delta.id);
    if (delta.action === "delete") {
      if (at !== undefined && items[at] !== undefined) {
        items[at] = undefined as unknown as T;
        index.delete(delta.id);
        deleted = true;
      }
    } else if (at === undefined) {
      index.set(delta.id, items.length);
      items.push(delta.object as T);
    } else {
      items[at] = delta.object as T;
    }
  }
  const version = Math.max(list.version, ...fresh.map((d) => d.version));
  if (!deleted) {
    indexes.set(items, index);
    return { version, items };
  }
  return { version, items: items.filter((item) => item !== undefined) };
}
