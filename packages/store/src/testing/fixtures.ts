import type { Network } from "../objects/network.ts";
import type { Node, NodeRole } from "../objects/node.ts";
import type { Service, ServiceSpec } from "../objects/service.ts";
import { DEFAULT_UPDATE_CONFIG } from "../objects/service.ts";
import type { Task } from "../objects/task.ts";
import type { TaskSpec } from "../objects/task-spec.ts";
import { TaskState } from "../objects/task-state.ts";

/** Objects with every required field filled, for tests and simulations. Override what matters. */

export function makeTaskSpec(image = "shoal-test/busybox:1"): TaskSpec {
  return {
    containerSpec: {
      image,
      command: [],
      args: ["httpd", "-f", "-p", "80"],
      env: ["MODE=test"],
      hostname: "",
      user: "",
      dir: "",
      labels: {},
      mounts: [],
      stopSignal: "SIGTERM",
      stopGracePeriodMs: 10_000,
      secrets: [],
      configs: [],
    },
    resources: {
      limits: { nanoCpus: 0, memoryBytes: 0 },
      reservations: { nanoCpus: 100_000_000, memoryBytes: 64 * 1024 * 1024 },
    },
    restartPolicy: { condition: "any", delayMs: 5_000, maxAttempts: 0, windowMs: 0 },
    placement: { constraints: [], preferences: [], maxReplicas: 0 },
    networks: [],
    forceUpdate: 0,
  };
}

export function makeServiceSpec(name: string, replicas = 1): ServiceSpec {
  return {
    name,
    labels: {},
    taskTemplate: makeTaskSpec(),
    mode: { replicated: { replicas } },
    updateConfig: DEFAULT_UPDATE_CONFIG,
    rollbackConfig: DEFAULT_UPDATE_CONFIG,
    endpointSpec: { mode: "vip", ports: [] },
  };
}

type NewOf<T> = Omit<T, "version" | "createdAtMs" | "updatedAtMs">;

export function makeService(id: string, name: string, replicas = 1): NewOf<Service> {
  return { id, spec: makeServiceSpec(name, replicas) };
}

/**
 * An overlay network: `subnet` is the one its spec asks for (none: the allocator picks),
 * `allocated` the subnet and gateway the allocator gave it (none: not allocated yet).
 */
export function makeOverlayNetwork(
  id: string,
  name: string,
  options: { ingress?: boolean; subnet?: string; allocated?: { subnet: string; gateway: string } } = {},
): NewOf<Network> {
  return {
    id,
    spec: {
      name,
      labels: {},
      driver: { name: "overlay", options: {} },
      ipam: {
        driver: { name: "default", options: {} },
        configs: options.subnet === undefined ? [] : [{ subnet: options.subnet, gateway: "" }],
      },
      internal: false,
      attachable: false,
      ingress: options.ingress ?? false,
    },
    ipam: options.allocated ? [options.allocated] : [],
  };
}

export function makeNode(id: string, hostname: string, role: NodeRole = "worker"): NewOf<Node> {
  return {
    id,
    spec: { labels: {}, role, availability: "active" },
    description: {
      hostname,
      platform: { os: "linux", arch: "x86_64" },
      resources: { nanoCpus: 2_000_000_000, memoryBytes: 4 * 1024 ** 3 },
      engine: { version: "20.10.24", labels: {} },
    },
    status: { state: "ready", message: "", addr: "10.77.0.11" },
    role,
  };
}

export function makeTask(
  id: string,
  serviceId: string,
  slot: number,
  spec: TaskSpec = makeTaskSpec(),
): NewOf<Task> {
  return {
    id,
    serviceId,
    slot,
    nodeId: "",
    spec,
    serviceVersion: 1,
    desiredState: TaskState.Running,
    status: { state: TaskState.New, message: "created", timestampMs: 0 },
    networksAttachments: [],
    restartHistory: [],
  };
}
