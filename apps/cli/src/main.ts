/**
 * `shoal [-H HOST] <command> ...`: global options, then a top-level command or `<noun> <verb>`;
 * one file per command under ./commands, every failure printed by handle-error.ts.
 */
import { createCliContext } from "./cli-context.ts";
import { UsageError } from "./cli-error.ts";
import { GROUPS, TOP_LEVEL, VERB_ALIASES } from "./commands/index.ts";
import { splitGlobalOptions } from "./global-options.ts";
import { handleError } from "./handle-error.ts";
import { DEFAULT_HOST, resolveHost } from "./host.ts";

function usage(): string {
  const rows = [
    ...Object.entries(TOP_LEVEL).map(([name, e]) => [name, e.summary]),
    ...Object.entries(GROUPS).map(([name, g]) => [name, `${g.summary}: ${Object.keys(g.verbs).join(" | ")}`]),
  ];
  return `usage: shoal [-H HOST] COMMAND

Options:
  -H, --host HOST   the manager's API (default SHOAL_HOST, else ${DEFAULT_HOST})

Commands:
${rows.map(([n, s]) => `  ${(n ?? "").padEnd(10)}${s}`).join("\n")}

Run 'shoal COMMAND --help' for more on a command.`;
}

function groupUsage(noun: string): string {
  const group = GROUPS[noun];
  if (!group) return usage();
  return `usage: shoal ${noun} COMMAND\n\n${group.summary}\n\nCommands:\n${Object.entries(group.verbs)
    .map(([v, e]) => `  ${v.padEnd(12)}${e.summary}`)
    .join("\n")}`;
}

async function main(argv: string[]): Promise<void> {
  const { host: hostFlag, rest } = splitGlobalOptions(argv);
  const host = resolveHost(hostFlag);
  const [noun, ...afterNoun] = rest;
  if (noun === undefined || noun === "--help" || noun === "-h" || noun === "help") {
    console.log(usage());
    return;
  }
  const ctx = createCliContext(host);
  const top = TOP_LEVEL[noun];
  if (top) return (await top.load()).run(afterNoun, ctx).catch((e) => handleError(e, host));
  const group = GROUPS[noun];
  if (!group) throw new UsageError(`unknown command "${noun}"`, usage());
  const [verbText, ...args] = afterNoun;
  if (verbText === undefined || verbText === "--help") {
    console.log(groupUsage(noun));
    return;
  }
  const verb = group.verbs[VERB_ALIASES[verbText] ?? verbText];
  if (!verb) throw new UsageError(`unknown command "shoal ${noun} ${verbText}"`, groupUsage(noun));
  await (await verb.load()).run(args, ctx).catch((e) => handleError(e, host));
}

// Idle keep-alive connections must not hold the process open once the command is done.
main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => handleError(error),
);
