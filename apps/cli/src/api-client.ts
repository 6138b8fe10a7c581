/** The tRPC client of a manager's HTTP API (`<host>/api/trpc`), over fetch. */
import type { AppRouter } from "@shoal/api";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";

export type Api = TRPCClient<AppRouter>;

export interface ApiOptions {
  readonly host: string;
  /** An API token: `Authorization: Bearer`. */
  readonly token?: string;
  /** A `Cookie` header (the session `auth.login` or `swarm.init` set). */
  readonly cookie?: string;
  /** Sees every `Set-Cookie` the server sends. */
  readonly onSetCookie?: (cookies: string[]) => void;
}

export const API_PATH = "/api/trpc";

export function createApi(options: ApiOptions): Api {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${options.host}${API_PATH}`,
        headers: () => ({
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        }),
        fetch: async (url, init) => {
          const response = await fetch(url, init as RequestInit);
          const cookies = response.headers.getSetCookie();
          if (cookies.length > 0) options.onSetCookie?.(cookies);
          return response;
        },
      }),
    ],
  });
}

/** Collects `Set-Cookie` values as a `Cookie` header for the next requests (name=value pairs). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  readonly accept = (setCookies: string[]): void => {
    for (const header of setCookies) {
      const pair = header.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  };

  get header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}
