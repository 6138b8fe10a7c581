/**
 * `startNode`: opens the data directory, resumes the node, and serves the HTTP API when asked
 * (`http`). The returned handle is the node's TypeScript surface (the HTTP API builds on it).
 */
import { mkdir } from "node:fs/promises";
import { NodeHttpServer } from "./http/index.ts";
import { DEFAULT_API_ADDR, DEFAULT_LISTEN_ADDR, type StartNodeOptions } from "./node-options.ts";
import { ShoalNode } from "./shoal-node.ts";

export interface RunningNode {
  readonly node: ShoalNode;
  readonly apiAddr: string;
  /** Stops the HTTP server and the node. Idempotent. */
  stop(): Promise<void>;
}

export async function startNode(options: StartNodeOptions): Promise<RunningNode> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const listenAddr = options.listenAddr ?? DEFAULT_LISTEN_ADDR;
  const node = await ShoalNode.open({ ...options, listenAddr });
  const http = options.http
    ? await NodeHttpServer.start(node, options.apiAddr ?? DEFAULT_API_ADDR, {
        ...options.http,
        ...options,
      }).catch(async (error: unknown) => {
        await node.stop();
        throw error;
      })
    : undefined;
  let stopping: Promise<void> | undefined;
  return {
    node,
    apiAddr: http?.address ?? options.apiAddr ?? DEFAULT_API_ADDR,
    stop: () => {
      stopping ??= (async () => {
        await http?.close();
        await node.stop();
      })();
      return stopping;
    },
  };
}
