import { z } from "zod";
import { Count, Labels, Milliseconds, ObjectId, ObjectName, Resources } from "./common.ts";

export const Mount = z.object({
  type: z.enum(["bind", "volume", "tmpfs"]),
  /** Host path (bind) or volume name (volume); absent for tmpfs and anonymous volumes. */
  source: z.string().optional(),
  target: z.string().min(1),
  readOnly: z.boolean(),
});
export type Mount = z.infer<typeof Mount>;

/** docker's HEALTHCHECK: test is ["NONE"] | ["CMD", ...] | ["CMD-SHELL", cmd]. */
export const Healthcheck = z.object({
  test: z.array(z.string()).min(1),
  intervalMs: Milliseconds,
  timeoutMs: Milliseconds,
  retries: Count,
  startPeriodMs: Milliseconds,
});
export type Healthcheck = z.infer<typeof Healthcheck>;

/** How a secret or config appears inside the container (a file under /run/secrets by default). */
export const FileTarget = z.object({
  name: z.string().min(1),
  uid: z.string(),
  gid: z.string(),
  mode: z.number().int().min(0).max(0o7777),
});
export type FileTarget = z.infer<typeof FileTarget>;

export const SecretReference = z.object({ secretId: ObjectId, secretName: ObjectName, file: FileTarget });
export type SecretReference = z.infer<typeof SecretReference>;

export const ConfigReference = z.object({ configId: ObjectId, configName: ObjectName, file: FileTarget });
export type ConfigReference = z.infer<typeof ConfigReference>;

export const ContainerSpec = z.object({
  image: z.string().min(1),
  command: z.array(z.string()),
  args: z.array(z.string()),
  /** KEY=value strings, as docker's --env. */
  env: z.array(z.string()),
  hostname: z.string(),
  user: z.string(),
  dir: z.string(),
  labels: Labels,
  mounts: z.array(Mount),
  healthcheck: Healthcheck.optional(),
  stopSignal: z.string(),
  stopGracePeriodMs: Milliseconds,
  secrets: z.array(SecretReference),
  configs: z.array(ConfigReference),
});
export type ContainerSpec = z.infer<typeof ContainerSpec>;

export const ResourceRequirements = z.object({
  limits: Resources,
  reservations: Resources,
});
export type ResourceRequirements = z.infer<typeof ResourceRequirements>;

export const RestartCondition = z.enum(["none", "on-failure", "any"]);
export type RestartCondition = z.infer<typeof RestartCondition>;

export const RestartPolicy = z.object({
  condition: RestartCondition,
  delayMs: Milliseconds,
  /** 0 = unlimited. */
  maxAttempts: Count,
  /** The window maxAttempts is counted in; 0 = for ever. */
  windowMs: Milliseconds,
});
export type RestartPolicy = z.infer<typeof RestartPolicy>;

export const Placement = z.object({
  /** `node.labels.zone == a`, `node.role != manager`, ... */
  constraints: z.array(z.string()),
  /** Spread evenly over the values of a label (`node.labels.zone`), one tree level each. */
  preferences: z.array(z.object({ spread: z.string().min(1) })),
  /** Max tasks of this service per node; 0 = unlimited. */
  maxReplicas: Count,
});
export type Placement = z.infer<typeof Placement>;

export const NetworkAttachmentConfig = z.object({
  /** Network id. */
  target: ObjectId,
  aliases: z.array(z.string()),
});
export type NetworkAttachmentConfig = z.infer<typeof NetworkAttachmentConfig>;

/** The template every task of a service is made from; each task keeps a copy. */
export const TaskSpec = z.object({
  containerSpec: ContainerSpec,
  resources: ResourceRequirements,
  restartPolicy: RestartPolicy,
  placement: Placement,
  networks: z.array(NetworkAttachmentConfig),
  /** Bumped to make tasks restart without another change (`service update --force`). */
  forceUpdate: Count,
});
export type TaskSpec = z.infer<typeof TaskSpec>;
