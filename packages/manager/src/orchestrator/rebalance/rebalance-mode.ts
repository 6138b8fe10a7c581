import type { Cluster, RebalanceMode, Service, UpdateStatus } from "@shoal/store";
import { isGlobal } from "../task-lifecycle.ts";

/** Update states in which the tasks are all of one spec again: the rebalancer may move them. */
const UPDATE_SETTLED = new Set<UpdateStatus["state"] | undefined>([
  undefined,
  "completed",
  "rollback_completed",
]);

/** The service's own setting, else the cluster's `orchestration.rebalance`, else "off". */
export function effectiveRebalanceMode(service: Service, cluster: Cluster | undefined): RebalanceMode {
  return service.spec.rebalance ?? cluster?.spec.orchestration.rebalance ?? "off";
}

/** No rolling update or rollback is under way or paused (those own the service's slots then). */
export function isUpdateSettled(service: Service): boolean {
  return UPDATE_SETTLED.has(service.updateStatus?.state);
}

/** A replicated service that opted in (itself or through the cluster) and is not being updated. */
export function mayRebalance(service: Service, cluster: Cluster | undefined): boolean {
  return (
    !isGlobal(service) && effectiveRebalanceMode(service, cluster) === "auto" && isUpdateSettled(service)
  );
}
