/** How read commands print: a docker-shaped table, `--format json`, or `-q` (ids only). */
import { UsageError } from "../cli-error.ts";
import { formatTable } from "./table.ts";

export type OutputFormat = "table" | "json";

export function outputFormat(format: string | undefined): OutputFormat {
  if (format === undefined || format === "table") return "table";
  if (format === "json") return "json";
  throw new UsageError(`--format ${format}: use --format json (or table)`);
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

export interface ListOutput<T> {
  readonly items: readonly T[];
  readonly format: string | undefined;
  readonly quiet?: boolean;
  readonly id: (item: T) => string;
  readonly header: readonly string[];
  readonly row: (item: T) => string[];
  /** What `--format json` prints per item (default: the item). */
  readonly json?: (item: T) => unknown;
}

export function printList<T>(out: ListOutput<T>): void {
  const format = outputFormat(out.format);
  if (format === "json") {
    printJson(out.items.map((i) => (out.json ? out.json(i) : i)));
    return;
  }
  if (out.quiet) {
    for (const item of out.items) console.log(out.id(item));
    return;
  }
  console.log(formatTable(out.header, out.items.map(out.row)));
}
