/**
 * Streams a logs subscription (`services.logs`, `stacks.logs`) to the terminal: each line's `text`
 * (`name.slot.id@node    | line`, docker's) on stdout, warnings on stderr. Returns when the server
 * ends the stream (without follow: every node has sent its lines) or on Ctrl-C; failures are thrown
 * for handle-error.ts.
 */
import type { LogBatch, LogEvent } from "@shoal/api";
import type { CliContext } from "../cli-context.ts";
import { readSubscription } from "../sse-stream.ts";

export interface PrintLogsOptions {
  readonly path: "services.logs" | "stacks.logs" | "tasks.logs";
  readonly input: unknown;
  /** One JSON event per line instead of the text. */
  readonly json: boolean;
}

export async function printLogs(ctx: CliContext, options: PrintLogsOptions): Promise<void> {
  const stop = new AbortController();
  const handleSignal = () => stop.abort();
  process.once("SIGINT", handleSignal);
  process.once("SIGTERM", handleSignal);
  try {
    const token = (await ctx.credentials())?.token;
    const batches = readSubscription<LogBatch>({
      host: ctx.host,
      path: options.path,
      input: options.input,
      signal: stop.signal,
      ...(token ? { token } : {}),
    });
    for await (const batch of batches) {
      for (const event of batch.events) printEvent(event, options.json);
    }
  } finally {
    process.off("SIGINT", handleSignal);
    process.off("SIGTERM", handleSignal);
  }
}

function printEvent(event: LogEvent, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    return;
  }
  if (event.type === "line") process.stdout.write(`${event.text}\n`);
  else process.stderr.write(`warning: ${event.message}\n`);
}
