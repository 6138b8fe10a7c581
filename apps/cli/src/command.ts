/**
 * One command = usage text + node:util parseArgs options + a zod schema over the parsed values
 * (positionals under `args`) + run. Bad flags become UsageErrors printed with the usage.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { ZodError, z } from "zod";
import type { CliContext } from "./cli-context.ts";
import { UsageError } from "./cli-error.ts";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface Command {
  readonly usage: string;
  readonly summary: string;
  run(argv: string[], ctx: CliContext): Promise<void>;
}

export interface CommandDefinition<S extends z.ZodType> {
  /** `shoal service ls [OPTIONS]` plus option lines. */
  readonly usage: string;
  readonly summary: string;
  readonly options: OptionSpec;
  /** Parses `{ ...flags, args: positionals }` (a flag named --args arrives as `args-flag`). */
  readonly schema: S;
  /**
   * Flags end at the first positional, as in `docker service create [OPTIONS] IMAGE [COMMAND]
   * [ARG...]`: what follows the image is the task's command, `-c` and all.
   */
  readonly optionsEndAtFirstPositional?: boolean;
  run(options: z.output<S>, ctx: CliContext): Promise<void>;
}

export function defineCommand<S extends z.ZodType>(def: CommandDefinition<S>): Command {
  return {
    usage: def.usage,
    summary: def.summary,
    run: async (argv, ctx) => {
      if (argv.includes("--help")) {
        console.log(def.usage);
        return;
      }
      await def.run(parseOptions(def, argv), ctx);
    },
  };
}

/** Flags and positionals through parseArgs, then the schema (exported for tests). */
export function parseOptions<S extends z.ZodType>(
  def: Pick<CommandDefinition<S>, "usage" | "options" | "schema" | "optionsEndAtFirstPositional">,
  argv: string[],
): z.output<S> {
  const args = def.optionsEndAtFirstPositional ? endOptionsAtFirstPositional(argv, def.options) : argv;
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: def.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ""), def.usage);
  }
  // Positionals are `args`; a flag named --args (service update) arrives as `args-flag`.
  const { args: argsFlag, ...values } = parsed.values;
  const input = {
    ...values,
    ...(argsFlag === undefined ? {} : { "args-flag": argsFlag }),
    args: parsed.positionals,
  };
  const result = def.schema.safeParse(input);
  if (!result.success) throw new UsageError(describeZodError(result.error), def.usage);
  return result.data;
}

/** Inserts `--` before the first positional, skipping the values of string options. */
export function endOptionsAtFirstPositional(argv: string[], options: OptionSpec): string[] {
  const takesValue = (name: string | undefined) => name !== undefined && options[name]?.type === "string";
  const longOf = (short: string) => Object.keys(options).find((name) => options[name]?.short === short);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") return argv;
    if (token.startsWith("--")) {
      if (!token.includes("=") && takesValue(token.slice(2))) i++;
    } else if (token.startsWith("-") && token.length > 1) {
      if (token.length === 2 && takesValue(longOf(token.slice(1)))) i++;
    } else {
      return [...argv.slice(0, i), "--", ...argv.slice(i)];
    }
  }
  return argv;
}

function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path[0];
      if (key === undefined || key === "args") return issue.message;
      return `--${String(key)}: ${issue.message}`;
    })
    .join("; ");
}

/** The usual `--format` option of read commands: `table` (default) or `json`. */
export const formatOption = { format: { type: "string" } } as const;
export const quietOption = { quiet: { type: "boolean", short: "q" } } as const;
export const filterOption = { filter: { type: "string", short: "f", multiple: true } } as const;
