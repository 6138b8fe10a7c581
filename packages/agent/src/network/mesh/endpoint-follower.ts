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

/** Where the stream comes from: AgentSession.endpoints. */
export interface EndpointSource {
  endpoints(signal: AbortSignal): AsyncIterable<EndpointsMessage>;
}

export interface EndpointFollowerOptions {
  source: EndpointSource;
  apply: (table: MeshTable) => Promise<void>;
  /** Pause before opening a new stream after one ended. */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

/** Applies one message to the services held (mutates `held`). Pure apart from that. */
export function applyEndpointsMessage(held: Map<string, MeshService>, message: EndpointsMessage): void {
  if (message.type === "COMPLETE") held.clear();
  for (const id of message.removed_service_ids) held.delete(id);
  for (const json of message.services_json) {
    const service = EndpointService.parse(JSON.parse(json));
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
    while (!signal.aborted) {
      try {
        for await (const message of this.options.source.endpoints(signal)) {
          applyEndpointsMessage(held, message);
          await this.options.apply({ services: [...held.values()] });
        }
      } catch (err) {
        if (!signal.aborted) this.options.onError?.(err);
      }
      await sleep(this.options.retryMs ?? 200, signal);
    }
  }
}
