/**
 * The node's local admin socket (`<data-dir>/admin.sock`) for what only the local node can do and
 * the HTTP API does not offer: `swarm leave` and `swarm init --force-new-cluster`. The data
 * directory comes from --data-dir, else SHOAL_DATA_DIR, else ./.data. `@shoal/node` loads only
 * when these run.
 */
import { resolve } from "node:path";
import { CliError } from "./cli-error.ts";

export function dataDirFrom(value: string | undefined): string {
  return resolve(value ?? process.env.SHOAL_DATA_DIR ?? ".data");
}

export async function localAdmin<T>(dataDir: string, route: string, body?: unknown): Promise<T> {
  const { adminCall, dataDirLayout } = await import("@shoal/node");
  try {
    return await adminCall<T>(dataDirLayout(dataDir).adminSocket, route, body);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ECONNREFUSED") {
      throw new CliError(
        `no shoal daemon runs with data directory ${dataDir} on this machine ` +
          "(this command acts on the local node: give its --data-dir)",
      );
    }
    if (error instanceof Error && error.name === "AdminError")
      throw new CliError(error.message, 1, String(code));
    throw error;
  }
}
