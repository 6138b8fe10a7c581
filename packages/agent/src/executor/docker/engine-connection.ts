import Dockerode from "dockerode";
import { AgentError, errorMessage } from "../../errors.ts";

export const DEFAULT_ENGINE_ADDRESS = "unix:///var/run/docker.sock";

/** The engine address the agent uses: DOCKER_HOST when set, else docker's default socket. */
export function engineAddressFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST?.trim() || DEFAULT_ENGINE_ADDRESS;
}

/** A client for `unix:///path` or `tcp://host:port` (plain HTTP; TLS engines are not supported yet). */
export function connectEngine(address: string): Dockerode {
  if (address.startsWith("unix://")) return new Dockerode({ socketPath: address.slice("unix://".length) });
  const url = new URL(address.replace(/^tcp:/, "http:"));
  return new Dockerode({ protocol: "http", host: url.hostname, port: Number(url.port || 2375) });
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ETIMEDOUT",
]);

export function isEngineUnreachable(err: unknown): boolean {
  if (err instanceof AgentError) return err.code === "ENGINE_UNREACHABLE";
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNREACHABLE_CODES.has(code);
}

export function engineUnreachable(address: string, cause?: unknown): AgentError {
  return new AgentError(
    "ENGINE_UNREACHABLE",
    `cannot reach the Docker Engine at ${address}: is dockerd running?`,
    {
      cause,
    },
  );
}

/** The HTTP status of an engine error (404 no such container/image, 409 conflict, ...), if any. */
export function engineStatusCode(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The engine's own words for a failed request, without dockerode's "(HTTP code 404) ..." prefix. */
export function engineErrorMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === "string") return json.message;
  return errorMessage(err).replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, "");
}

/** Runs an engine call, turning "cannot connect" into the agent's plain message. */
export async function callEngine<T>(address: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isEngineUnreachable(err)) throw engineUnreachable(address, err);
    throw err;
  }
}
