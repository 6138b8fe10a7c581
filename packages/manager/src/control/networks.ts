import type { Network, Service } from "@shoal/store";
import { IpamConfig, Labels, ObjectName } from "@shoal/store";
import { z } from "zod";
import { type ControlContext, parseInput, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { type NetworkDetail, networkMembers } from "./network-members.ts";
import { findNetwork } from "./resolve.ts";

export const CreateNetworkInput = z.object({
  name: ObjectName,
  labels: Labels.default({}),
  driver: z.string().min(1).default("overlay"),
  driverOptions: Labels.default({}),
  /** Subnets to use; empty = the allocator cuts one from the cluster's address pool. */
  ipam: z.array(IpamConfig).default([]),
  internal: z.boolean().default(false),
  attachable: z.boolean().default(false),
  /** The routing mesh network; a cluster has at most one. */
  ingress: z.boolean().default(false),
});
export type CreateNetworkInput = z.input<typeof CreateNetworkInput>;
export const NetworkRefInput = z.object({ network: z.string().min(1, "name the network (name or id)") });

export async function createNetwork(ctx: ControlContext, input: CreateNetworkInput): Promise<Network> {
  const p = parseInput(CreateNetworkInput, input, "network");
  const id = await write(ctx, `create network "${p.name}"`, (tx) => {
    if (tx.networks.byName(p.name) !== undefined) {
      throw new ControlError("already-exists", `network "${p.name}" already exists: choose another name`);
    }
    const ingress = p.ingress ? tx.networks.all().find((n) => n.spec.ingress) : undefined;
    if (ingress !== undefined) {
      throw new ControlError(
        "already-exists",
        `network "${ingress.spec.name}" is already the ingress network: remove it first to make another`,
      );
    }
    return tx.create("network", {
      spec: {
        name: p.name,
        labels: p.labels,
        driver: { name: p.driver, options: p.driverOptions },
        ipam: { driver: { name: "default", options: {} }, configs: p.ipam },
        internal: p.internal,
        attachable: p.attachable,
        ingress: p.ingress,
      },
      ipam: [],
    });
  });
  return ctx.store.view((v) => findNetwork(v, id));
}

/** The network with the task containers, services and nodes on it. */
export async function inspectNetwork(
  ctx: ControlContext,
  input: z.input<typeof NetworkRefInput>,
): Promise<NetworkDetail> {
  const { network } = parseInput(NetworkRefInput, input, "network inspect");
  return ctx.store.view((v) => {
    const found = findNetwork(v, network);
    return { ...found, ...networkMembers(v, found) };
  });
}

export async function listNetworks(ctx: ControlContext): Promise<Network[]> {
  return ctx.store.view((v) => v.networks.all()).sort((a, b) => a.spec.name.localeCompare(b.spec.name));
}

/** Removes a network no service uses (for the ingress network: no service publishes an ingress port). */
export async function removeNetwork(
  ctx: ControlContext,
  input: z.input<typeof NetworkRefInput>,
): Promise<void> {
  const { network } = parseInput(NetworkRefInput, input, "network rm");
  await write(ctx, `remove network "${network}"`, (tx) => {
    const found = findNetwork(tx, network);
    // The ingress network is used by every service publishing a port through the routing mesh.
    const uses = (s: Service) =>
      s.spec.taskTemplate.networks.some((n) => n.target === found.id) ||
      (found.spec.ingress && s.spec.endpointSpec.ports.some((p) => p.publishMode === "ingress"));
    const users = tx.services
      .all()
      .filter(uses)
      .map((s) => `"${s.spec.name}"`)
      .sort();
    if (users.length > 0) {
      const one = users.length === 1;
      const who = `service${one ? "" : "s"} ${users.join(", ")}`;
      const fix = found.spec.ingress
        ? `remove ${one ? "the service or its" : "them or their"} ingress-published ports first`
        : `remove ${one ? "the service" : "them"} or detach ${one ? "it" : "them"} from the network first`;
      throw new ControlError(
        "failed-precondition",
        `network "${found.spec.name}" is in use by ${who}: ${fix}`,
      );
    }
    tx.delete("network", found);
  });
}
