/** `shoal swarm init | join | leave | join-token`. */
import { parseArgs } from "node:util";
import { z } from "zod";
import { admin, control, dataDirFrom } from "../admin-options.ts";

const common = { "data-dir": { type: "string" } } as const;

export async function swarmCommand(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  switch (verb) {
    case "init": {
      const { values } = parseArgs({
        args: rest,
        options: {
          ...common,
          "advertise-addr": { type: "string" },
          "force-new-cluster": { type: "boolean" },
        },
      });
      const dataDir = dataDirFrom(values["data-dir"]);
      const body = {
        ...(values["advertise-addr"] ? { advertiseAddr: values["advertise-addr"] } : {}),
        ...(values["force-new-cluster"] ? { forceNewCluster: true } : {}),
      };
      const r = await admin<{ nodeId: string }>(dataDir, "swarm/init", body);
      const token = await control<{ token: string }>(dataDir, "swarm.joinToken", { role: "worker" });
      const info = await admin<{ advertiseAddr: string }>(dataDir, "info");
      console.log(`Swarm initialized: current node (${r.nodeId}) is now a manager.\n`);
      console.log(
        `To add a worker to this swarm, run:\n\n    shoal swarm join --token ${token.token} ${info.advertiseAddr}\n`,
      );
      console.log("To add a manager, run `shoal swarm join-token manager` and follow the instructions.");
      return;
    }
    case "join": {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { ...common, token: { type: "string" }, "advertise-addr": { type: "string" } },
      });
      const input = z
        .object({
          token: z.string({ error: "--token is required" }),
          remoteAddr: z.string({ error: "name a manager's host:port" }),
        })
        .parse({ token: values.token, remoteAddr: positionals[0] });
      const body = {
        ...input,
        ...(values["advertise-addr"] ? { advertiseAddr: values["advertise-addr"] } : {}),
      };
      const r = await admin<{ role: string }>(dataDirFrom(values["data-dir"]), "swarm/join", body);
      console.log(`This node joined a swarm as a ${r.role}.`);
      return;
    }
    case "leave": {
      const { values } = parseArgs({
        args: rest,
        options: { ...common, force: { type: "boolean", short: "f" } },
      });
      await admin(dataDirFrom(values["data-dir"]), "swarm/leave", { force: values.force ?? false });
      console.log("Node left the swarm.");
      return;
    }
    case "join-token": {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { ...common, rotate: { type: "boolean" }, quiet: { type: "boolean", short: "q" } },
      });
      const role = z
        .enum(["worker", "manager"], { error: "name the role: worker or manager" })
        .parse(positionals[0]);
      const dataDir = dataDirFrom(values["data-dir"]);
      const { token } = await control<{ token: string }>(dataDir, "swarm.joinToken", {
        role,
        rotate: values.rotate ?? false,
      });
      if (values.quiet) return console.log(token);
      if (values.rotate) console.log(`Successfully rotated ${role} join token.\n`);
      const info = await admin<{ advertiseAddr: string }>(dataDir, "info");
      console.log(
        `To add a ${role} to this swarm, run the following command:\n\n    shoal swarm join --token ${token} ${info.advertiseAddr}\n`,
      );
      return;
    }
    default:
      throw new Error("usage: shoal swarm init|join|leave|join-token [options]");
  }
}
