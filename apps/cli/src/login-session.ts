/**
 * Turns a logged-in session (the cookie `auth.login` or `swarm.init` set) into an API token kept
 * in ~/.shoal/config.json, so later commands authenticate with `Authorization: Bearer`.
 */
import { hostname } from "node:os";
import { createApi } from "./api-client.ts";
import { type HostCredentials, storeCredentials } from "./config-file.ts";

/** A token name the API accepts (letters, digits, `_.-`, at most 63): `cli-HOST-TIME`. */
export function cliTokenName(nowMs: number = Date.now(), host: string = hostname()): string {
  const clean =
    host
      .replace(/[^a-zA-Z0-9_.-]/g, "-")
      .replace(/^[^a-zA-Z0-9]+/, "")
      .slice(0, 40) || "host";
  return `cli-${clean}-${nowMs.toString(36)}`;
}

export async function storeTokenFromSession(host: string, cookie: string): Promise<HostCredentials> {
  const api = createApi({ host, cookie });
  const me = await api.auth.me.query();
  const created = await api.tokens.create.mutate({ name: cliTokenName() });
  const credentials = { token: created.secret, tokenId: created.token.id, user: me.userName };
  await storeCredentials(host, credentials);
  return credentials;
}
