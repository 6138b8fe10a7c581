/**
 * `shoal login [-u USER] [-p PASSWORD | --password-stdin] | --token TOKEN`: logs in to the manager
 * at -H and keeps an API token for it in ~/.shoal/config.json (0600).
 */
import { z } from "zod";
import { CookieJar, createApi } from "../api-client.ts";
import { CliError } from "../cli-error.ts";
import { defineCommand } from "../command.ts";
import { configPath, storeCredentials } from "../config-file.ts";
import { storeTokenFromSession } from "../login-session.ts";
import { ask, readStdin } from "../prompt.ts";

const USAGE = `usage: shoal [-H HOST] login [OPTIONS]

Logs in and stores an API token for HOST in ~/.shoal/config.json.

  -u, --username USER     user name (asked when missing)
  -p, --password PASS     password (asked when missing; prefer --password-stdin)
      --password-stdin    read the password from stdin
      --token TOKEN       store an existing API token (shoal_...) instead`;

export const command = defineCommand({
  usage: USAGE,
  summary: "log in",
  options: {
    username: { type: "string", short: "u" },
    password: { type: "string", short: "p" },
    "password-stdin": { type: "boolean" },
    token: { type: "string" },
  },
  schema: z.object({
    username: z.string().optional(),
    password: z.string().optional(),
    "password-stdin": z.boolean().optional(),
    token: z.string().optional(),
    args: z.array(z.string()).max(0, "login takes no arguments (choose the manager with -H)"),
  }),
  run: async (o, ctx) => {
    if (o.token !== undefined) {
      const me = await createApi({ host: ctx.host, token: o.token }).auth.me.query();
      await storeCredentials(ctx.host, { token: o.token, user: me.userName });
      console.log(`Login Succeeded (${me.userName}, ${me.role}); token stored in ${configPath()}`);
      return;
    }
    const name = o.username ?? (await ask("Username: "));
    const password = o["password-stdin"]
      ? (await readStdin()).toString("utf8").replace(/\r?\n$/, "")
      : (o.password ?? (await ask("Password: ", { hidden: true })));
    const jar = new CookieJar();
    await createApi({ host: ctx.host, onSetCookie: jar.accept }).auth.login.mutate({ name, password });
    const cookie = jar.header;
    if (cookie === undefined) throw new CliError("the manager accepted the login but set no session");
    const stored = await storeTokenFromSession(ctx.host, cookie);
    console.log(`Login Succeeded (${stored.user}); token stored in ${configPath()}`);
  },
});
