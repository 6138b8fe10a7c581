import type { EndpointSpec, PortConfig, PortProtocol } from "@shoal/store";
import { AllocationError } from "./allocation-error.ts";

/** Named limits: the dynamic range for published port 0 (swarm's). */
export const DYNAMIC_PORT_MIN = 30_000;
export const DYNAMIC_PORT_MAX = 32_767;

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

function key(protocol: PortProtocol, port: number): string {
  return `${protocol}/${port}`;
}

/**
 * Ingress-mode published ports, cluster-wide: each (protocol, port) belongs to at most one
 * service. Host-mode ports are per node and left to the scheduler.
 */
export class PortAllocator {
  /** Invariant: `tcp/8080` → the id of the service publishing it. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly range: PortRange = { min: DYNAMIC_PORT_MIN, max: DYNAMIC_PORT_MAX }) {}

  owner(protocol: PortProtocol, port: number): string | undefined {
    return this.owners.get(key(protocol, port));
  }

  /** Records a service's allocated ports (rebuilding from the store). */
  reserve(serviceId: string, ports: readonly PortConfig[]): void {
    for (const p of ports) {
      if (p.publishMode === "ingress" && p.publishedPort !== 0)
        this.owners.set(key(p.protocol, p.publishedPort), serviceId);
    }
  }

  /** Frees every port the service holds. */
  releaseService(serviceId: string): void {
    for (const [k, owner] of this.owners) if (owner === serviceId) this.owners.delete(k);
  }

  /**
   * Allocates the ports of an endpoint spec for a service, replacing what it held: explicit ports
   * must be free (or already the service's), port 0 takes the service's previous port for the
   * same target and protocol, else the lowest free port of the dynamic range. All or nothing:
   * throws AllocationError "port-conflict" or "ports-exhausted" and changes nothing.
   */
  allocate(serviceId: string, spec: EndpointSpec, previous: readonly PortConfig[] = []): PortConfig[] {
    const taken = new Set<string>();
    const out: PortConfig[] = [];
    const free = (protocol: PortProtocol, port: number) => {
      const owner = this.owners.get(key(protocol, port));
      return (owner === undefined || owner === serviceId) && !taken.has(key(protocol, port));
    };
    for (const p of spec.ports) {
      if (p.publishMode !== "ingress" || p.publishedPort === 0) continue;
      if (!free(p.protocol, p.publishedPort)) {
        const owner = this.owners.get(key(p.protocol, p.publishedPort));
        throw new AllocationError(
          "port-conflict",
          `port ${p.publishedPort}/${p.protocol} is already published by ${owner === undefined ? "another port of this service" : `service ${owner}`}`,
        );
      }
      taken.add(key(p.protocol, p.publishedPort));
    }
    for (const p of spec.ports) {
      if (p.publishMode !== "ingress" || p.publishedPort !== 0) {
        out.push({ ...p });
        continue;
      }
      const before = previous.find(
        (q) => q.publishMode === "ingress" && q.protocol === p.protocol && q.targetPort === p.targetPort,
      );
      const port =
        before !== undefined && before.publishedPort !== 0 && free(p.protocol, before.publishedPort)
          ? before.publishedPort
          : this.lowestFree(p.protocol, free);
      taken.add(key(p.protocol, port));
      out.push({ ...p, publishedPort: port });
    }
    this.releaseService(serviceId);
    this.reserve(serviceId, out);
    return out;
  }

  private lowestFree(
    protocol: PortProtocol,
    free: (protocol: PortProtocol, port: number) => boolean,
  ): number {
    for (let port = this.range.min; port <= this.range.max; port++) if (free(protocol, port)) return port;
    throw new AllocationError(
      "ports-exhausted",
      `no free ${protocol} port left in the dynamic range ${this.range.min}-${this.range.max}`,
    );
  }
}
