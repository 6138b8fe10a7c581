/** What every command gets: the manager's address and API clients with the stored credentials. */
import { type Api, createApi } from "./api-client.ts";
import { credentialsFor, type HostCredentials } from "./config-file.ts";

export interface CliContext {
  /** The manager's origin, e.g. http://127.0.0.1:8080. */
  readonly host: string;
  /** The API with this host's stored token (none stored: calls go out without credentials). */
  api(): Promise<Api>;
  /** The API without credentials (swarm.status/init/join, auth.login). */
  publicApi(): Api;
  credentials(): Promise<HostCredentials | undefined>;
}

export function createCliContext(host: string): CliContext {
  let stored: Promise<HostCredentials | undefined> | undefined;
  const credentials = () => {
    stored ??= credentialsFor(host);
    return stored;
  };
  return {
    host,
    credentials,
    publicApi: () => createApi({ host }),
    api: async () => {
      const c = await credentials();
      return createApi({ host, ...(c ? { token: c.token } : {}) });
    },
  };
}
