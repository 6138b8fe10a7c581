/**
 * docker's `service logs` flags, shared by `service logs` and `stack logs`: parseArgs options, the
 * zod schema over them, and the API's log options they become. `--since` is checked by the server
 * (duration, RFC 3339 or Unix seconds), which says what it takes.
 */
import type { LogOptionsInput } from "@shoal/api";
import { z } from "zod";
import { formatOption, type OptionSpec } from "../command.ts";

/** docker's `--tail` limit is the API's: most lines per task. */
const TAIL_MAX = 100_000;

export const LOG_FLAGS_USAGE = `  -f, --follow       keep printing new lines (Ctrl-C ends)
  -n, --tail N|all   the last N lines of each task (default all)
  --since T          only lines since T: a duration (10m, 1h30m), RFC 3339 time, or Unix seconds
  -t, --timestamps   the time of each line first
  --format json      one log event (JSON) per line`;

export const logOptions = {
  follow: { type: "boolean", short: "f" },
  tail: { type: "string", short: "n" },
  since: { type: "string" },
  timestamps: { type: "boolean", short: "t" },
  ...formatOption,
} as const satisfies OptionSpec;

const Tail = z
  .string()
  .regex(/^(all|\d+)$/, 'use a number of lines or "all"')
  .transform((v) => (v === "all" ? ("all" as const) : Number(v)))
  .refine((v) => v === "all" || v <= TAIL_MAX, `at most ${TAIL_MAX} lines`);

export const logFlagsSchema = z.object({
  follow: z.boolean().optional(),
  tail: Tail.optional(),
  since: z.string().min(1, "give a time").optional(),
  timestamps: z.boolean().optional(),
  format: z.string().optional(),
});

export function toLogOptions(flags: z.output<typeof logFlagsSchema>): LogOptionsInput {
  return {
    follow: flags.follow === true,
    tail: flags.tail ?? "all",
    timestamps: flags.timestamps === true,
    ...(flags.since === undefined ? {} : { since: flags.since }),
  };
}
