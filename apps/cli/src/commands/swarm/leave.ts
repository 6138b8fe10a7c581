/**
 * `shoal swarm leave [--force] [--data-dir D]`: the local node leaves its swarm. The HTTP API has
 * no leave, so this goes to the local daemon's admin socket, like docker acting on its own engine.
 */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { dataDirFrom, localAdmin } from "../../local-admin.ts";

export const command = defineCommand({
  usage: `usage: shoal swarm leave [--force] [--data-dir DIR]

  -f, --force      leave even as a manager (demote it first to keep the swarm's quorum safe)
  --data-dir DIR   the local node's data directory (default SHOAL_DATA_DIR, else ./.data)`,
  summary: "leave the swarm",
  options: { force: { type: "boolean", short: "f" }, "data-dir": { type: "string" } },
  schema: z.object({
    force: z.boolean().default(false),
    "data-dir": z.string().optional(),
    args: z.array(z.string()).max(0, "swarm leave takes no arguments"),
  }),
  run: async (o) => {
    await localAdmin(dataDirFrom(o["data-dir"]), "swarm/leave", { force: o.force });
    console.log("Node left the swarm.");
  },
});
