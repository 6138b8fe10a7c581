/**
 * The node as `swarm.status` / `swarm.init` / `swarm.join` / `swarm.leave` see it (before any
 * swarm exists too); init with `forceNewCluster` and leave run on this node, leader or not.
 */
import { networkInterfaces } from "node:os";
import type { NodeBootstrap, NodeStatus } from "@shoal/api";
import type { ShoalNode } from "../shoal-node.ts";
import { mapNodeErrors } from "./node-error-mapping.ts";

export function nodeBootstrap(node: ShoalNode, needsSetup: () => boolean): NodeBootstrap {
  return {
    status(): NodeStatus {
      const info = node.info();
      const isManager = node.manager !== undefined;
      return {
        swarm: info.swarm,
        nodeId: info.nodeId,
        hostname: node.hostname,
        role: info.role,
        isManager,
        isLeader: info.isLeader,
        advertiseAddr: suggestedAdvertiseAddr(info.advertiseAddr || info.listenAddr),
        managerAddrs: info.managers.map((m) => m.addr),
        setupRequired: isManager ? needsSetup() : false,
      };
    },
    isLocked: () => node.isLocked,
    init: (input) =>
      mapNodeErrors(() =>
        input.forceNewCluster
          ? node.swarmInit({ forceNewCluster: true })
          : node.swarmInit({
              advertiseAddr: input.advertiseAddr ?? suggestedAdvertiseAddr(node.info().listenAddr),
              ...(input.autolock ? { autolock: true } : {}),
            }),
      ),
    join: (input) => mapNodeErrors(() => node.swarmJoin(input)),
    leave: (input) => mapNodeErrors(() => node.swarmLeave(input)),
    unlock: (input) => mapNodeErrors(() => node.unlock(input)),
  };
}

/**
 * An address other hosts can reach: the listen address unless it is a wildcard, else this
 * host's first external IPv4 address (loopback when there is none) with the listen port.
 */
export function suggestedAdvertiseAddr(listenAddr: string): string {
  const colon = listenAddr.lastIndexOf(":");
  const host = listenAddr.slice(0, colon);
  const port = listenAddr.slice(colon + 1);
  if (host !== "0.0.0.0" && host !== "::" && host !== "[::]" && host !== "") return listenAddr;
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === "IPv4" && !a.internal);
  return `${external?.address ?? "127.0.0.1"}:${port}`;
}
