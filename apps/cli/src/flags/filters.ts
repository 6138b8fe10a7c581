/** docker's `--filter key=value` (repeatable): values by key, keys checked against what a command knows. */
import { UsageError } from "../cli-error.ts";

export type Filters = ReadonlyMap<string, readonly string[]>;

export function parseFilters(values: readonly string[] | undefined, known: readonly string[]): Filters {
  const filters = new Map<string, string[]>();
  for (const text of values ?? []) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new UsageError(`--filter ${text}: a filter is key=value`);
    const key = text.slice(0, eq).trim();
    if (!known.includes(key)) {
      throw new UsageError(`--filter ${text}: unknown filter "${key}" (known: ${known.join(", ")})`);
    }
    filters.set(key, [...(filters.get(key) ?? []), text.slice(eq + 1).trim()]);
  }
  return filters;
}

/** True when the filter is absent or one of its values matches. */
export function matchesAny(filters: Filters, key: string, test: (value: string) => boolean): boolean {
  const values = filters.get(key);
  return values === undefined || values.some(test);
}
