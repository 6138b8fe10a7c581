/** What `node ps`, `service ps` and `stack ps` print once they have their tasks. */
import type { ServiceView, TaskView } from "../api-types.ts";
import { type OutputFormat, printJson } from "./print.ts";
import { formatTable } from "./table.ts";
import { TASK_HEADER, taskRows } from "./task-rows.ts";

export interface PrintTasksOptions {
  readonly format: OutputFormat;
  readonly quiet?: boolean;
  readonly noTrunc: boolean;
  readonly services: ReadonlyMap<string, ServiceView>;
  /** Node hostnames, fetched only when the table is printed. */
  readonly hostnames: () => Promise<ReadonlyMap<string, string>>;
}

/** The tasks as JSON, their ids (`-q`), or the task table with history under each slot. */
export async function printTasks(tasks: readonly TaskView[], o: PrintTasksOptions): Promise<void> {
  if (o.format === "json") return printJson(tasks);
  if (o.quiet) {
    for (const t of tasks) console.log(t.id);
    return;
  }
  const rows = taskRows(tasks, {
    services: o.services,
    hostnames: await o.hostnames(),
    nowMs: Date.now(),
    noTrunc: o.noTrunc,
  });
  console.log(formatTable(TASK_HEADER, rows));
}
