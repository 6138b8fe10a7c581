/**
 * `shoal swarm init`: creates a swarm on the node at -H and, in the same step, its first admin
 * (flags, or asked on a terminal); logs that admin in and stores an API token for the host.
 * `--force-new-cluster` recovers the manager at -H after quorum loss (an admin's stored token).
 */
import { z } from "zod";
import { CookieJar, createApi } from "../../api-client.ts";
import { CliError, UsageError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";
import { storeTokenFromSession } from "../../login-session.ts";
import { ask, isInteractive, readStdin } from "../../prompt.ts";
import { joinInstructions } from "./join-instructions.ts";
import { unlockInstructions } from "./unlock-instructions.ts";

const USAGE = `usage: shoal [-H HOST] swarm init [OPTIONS]

  --advertise-addr A         address other nodes reach this one on (host:port)
  --admin-user NAME          the first admin (asked on a terminal when missing)
  --admin-password PASS      their password (asked when missing; or --admin-password-stdin)
  --admin-password-stdin     read the password from stdin
  --autolock                 managers need an unlock key after a restart (printed once here;
                             shoal swarm unlock-key shows it later)
  --force-new-cluster        recover the manager at -H after the swarm lost quorum: it becomes
                             the only manager, with the swarm's state and users`;

export const command = defineCommand({
  usage: USAGE,
  summary: "create a swarm",
  options: {
    "advertise-addr": { type: "string" },
    "admin-user": { type: "string" },
    "admin-password": { type: "string" },
    "admin-password-stdin": { type: "boolean" },
    "force-new-cluster": { type: "boolean" },
    autolock: { type: "boolean" },
  },
  schema: z.object({
    "advertise-addr": z.string().optional(),
    "admin-user": z.string().optional(),
    "admin-password": z.string().optional(),
    "admin-password-stdin": z.boolean().optional(),
    "force-new-cluster": z.boolean().optional(),
    autolock: z.boolean().optional(),
    args: z.array(z.string()).max(0, "swarm init takes no arguments"),
  }),
  run: async (o, ctx) => {
    if (o["force-new-cluster"]) {
      const r = await (await ctx.api()).swarm.init.mutate({ forceNewCluster: true });
      console.log(
        `Swarm recovered: current node (${r.nodeId}) is the only manager; the others are now down workers.`,
      );
      return;
    }
    const status = await ctx.publicApi().swarm.status.query();
    if (status.swarm === "active") {
      throw new CliError(
        "This node is already part of a swarm. Use `shoal swarm leave` to leave it and create a new one.",
      );
    }
    const admin = await adminCredentials(o);
    const jar = new CookieJar();
    const api = createApi({ host: ctx.host, onSetCookie: jar.accept });
    const result = await api.swarm.init.mutate({
      admin,
      ...(o["advertise-addr"] ? { advertiseAddr: o["advertise-addr"] } : {}),
      ...(o.autolock ? { autolock: true } : {}),
    });
    if (jar.header === undefined)
      throw new CliError("the swarm was created but the admin's session was not returned");
    const stored = await storeTokenFromSession(ctx.host, jar.header);
    const authed = createApi({ host: ctx.host, token: stored.token });
    const { token } = await authed.swarm.joinToken.query({ role: "worker" });
    const { advertiseAddr } = await authed.swarm.status.query();
    console.log(`Swarm initialized: current node (${result.nodeId}) is now a manager.`);
    console.log(`Admin "${admin.name}" created and logged in (token stored for ${ctx.host}).\n`);
    console.log(joinInstructions("worker", token, advertiseAddr));
    console.log(
      "To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.\n",
    );
    if (result.unlockKey) console.log(unlockInstructions(result.unlockKey));
  },
});

async function adminCredentials(o: {
  "admin-user"?: string | undefined;
  "admin-password"?: string | undefined;
  "admin-password-stdin"?: boolean | undefined;
}): Promise<{ name: string; password: string }> {
  const missing =
    o["admin-user"] === undefined || (o["admin-password"] === undefined && !o["admin-password-stdin"]);
  if (missing && !isInteractive()) {
    throw new UsageError(
      "swarm init creates the first admin: give --admin-user and --admin-password (or --admin-password-stdin), or run it in a terminal to be asked",
      USAGE,
    );
  }
  const name = o["admin-user"] ?? ((await ask("No admin exists yet. Admin user name [admin]: ")) || "admin");
  if (o["admin-password-stdin"])
    return { name, password: (await readStdin()).toString("utf8").replace(/\r?\n$/, "") };
  if (o["admin-password"] !== undefined) return { name, password: o["admin-password"] };
  const password = await ask("Password (8 characters or more): ", { hidden: true });
  if ((await ask("Password again: ", { hidden: true })) !== password)
    throw new CliError("the passwords differ");
  return { name, password };
}
