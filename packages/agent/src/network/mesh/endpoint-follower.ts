/**
 * Feeds a node's routing mesh from the dispatcher's Endpoints stream: a COMPLETE table, then
 * whole services replaced or removed. Every message becomes a new `MeshTable` for
 * `RoutingMesh.apply`. When the stream ends (session replaced, leader change) the follower opens a
 * new one, which starts with a COMPLETE table again; the mesh keeps forwarding by the last table
 * meanwhile.
 */
import type { EndpointsMessage } from "@shoal/rpc";
import { z } from "zod";
import { sleep } from "../../abortable-sleep.ts";
import type { MeshService, MeshTable } from "./mesh-table.ts";

const Port = z.number().int().min(1).max(65_535);
const Protocol = z.enum(["tcp", "udp"]);
/** One service of the manager's endpoint table (manager/src/dispatcher/endpoint-table.ts). */
const EndpointService = z.object({
  serviceId: z.string().min(1),
  ports: z.array(z.object({ protocol: Protocol, publishedPort: Port, targetPort: Port })),
  backends: z.array(
    z.object({
      taskId: z.string().min(1),
      address: z.string().min(1),
      ports: z.array(z.object({ protocol: Protocol, targetPort: Port, hostPort: Port })),
    }),
  ),
});

/**
 * One overlay network of the table (key `network:ID`, manager/src/dispatcher/endpoint-table.ts):
 * the network object, the nodes with tasks on it (VXLAN peers, each with its index for
 * `hostAddressOf`) and the services a container on it resolves. Objects are checked loosely here:
 * the store's own schema was applied on the manager.
 */
export const EndpointNetwork = z.object({
  kind: z.literal("network"),
  network: z.looseObject({
    id: z.string().min(1),
    spec: z.looseObject({ name: z.string().min(1) }),
    ipam: z.array(z.looseObject({ subnet: z.string(), gateway: z.string() })),
  }),
  nodes: z.array(
    z.object({ nodeId: z.string().min(1), address: z.string().min(1), index: z.number().int().min(0) }),
  ),
  dns: z.array(
    z.object({
      name: z.string().min(1),
      stackNamespace: z.string().optional(),
      endpointMode: z.enum(["vip", "dnsrr"]),
      vip: z.string().optional(),
      taskAddresses: z.array(z.string()),
    }),
  ),
});
export type EndpointNetwork = z.infer<typeof EndpointNetwork>;

/** The table's overlay networks, by network id. */
export type NetworkTable = ReadonlyMap<string, EndpointNetwork>;

/** Where the stream comes from: AgentSession.endpoints. */
export interface EndpointSource {
  endpoints(signal: AbortSignal): AsyncIterable<EndpointsMessage>;
}

export interface EndpointFollowerOptions {
  source: EndpointSource;
  apply: (table: MeshTable) => Promise<void>;
  /** The overlay networks (peers, DNS names), after each message. */
  applyNetworks?: (networks: NetworkTable) => Promise<void>;
  /** Pause before opening a new stream after one ended. */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

const NETWORK_KEY_PREFIX = "network:";

/**
 * Applies one message to the services and networks held (mutates both). Pure apart from that.
 * Entries with `kind: "network"` are overlay networks, the others routing mesh services.
 */
export function applyEndpointsMessage(
  held: Map<string, MeshService>,
  message: EndpointsMessage,
  networks: Map<string, EndpointNetwork> = new Map(),
): void {
  if (message.type === "COMPLETE") {
    held.clear();
    networks.clear();
  }
  for (const id of message.removed_service_ids) {
    if (id.startsWith(NETWORK_KEY_PREFIX)) networks.delete(id.slice(NETWORK_KEY_PREFIX.length));
    else held.delete(id);
  }
  for (const json of message.services_json) {
    const parsed: unknown = JSON.parse(json);
    if ((parsed as { kind?: unknown }).kind === "network") {
      const entry = EndpointNetwork.parse(parsed);
      networks.set(entry.network.id, entry);
      continue;
    }
    const service = EndpointService.parse(parsed);
    held.set(service.serviceId, service);
  }
}

export class EndpointFollower {
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: EndpointFollowerOptions) {}

  start(): void {
    this.running ??= this.run(this.stopper.signal);
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const held = new Map<string, MeshService>();
    const networks = new Map<string, EndpointNetwork>();
    while (!signal.aborted) {
      try {
        for await (const message of this.options.source.endpoints(signal)) {
          applyEndpointsMessage(held, message, networks);
          await this.options.apply({ services: [...held.values()] });
          await this.options.applyNetworks?.(new Map(networks));
        }
      } catch (err) {
        if (!signal.aborted) this.options.onError?.(err);
      }
      await sleep(this.options.retryMs ?? 200, signal);
    }
  }
}
