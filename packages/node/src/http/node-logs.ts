/**
 * `ApiContext.logs` for a node: the running manager component's log subscription (the leader's
 * broker, or forwarded to it), with the wire's failures turned into the API's errors.
 */
import { type ApiContext, ApiError } from "@shoal/api";
import type { LogStream } from "@shoal/manager";
import { RpcError } from "@shoal/rpc";
import type { ShoalNode } from "../shoal-node.ts";
import { notAManager } from "./manager-store.ts";

export function nodeLogs(node: ShoalNode): NonNullable<ApiContext["logs"]> {
  return (request, signal) => {
    const manager = node.manager;
    if (manager === undefined) throw notAManager(node);
    return mapLogErrors(() => manager.logs.subscribe(request, signal));
  };
}

async function* mapLogErrors(open: () => LogStream): LogStream {
  try {
    yield* open();
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    if (err.code === "INVALID_ARGUMENT") throw new ApiError("invalid-argument", err.message);
    if (err.code === "UNAVAILABLE" || err.code === "RESOURCE_EXHAUSTED")
      throw new ApiError("unavailable", err.message);
    throw new ApiError("unavailable", `the log stream from the leader failed: ${err.message}`);
  }
}
