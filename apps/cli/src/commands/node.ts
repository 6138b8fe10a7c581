/** `shoal node ls | promote | demote | rm`. */
import { parseArgs } from "node:util";
import { control, dataDirFrom } from "../admin-options.ts";

interface NodeRow {
  id: string;
  description?: { hostname: string };
  spec: { role: string; availability: string };
  status: { state: string };
  managerStatus?: { leader: boolean; reachability: string };
}

export async function nodeCommand(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      "data-dir": { type: "string" },
      force: { type: "boolean", short: "f" },
      format: { type: "string" },
      quiet: { type: "boolean", short: "q" },
    },
  });
  const dataDir = dataDirFrom(values["data-dir"]);
  switch (verb) {
    case "ls": {
      const nodes = await control<NodeRow[]>(dataDir, "node.list", {});
      if (values.format === "json") return console.log(JSON.stringify(nodes, null, 2));
      if (values.quiet) return console.log(nodes.map((n) => n.id).join("\n"));
      const rows = nodes.map((n) => [
        n.id,
        n.description?.hostname ?? "",
        n.status.state,
        n.spec.availability,
        n.managerStatus ? (n.managerStatus.leader ? "Leader" : n.managerStatus.reachability) : "",
      ]);
      printTable([["ID", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS"], ...rows]);
      return;
    }
    case "promote":
    case "demote": {
      if (positionals.length === 0) throw new Error(`usage: shoal node ${verb} NODE [NODE...]`);
      for (const node of positionals) {
        const r = await control<{ message: string }>(dataDir, `node.${verb}`, { node });
        console.log(r.message);
      }
      return;
    }
    case "rm": {
      if (positionals.length === 0) throw new Error("usage: shoal node rm [--force] NODE [NODE...]");
      for (const node of positionals) {
        await control(dataDir, "node.remove", { node, force: values.force ?? false });
        console.log(node);
      }
      return;
    }
    default:
      throw new Error("usage: shoal node ls|promote|demote|rm [options]");
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]! + 3))
        .join("")
        .trimEnd(),
    );
}
