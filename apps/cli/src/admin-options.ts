/** Where the admin commands find their daemon: --data-dir, else SHOAL_DATA_DIR, else ./.data. */
import { resolve } from "node:path";
import { adminCall, dataDirLayout } from "@shoal/node";

export function dataDirFrom(value: string | undefined): string {
  return resolve(value ?? process.env.SHOAL_DATA_DIR ?? ".data");
}

export function admin<T>(dataDir: string, route: string, body?: unknown): Promise<T> {
  return adminCall<T>(dataDirLayout(dataDir).adminSocket, route, body);
}

export function control<T>(dataDir: string, procedure: string, input?: unknown): Promise<T> {
  return admin<T>(dataDir, "control", { procedure, input });
}
