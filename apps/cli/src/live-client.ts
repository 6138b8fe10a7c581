/** socket.io live updates from a manager (`/socket.io`), authenticated with the stored token. */
import type { ClientToServerEvents, ServerToClientEvents, SubscribeResult } from "@shoal/api";
import { io, type Socket } from "socket.io-client";
import { CliError, EXIT_UNREACHABLE } from "./cli-error.ts";

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Named limit: how long the first connection may take before the CLI gives up. */
export const LIVE_CONNECT_TIMEOUT_MS = 10_000;

export async function connectLive(host: string, token: string | undefined): Promise<LiveSocket> {
  const socket: LiveSocket = io(host, {
    path: "/socket.io",
    transports: ["websocket"],
    auth: token ? { token } : {},
    timeout: LIVE_CONNECT_TIMEOUT_MS,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error: Error & { data?: { code?: string; message?: string } }) => {
      socket.close();
      const code = error.data?.code;
      if (code === "unauthenticated" || code === "forbidden") {
        reject(
          new CliError(`${error.data?.message ?? error.message}\nRun \`shoal login\` to log in.`, 1, code),
        );
      } else {
        reject(
          new CliError(`live updates from ${host} failed: ${error.message}`, EXIT_UNREACHABLE, "unavailable"),
        );
      }
    });
  });
  return socket;
}

export function subscribe(
  socket: LiveSocket,
  rooms: string[],
  fromVersion?: number,
): Promise<SubscribeResult> {
  return new Promise((resolve) =>
    socket.emit("subscribe", { rooms, ...(fromVersion === undefined ? {} : { fromVersion }) }, resolve),
  );
}
