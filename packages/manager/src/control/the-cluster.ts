import type { Cluster } from "@shoal/store";
import { ControlError } from "./control-error.ts";

/** The swarm's one cluster object; refused with what to do before `swarm init`. */
export function theCluster(clusters: Cluster[]): Cluster {
  const cluster = clusters[0];
  if (cluster === undefined) {
    throw new ControlError(
      "failed-precondition",
      "this swarm has no cluster object yet: initialise it first (swarm init)",
    );
  }
  return cluster;
}
