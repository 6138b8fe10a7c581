import {
  ConfigReference,
  Count,
  DEFAULT_UPDATE_CONFIG,
  type FileTarget,
  Healthcheck,
  Labels,
  Milliseconds,
  Mount,
  ObjectName,
  PortProtocol,
  RestartCondition,
  SecretReference,
  ServiceSpec,
  UpdateFailureAction,
} from "@shoal/store";
import { z } from "zod";

/**
 * A service spec as callers write it: only the name and the image are required, everything else
 * has docker's defaults. Secrets, configs and networks are named (name or id); the control API
 * resolves them to ids. Durations are milliseconds.
 */

const FileTargetInput = z.object({
  /** File name under /run/secrets (or / for configs); defaults to the source's name. */
  target: z.string().min(1).optional(),
  uid: z.string().default("0"),
  gid: z.string().default("0"),
  mode: z.number().int().min(0).max(0o7777).default(0o444),
});

const ReferenceInput = FileTargetInput.extend({ source: z.string().min(1) });

/** `{ source: name or id, target?, uid?, gid?, mode? }`, or a reference as stored (inspect output). */
export const SecretReferenceInput = z.union([
  ReferenceInput,
  SecretReference.transform((r) => ({ source: r.secretId, target: r.file.name, ...fileOf(r.file) })),
]);
export type SecretReferenceInput = z.input<typeof SecretReferenceInput>;
export const ConfigReferenceInput = z.union([
  ReferenceInput,
  ConfigReference.transform((r) => ({ source: r.configId, target: r.file.name, ...fileOf(r.file) })),
]);
export type ConfigReferenceInput = z.input<typeof ConfigReferenceInput>;

function fileOf(file: FileTarget): { uid: string; gid: string; mode: number } {
  return { uid: file.uid, gid: file.gid, mode: file.mode };
}

export const ContainerSpecInput = z.object({
  image: z.string().min(1, "an image is required"),
  command: z.array(z.string()).default([]),
  args: z.array(z.string()).default([]),
  env: z.array(z.string().regex(/^[^=]+=/, "env entries are KEY=value")).default([]),
  hostname: z.string().default(""),
  user: z.string().default(""),
  dir: z.string().default(""),
  labels: Labels.default({}),
  mounts: z.array(Mount.extend({ readOnly: z.boolean().default(false) })).default([]),
  healthcheck: Healthcheck.optional(),
  stopSignal: z.string().default("SIGTERM"),
  stopGracePeriodMs: Milliseconds.default(10_000),
  secrets: z.array(SecretReferenceInput).default([]),
  configs: z.array(ConfigReferenceInput).default([]),
});

const ResourcesInput = z.object({ nanoCpus: Count.default(0), memoryBytes: Count.default(0) });

export const RestartPolicyInput = z.object({
  condition: RestartCondition.default("any"),
  delayMs: Milliseconds.default(5_000),
  maxAttempts: Count.default(0),
  windowMs: Milliseconds.default(0),
});

export const PlacementInput = z.object({
  constraints: z.array(z.string()).default([]),
  preferences: z.array(z.object({ spread: z.string().min(1) })).default([]),
  maxReplicas: Count.default(0),
});

export const TaskSpecInput = z.object({
  containerSpec: ContainerSpecInput,
  resources: z
    .object({ limits: ResourcesInput.prefault({}), reservations: ResourcesInput.prefault({}) })
    .prefault({}),
  restartPolicy: RestartPolicyInput.prefault({}),
  placement: PlacementInput.prefault({}),
  /** Network names or ids. */
  networks: z
    .array(z.object({ target: z.string().min(1), aliases: z.array(z.string()).default([]) }))
    .default([]),
  forceUpdate: Count.default(0),
});

export const UpdateConfigInput = z.object({
  parallelism: Count.default(DEFAULT_UPDATE_CONFIG.parallelism),
  delayMs: Milliseconds.default(DEFAULT_UPDATE_CONFIG.delayMs),
  failureAction: UpdateFailureAction.default(DEFAULT_UPDATE_CONFIG.failureAction),
  monitorMs: Milliseconds.default(DEFAULT_UPDATE_CONFIG.monitorMs),
  maxFailureRatio: z.number().min(0).max(1).default(DEFAULT_UPDATE_CONFIG.maxFailureRatio),
  order: z.enum(["stop-first", "start-first"]).default(DEFAULT_UPDATE_CONFIG.order),
});

export const PortConfigInput = z.object({
  name: z.string().optional(),
  protocol: PortProtocol.default("tcp"),
  targetPort: z.number().int().min(1).max(65_535),
  publishedPort: z.number().int().min(0).max(65_535).default(0),
  publishMode: z.enum(["ingress", "host"]).default("ingress"),
});

/** `{ replicated: { replicas } }` or `{ global: {} }`: exactly one key. */
export const ServiceModeInput = z.union([
  z.strictObject({ replicated: z.object({ replicas: Count.default(1) }) }),
  z.strictObject({ global: z.object({}) }),
]);

export const ServiceSpecInput = z.object({
  name: ObjectName,
  labels: Labels.default({}),
  taskTemplate: TaskSpecInput,
  mode: ServiceModeInput.default({ replicated: { replicas: 1 } }),
  updateConfig: UpdateConfigInput.prefault({}),
  rollbackConfig: UpdateConfigInput.prefault({}),
  endpointSpec: z
    .object({ mode: z.enum(["vip", "dnsrr"]).default("vip"), ports: z.array(PortConfigInput).default([]) })
    .prefault({}),
  /**
   * Shoal only: "auto" evens out the service's tasks when a node comes up, "off" never does (the
   * store's schema). Left out: a new service follows the cluster's `orchestration.rebalance`, an
   * update keeps the service's current setting; null: back to following the cluster.
   */
  rebalance: ServiceSpec.shape.rebalance.nullable(),
});
export type ServiceSpecInput = z.input<typeof ServiceSpecInput>;
export type ParsedServiceSpecInput = z.output<typeof ServiceSpecInput>;
