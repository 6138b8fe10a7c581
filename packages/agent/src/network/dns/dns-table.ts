import type { Service, Task } from "@shoal/store";
import { addressOnly, isTaskInRotation } from "../mesh/mesh-table.ts";

/** What the resolver knows of one service on one network. */
export interface DnsService {
  name: string;
  /** The stack the service belongs to (`com.docker.stack.namespace`): its short name resolves too. */
  stackNamespace?: string;
  endpointMode: "vip" | "dnsrr";
  /** The service's virtual IP on this network (vip mode). */
  vip?: string;
  /** Running, healthy tasks' addresses on this network. */
  taskAddresses: readonly string[];
}

/** Per network: the services a container on that network can look up. Fed by the session. */
export interface DnsTable {
  networks: ReadonlyArray<{ networkId: string; services: readonly DnsService[] }>;
}

const STACK_LABEL = "com.docker.stack.namespace";

/**
 * Name → addresses for one network: `SERVICE` → VIP (vip) or task IPs (dnsrr), `tasks.SERVICE` →
 * every task IP; a stack's services also by their short name (full names win a clash). Pure.
 */
export function indexNames(services: readonly DnsService[]): Map<string, string[]> {
  const full = new Map<string, string[]>();
  const short = new Map<string, string[]>();
  for (const s of services) {
    const tasks = [...s.taskAddresses];
    const main = s.endpointMode === "vip" && s.vip ? [s.vip] : tasks;
    const names: Array<[Map<string, string[]>, string]> = [[full, s.name.toLowerCase()]];
    const prefix = s.stackNamespace ? `${s.stackNamespace}_`.toLowerCase() : undefined;
    if (prefix && s.name.toLowerCase().startsWith(prefix)) {
      names.push([short, s.name.toLowerCase().slice(prefix.length)]);
    }
    for (const [map, name] of names) {
      map.set(name, main);
      map.set(`tasks.${name}`, tasks);
    }
  }
  for (const [name, addresses] of short) if (!full.has(name)) full.set(name, addresses);
  return full;
}

/** The DNS view of one network from store objects: VIPs from the endpoints, tasks in rotation. Pure. */
export function buildDnsServices(
  services: readonly Service[],
  tasks: readonly Task[],
  networkId: string,
): DnsService[] {
  return services.flatMap((service) => {
    const attached = tasks.filter((t) => t.serviceId === service.id && isTaskInRotation(t));
    const taskAddresses = attached.flatMap((t) => {
      const a = t.networksAttachments.find((n) => n.networkId === networkId)?.addresses[0];
      return a ? [addressOnly(a)] : [];
    });
    const vip = service.endpoint?.virtualIps.find((v) => v.networkId === networkId)?.addr;
    if (!vip && taskAddresses.length === 0) return [];
    const stackNamespace = service.spec.labels[STACK_LABEL];
    const out: DnsService = {
      name: service.spec.name,
      endpointMode: service.spec.endpointSpec.mode,
      taskAddresses,
    };
    if (vip) out.vip = addressOnly(vip);
    if (stackNamespace) out.stackNamespace = stackNamespace;
    return [out];
  });
}
