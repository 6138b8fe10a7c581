import type { Endpoint, EndpointSpec, WriteTx } from "@shoal/store";
import { PortAllocator, type PortRange } from "./port-allocator.ts";

export interface ReservePortsInput {
  /** The service being created (its new id) or updated. */
  readonly serviceId: string;
  readonly endpointSpec: EndpointSpec;
  /** The service's current endpoint, when updating (keeps its dynamic ports). */
  readonly previous?: Endpoint;
  readonly range?: PortRange;
}

/**
 * For the control API, inside the transaction that creates or updates a service: allocates the
 * service's ingress published ports against every other service in the transaction's view, and
 * returns the endpoint to store on the service (VIPs are added by the allocator loop). Throws
 * AllocationError "port-conflict" (explicit port taken) or "ports-exhausted".
 *
 * Deterministic: explicit ports as given, port 0 = the previous port for the same target, else
 * the lowest free port of 30000-32767. Two transactions built on the same version would both see
 * a port free, so this also rewrites the cluster object unchanged: the store's version check
 * then refuses the second one ("version-conflict": read again and retry). Callers that write
 * the cluster object in the same transaction pass `fence: false` and do that write themselves.
 */
export function reserveServicePorts(
  tx: WriteTx,
  input: ReservePortsInput,
  options: { fence?: boolean } = {},
): Endpoint {
  const ports = new PortAllocator(input.range);
  for (const s of tx.services.all()) {
    if (s.id !== input.serviceId && s.endpoint !== undefined) ports.reserve(s.id, s.endpoint.ports);
  }
  const allocated = ports.allocate(input.serviceId, input.endpointSpec, input.previous?.ports);
  if (options.fence ?? true) fenceOnCluster(tx);
  const virtualIps =
    input.previous?.spec.mode === input.endpointSpec.mode ? (input.previous?.virtualIps ?? []) : [];
  return { spec: input.endpointSpec, ports: allocated, virtualIps };
}

/** Rewrites the cluster object as read, so concurrent allocating transactions conflict. */
export function fenceOnCluster(tx: WriteTx): void {
  const cluster = tx.clusters.all()[0];
  if (cluster !== undefined) tx.update("cluster", cluster);
}
