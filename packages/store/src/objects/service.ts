import { z } from "zod";
import { Count, Labels, Milliseconds, ObjectId, ObjectMeta, ObjectName } from "./common.ts";
import { TaskSpec } from "./task-spec.ts";

export const ServiceMode = z.union([
  z.object({ replicated: z.object({ replicas: Count }) }),
  z.object({ global: z.object({}) }),
]);
export type ServiceMode = z.infer<typeof ServiceMode>;

export const UpdateFailureAction = z.enum(["pause", "continue", "rollback"]);
export type UpdateFailureAction = z.infer<typeof UpdateFailureAction>;

/** Rolling update (and rollback) settings; swarm's defaults are in DEFAULT_UPDATE_CONFIG. */
export const UpdateConfig = z.object({
  /** Tasks updated at once; 0 = all at once. */
  parallelism: Count,
  delayMs: Milliseconds,
  failureAction: UpdateFailureAction,
  /** How long a new task must keep running to count as a success. */
  monitorMs: Milliseconds,
  maxFailureRatio: z.number().min(0).max(1),
  order: z.enum(["stop-first", "start-first"]),
});
export type UpdateConfig = z.infer<typeof UpdateConfig>;

export const DEFAULT_UPDATE_CONFIG: UpdateConfig = Object.freeze({
  parallelism: 1,
  delayMs: 0,
  failureAction: "pause",
  monitorMs: 5_000,
  maxFailureRatio: 0,
  order: "stop-first",
});

export const PortProtocol = z.enum(["tcp", "udp", "sctp"]);
export type PortProtocol = z.infer<typeof PortProtocol>;

export const PortConfig = z.object({
  name: z.string().optional(),
  protocol: PortProtocol,
  targetPort: z.number().int().min(1).max(65_535),
  /** 0 in a spec = "allocate one" (30000-32767); the endpoint holds the allocated port. */
  publishedPort: z.number().int().min(0).max(65_535),
  /** ingress: every node listens (routing mesh); host: only nodes running a task. */
  publishMode: z.enum(["ingress", "host"]),
});
export type PortConfig = z.infer<typeof PortConfig>;

export const EndpointSpec = z.object({
  /** vip: one virtual IP per network; dnsrr: DNS answers with the task IPs. */
  mode: z.enum(["vip", "dnsrr"]),
  ports: z.array(PortConfig),
});
export type EndpointSpec = z.infer<typeof EndpointSpec>;

/**
 * Shoal only (swarm never moves running tasks, moby#24103): "auto" evens out a replicated
 * service's tasks when a node joins or comes back, "off" never does.
 */
export const RebalanceMode = z.enum(["auto", "off"]);
export type RebalanceMode = z.infer<typeof RebalanceMode>;

export const ServiceSpec = z.object({
  name: ObjectName,
  labels: Labels,
  taskTemplate: TaskSpec,
  mode: ServiceMode,
  updateConfig: UpdateConfig,
  rollbackConfig: UpdateConfig,
  endpointSpec: EndpointSpec,
  /** Absent: the cluster's `orchestration.rebalance` decides (itself "off" when absent). */
  rebalance: RebalanceMode.optional(),
});
export type ServiceSpec = z.infer<typeof ServiceSpec>;

export const UpdateState = z.enum([
  "updating",
  "paused",
  "completed",
  "rollback_started",
  "rollback_paused",
  "rollback_completed",
]);
export type UpdateState = z.infer<typeof UpdateState>;

export const UpdateStatus = z.object({
  state: UpdateState,
  startedAtMs: Milliseconds,
  completedAtMs: Milliseconds.optional(),
  message: z.string(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

/** Where a rebalance of the service stands (the rebalancer's progress, kept for a new leader). */
export const RebalanceStatus = z.object({
  state: z.enum(["rebalancing", "paused", "completed"]),
  startedAtMs: Milliseconds,
  completedAtMs: Milliseconds.optional(),
  /** What happened, for the operator: a pause says why. */
  message: z.string(),
});
export type RebalanceStatus = z.infer<typeof RebalanceStatus>;

/** What the allocator gave the service: published ports and one virtual IP per network. */
export const Endpoint = z.object({
  /** The endpoint spec these allocations were made for. */
  spec: EndpointSpec,
  ports: z.array(PortConfig),
  virtualIps: z.array(z.object({ networkId: ObjectId, addr: z.string() })),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const Service = z.object({
  ...ObjectMeta,
  spec: ServiceSpec,
  /** The spec before the last update; a rollback swaps the two. */
  previousSpec: ServiceSpec.optional(),
  updateStatus: UpdateStatus.optional(),
  rebalanceStatus: RebalanceStatus.optional(),
  endpoint: Endpoint.optional(),
});
export type Service = z.infer<typeof Service>;
