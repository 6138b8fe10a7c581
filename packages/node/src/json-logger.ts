/** A structured logger: one JSON object per line on a stream (stderr by default). */
import type { Logger } from "@shoal/raft";

export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function jsonLogger(
  options: { level?: LogLevel; name?: string; write?: (line: string) => void } = {},
): Logger {
  const min = LEVELS[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    const record = {
      time: new Date().toISOString(),
      level,
      ...(options.name ? { name: options.name } : {}),
      msg,
    };
    write(`${JSON.stringify({ ...record, ...fields }, errorsAsText)}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export const SILENT_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}
