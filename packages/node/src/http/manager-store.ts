/**
 * The store the API reads: the running manager component's replica. The manager role comes and
 * goes at run time (init, promote, demote, leave), so the API holds this stand-in, which always
 * reaches the current replica and refuses with "unavailable" while this node is no manager.
 * Every replica applies the same Raft log, so versions stay comparable across a role change.
 */
import { ApiError } from "@shoal/api";
import type { Store } from "@shoal/store";
import type { ShoalNode } from "../shoal-node.ts";

export function currentManagerStore(node: ShoalNode): Store | undefined {
  return node.manager?.state.store;
}

export function managerStoreProxy(node: ShoalNode): Store {
  return new Proxy({} as Store, {
    get(_target, key) {
      const store = currentManagerStore(node);
      if (store === undefined) throw notAManager(node);
      const value = Reflect.get(store, key, store) as unknown;
      return typeof value === "function" ? value.bind(store) : value;
    },
  });
}

export function notAManager(node: ShoalNode): ApiError {
  const info = node.info();
  if (info.swarm === "inactive") {
    return new ApiError(
      "failed-precondition",
      "this node is in no swarm yet: create a swarm or join one first",
    );
  }
  const managers = info.managers.map((m) => m.addr).join(", ");
  return new ApiError(
    "unavailable",
    `this node is a worker: the API and dashboard are served by managers${managers ? ` (${managers})` : ""}`,
  );
}
