import type { PeerIdentity } from "@shoal/ca";
import type { CallContext } from "./handler-adapters.ts";

/** A call that arrived with a verified node certificate. */
export interface NodeCallContext extends CallContext {
  readonly peer: PeerIdentity;
}

/** Node-only methods always carry a peer: the interceptor refused the call otherwise. */
export function asNodeContext(context: CallContext, method: string): NodeCallContext {
  if (context.peer === undefined)
    throw new Error(`assertion failed: ${method} reached its handler without a peer`);
  return context as NodeCallContext;
}
