/**
 * `shoal swarm ca`: prints the root CA certificate. `--rotate` starts a root CA rotation (a new
 * root, or the operator's `--ca-cert`/`--ca-key`) and follows its progress until every node holds
 * a certificate of the new root (unless `--detach`), then prints the new root.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { UsageError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";

const USAGE = `usage: shoal swarm ca [--rotate [--detach] [--ca-cert FILE --ca-key FILE]] [-q]

Prints the swarm's root CA certificate (PEM).

  --rotate         rotate the root CA: every node renews its certificate under a new root, without downtime
  -d, --detach     with --rotate: start the rotation and return without waiting for it
  --ca-cert FILE   with --rotate: the new root CA certificate (PEM) instead of a generated one
  --ca-key FILE    with --rotate: the new root CA's key (PEM)
  -q, --quiet      with --rotate: no progress lines`;

/** Named limit: how often the progress is read while waiting for a rotation. */
const PROGRESS_POLL_MS = 500;

export const command = defineCommand({
  usage: USAGE,
  summary: "show or rotate the root CA",
  options: {
    rotate: { type: "boolean" },
    detach: { type: "boolean", short: "d" },
    "ca-cert": { type: "string" },
    "ca-key": { type: "string" },
    quiet: { type: "boolean", short: "q" },
  },
  schema: z.object({
    rotate: z.boolean().optional(),
    detach: z.boolean().optional(),
    "ca-cert": z.string().optional(),
    "ca-key": z.string().optional(),
    quiet: z.boolean().optional(),
    args: z.array(z.string()).max(0, "swarm ca takes no arguments"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    if (!o.rotate) {
      if (o.detach || o["ca-cert"] || o["ca-key"]) throw new UsageError("these flags need --rotate", USAGE);
      printPem((await api.swarm.inspect.query()).rootCa.caCertPem);
      return;
    }
    if ((o["ca-cert"] === undefined) !== (o["ca-key"] === undefined)) {
      throw new UsageError("give both --ca-cert and --ca-key, or neither", USAGE);
    }
    const rootCa =
      o["ca-cert"] && o["ca-key"]
        ? { certPem: await readFile(o["ca-cert"], "utf8"), keyPem: await readFile(o["ca-key"], "utf8") }
        : undefined;
    let status: { nodesRenewed: number; nodesTotal: number } | undefined =
      await api.swarm.rotateRootCa.mutate(rootCa ? { rootCa } : {});
    if (o.detach) {
      console.log("Root CA rotation started: `shoal swarm inspect` shows its progress.");
      return;
    }
    let last = "";
    while (status) {
      const line = `rotating the root CA: ${status.nodesRenewed} of ${status.nodesTotal} nodes have new certificates`;
      if (line !== last && !o.quiet) console.log(line);
      last = line;
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
      const cluster = await api.swarm.inspect.query();
      status = cluster.rootCa.rotation;
      if (!status) {
        if (!o.quiet) console.log("Root CA rotation finished: every node trusts the new root.");
        printPem(cluster.rootCa.caCertPem);
      }
    }
  },
});

function printPem(pem: string): void {
  process.stdout.write(pem.endsWith("\n") ? pem : `${pem}\n`);
}
