/**
 * `secret` and `config` take the same verbs (docker's): create NAME FILE|-, ls, inspect, rm. The
 * command files under commands/secret and commands/config each pick theirs from here.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Api } from "./api-client.ts";
import { defineCommand, filterOption, formatOption, quietOption } from "./command.ts";
import { matchesAny, parseFilters } from "./flags/filters.ts";
import { parseLabels } from "./flags/key-value.ts";
import { humanDuration } from "./output/human-duration.ts";
import { printJson, printList } from "./output/print.ts";
import { shortId } from "./output/table.ts";
import { readStdin } from "./prompt.ts";

export type DataKind = "secret" | "config";

interface DataObject {
  id: string;
  createdAtMs: number;
  updatedAtMs: number;
  spec: { name: string; labels: Record<string, string> };
}

function router(api: Api, kind: DataKind) {
  return {
    list: async (): Promise<DataObject[]> =>
      (kind === "secret" ? await api.secrets.list.query() : await api.configs.list.query()).items,
    inspect: (ref: string): Promise<DataObject> =>
      kind === "secret"
        ? api.secrets.inspect.query({ secret: ref })
        : api.configs.inspect.query({ config: ref }),
    create: (input: { name: string; labels: Record<string, string>; data: string }): Promise<DataObject> =>
      kind === "secret" ? api.secrets.create.mutate(input) : api.configs.create.mutate(input),
    remove: (ref: string) =>
      kind === "secret"
        ? api.secrets.remove.mutate({ secret: ref })
        : api.configs.remove.mutate({ config: ref }),
  };
}

export function dataCreateCommand(kind: DataKind) {
  return defineCommand({
    usage: `usage: shoal ${kind} create [--label k=v] NAME FILE|-\n\nReads the ${kind} from FILE, or from stdin with -.`,
    summary: `create a ${kind}`,
    options: { label: { type: "string", short: "l", multiple: true } },
    schema: z.object({
      label: z.array(z.string()).optional(),
      args: z.tuple([z.string(), z.string()], { error: `give NAME and FILE (or - for stdin)` }),
    }),
    run: async (o, ctx) => {
      const [name, file] = o.args;
      const data = file === "-" ? await readStdin() : await readFile(file);
      const created = await router(await ctx.api(), kind).create({
        name,
        labels: parseLabels("label", o.label),
        data: data.toString("base64"),
      });
      console.log(created.id);
    },
  });
}

export function dataLsCommand(kind: DataKind) {
  return defineCommand({
    usage: `usage: shoal ${kind} ls [-q] [--filter name=|id=|label=] [--format json]`,
    summary: `list ${kind}s`,
    options: { ...filterOption, ...quietOption, ...formatOption },
    schema: z.object({
      filter: z.array(z.string()).optional(),
      quiet: z.boolean().optional(),
      format: z.string().optional(),
      args: z.array(z.string()).max(0, `${kind} ls takes no arguments`),
    }),
    run: async (o, ctx) => {
      const f = parseFilters(o.filter, ["name", "id", "label"]);
      const now = Date.now();
      const items = (await router(await ctx.api(), kind).list())
        .filter((s) => matchesAny(f, "name", (v) => s.spec.name.startsWith(v)))
        .filter((s) => matchesAny(f, "id", (v) => s.id.startsWith(v)))
        .filter((s) => matchesAny(f, "label", (v) => labelMatches(s.spec.labels, v)))
        .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
      printList({
        items,
        format: o.format,
        quiet: o.quiet === true,
        id: (s) => s.id,
        header: ["ID", "NAME", "CREATED", "UPDATED"],
        row: (s) => [
          shortId(s.id),
          s.spec.name,
          `${humanDuration(now - s.createdAtMs)} ago`,
          `${humanDuration(now - s.updatedAtMs)} ago`,
        ],
      });
    },
  });
}

export function labelMatches(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf("=");
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

export function dataInspectCommand(kind: DataKind) {
  return defineCommand({
    usage: `usage: shoal ${kind} inspect ${kind.toUpperCase()} [${kind.toUpperCase()}...]${kind === "secret" ? "\n\nNever shows the secret's data." : ""}`,
    summary: `show ${kind}s`,
    options: { ...formatOption, pretty: { type: "boolean" } },
    schema: z.object({
      format: z.string().optional(),
      pretty: z.boolean().optional(),
      args: z.array(z.string()).min(1, `name at least one ${kind}`),
    }),
    run: async (o, ctx) => {
      const r = router(await ctx.api(), kind);
      const objects: DataObject[] = [];
      for (const ref of o.args) objects.push(await r.inspect(ref));
      printJson(objects);
    },
  });
}

export function dataRmCommand(kind: DataKind) {
  return defineCommand({
    usage: `usage: shoal ${kind} rm ${kind.toUpperCase()} [${kind.toUpperCase()}...]`,
    summary: `remove ${kind}s`,
    options: {},
    schema: z.object({ args: z.array(z.string()).min(1, `name at least one ${kind}`) }),
    run: async (o, ctx) => {
      const r = router(await ctx.api(), kind);
      for (const ref of o.args) {
        await r.remove(ref);
        console.log(ref);
      }
    },
  });
}
