/** `shoal swarm update`: cluster settings (docker's flags; Shoal's --rebalance). */
import { z } from "zod";
import { UsageError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";
import { parseLabels } from "../../flags/key-value.ts";
import { countFlag, durationFlagMs } from "../../flags/units.ts";
import { unlockInstructions } from "./unlock-instructions.ts";

export const command = defineCommand({
  usage: `usage: shoal swarm update [OPTIONS]

  --task-history-limit N     old tasks kept per slot (default 5)
  --dispatcher-heartbeat D   agent heartbeat period (e.g. 1s)
  --cert-expiry D            node certificate lifetime (e.g. 2160h)
  --snapshot-interval N      Raft entries between snapshots
  --autolock true|false      encrypt manager keys with an unlock key
  --rebalance auto|off       even out services when a node comes back (Shoal)
  --label-add k=v            cluster labels (replaces the labels given)`,
  summary: "change swarm settings",
  options: {
    "task-history-limit": { type: "string" },
    "dispatcher-heartbeat": { type: "string" },
    "cert-expiry": { type: "string" },
    "snapshot-interval": { type: "string" },
    autolock: { type: "string" },
    rebalance: { type: "string" },
    "label-add": { type: "string", multiple: true },
  },
  schema: z.object({
    "task-history-limit": z.string().optional(),
    "dispatcher-heartbeat": z.string().optional(),
    "cert-expiry": z.string().optional(),
    "snapshot-interval": z.string().optional(),
    autolock: z.enum(["true", "false"]).optional(),
    rebalance: z.enum(["auto", "off"]).optional(),
    "label-add": z.array(z.string()).optional(),
    args: z.array(z.string()).max(0, "swarm update takes no arguments"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const input = {
      ...(o["task-history-limit"] !== undefined
        ? { taskHistoryRetentionLimit: countFlag("task-history-limit", o["task-history-limit"]) }
        : {}),
      ...(o["dispatcher-heartbeat"] !== undefined
        ? { heartbeatPeriodMs: durationFlagMs("dispatcher-heartbeat", o["dispatcher-heartbeat"]) }
        : {}),
      ...(o["cert-expiry"] !== undefined
        ? { nodeCertExpiryMs: durationFlagMs("cert-expiry", o["cert-expiry"]) }
        : {}),
      ...(o["snapshot-interval"] !== undefined
        ? { snapshotIntervalEntries: countFlag("snapshot-interval", o["snapshot-interval"]) }
        : {}),
      ...(o.autolock !== undefined ? { autoLockManagers: o.autolock === "true" } : {}),
      ...(o.rebalance !== undefined ? { rebalance: o.rebalance } : {}),
    };
    const labels = o["label-add"] ? parseLabels("label-add", o["label-add"]) : undefined;
    if (Object.keys(input).length === 0 && labels === undefined)
      throw new UsageError("name at least one setting to change");
    let cluster: Awaited<ReturnType<typeof api.swarm.inspect.query>> | undefined;
    if (labels !== undefined) cluster = await api.swarm.inspect.query();
    await api.swarm.update.mutate({
      ...input,
      ...(labels ? { labels: { ...cluster?.spec.labels, ...labels } } : {}),
    });
    console.log("Swarm updated.");
    if (o.autolock === "true") {
      const { unlockKey } = await api.swarm.unlockKey.query();
      console.log(unlockInstructions(unlockKey));
    }
  },
});
