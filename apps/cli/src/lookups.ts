/** Names the tables need: node hostnames, services by id, this node's id (`self`). */
import type { Api } from "./api-client.ts";
import type { ServiceView } from "./api-types.ts";

export async function hostnames(api: Api): Promise<Map<string, string>> {
  const nodes = await api.nodes.list.query({});
  return new Map(nodes.items.map((n) => [n.id, n.description?.hostname ?? n.id.slice(0, 12)]));
}

export async function servicesById(api: Api): Promise<Map<string, ServiceView>> {
  const services = await api.services.list.query({});
  return new Map(services.items.map((s) => [s.id, s]));
}

/** The id of the node serving the API (`self`, docker's default for node ps). */
export async function selfNodeId(api: Api): Promise<string> {
  return (await api.swarm.status.query()).nodeId;
}

export async function resolveSelf(api: Api, ref: string): Promise<string> {
  return ref === "self" ? selfNodeId(api) : ref;
}
