import {
  type ConfigReference,
  DEFAULT_UPDATE_CONFIG,
  type Healthcheck,
  type Mount,
  type NetworkAttachmentConfig,
  type SecretReference,
  type ServiceSpec,
  type UpdateConfig,
} from "@shoal/store";
import type { ComposeConfig, ComposeService, ComposeUpdateConfig } from "./compose-model.ts";
import { clusterName } from "./convert-objects.ts";
import type { ComposeServiceExtensions } from "./service-extensions.ts";
import { serviceExtensions } from "./service-extensions.ts";
import { STACK_IMAGE_LABEL, scopedName, withStackLabel } from "./stack-names.ts";

/**
 * A service spec as the stack file describes it. Network targets hold network *names* and
 * secret/config references hold names with an empty id: `resolveStackReferences` fills in the ids
 * before the spec is sent. `composeExtensions` holds what the store's spec has no field for yet.
 */
export type StackServiceSpec = ServiceSpec & { composeExtensions: ComposeServiceExtensions };

/** A reference the file makes to something it does not define. */
export interface UndefinedReference {
  path: (string | number)[];
  message: string;
}

/** Swarm's defaults for what a stack file leaves out. */
export const DEFAULT_STOP_GRACE_PERIOD_MS = 10_000;
export const DEFAULT_RESTART_DELAY_MS = 5_000;
export const DEFAULT_HEALTHCHECK_INTERVAL_MS = 30_000;
export const DEFAULT_HEALTHCHECK_TIMEOUT_MS = 30_000;
export const DEFAULT_HEALTHCHECK_RETRIES = 3;
const DEFAULT_FILE_MODE = 0o444;

export function convertService(
  stackName: string,
  key: string,
  s: ComposeService,
  config: ComposeConfig,
  problems: UndefinedReference[],
): StackServiceSpec {
  const at = (...rest: (string | number)[]) => ["services", key, ...rest];
  if (!s.image) problems.push({ path: at(), message: `service "${key}" has no image` });
  const deploy = s.deploy ?? {};
  const image = s.image ?? "";
  const limits = deploy.resources?.limits;
  const reservations = deploy.resources?.reservations;
  const restart = deploy.restart_policy;
  const spec: StackServiceSpec = {
    name: scopedName(stackName, key),
    labels: { ...withStackLabel(stackName, deploy.labels), [STACK_IMAGE_LABEL]: image },
    taskTemplate: {
      containerSpec: {
        image,
        command: s.entrypoint ?? [],
        args: s.command ?? [],
        env: Object.entries(s.environment ?? {})
          .map(([k, v]) => (v === null ? k : `${k}=${v}`))
          .sort(),
        hostname: s.hostname ?? "",
        user: s.user ?? "",
        dir: s.working_dir ?? "",
        labels: withStackLabel(stackName, s.labels),
        mounts: convertMounts(stackName, s, config, problems, at),
        ...healthcheck(s),
        stopSignal: s.stop_signal ?? "",
        stopGracePeriodMs: s.stop_grace_period ?? DEFAULT_STOP_GRACE_PERIOD_MS,
        secrets: fileReferences(stackName, "secrets", s, config, problems, at) as SecretReference[],
        configs: fileReferences(stackName, "configs", s, config, problems, at) as ConfigReference[],
      },
      resources: {
        limits: { nanoCpus: limits?.cpus ?? 0, memoryBytes: limits?.memory ?? 0 },
        reservations: { nanoCpus: reservations?.cpus ?? 0, memoryBytes: reservations?.memory ?? 0 },
      },
      restartPolicy: {
        condition: restart?.condition ?? "any",
        delayMs: restart?.delay ?? DEFAULT_RESTART_DELAY_MS,
        maxAttempts: restart?.max_attempts ?? 0,
        windowMs: restart?.window ?? 0,
      },
      placement: {
        constraints: deploy.placement?.constraints ?? [],
        preferences: (deploy.placement?.preferences ?? []).map((p) => ({ spread: p.spread ?? "" })),
        maxReplicas: deploy.placement?.max_replicas_per_node ?? 0,
      },
      networks: convertNetworks(stackName, key, s, config, problems, at),
      forceUpdate: 0,
    },
    mode: deploy.mode === "global" ? { global: {} } : { replicated: { replicas: deploy.replicas ?? 1 } },
    updateConfig: updateConfig(deploy.update_config),
    rollbackConfig: updateConfig(deploy.rollback_config),
    endpointSpec: {
      mode: deploy.endpoint_mode ?? "vip",
      ports: (s.ports ?? []).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        protocol: p.protocol,
        targetPort: p.target,
        publishedPort: p.published ?? 0,
        publishMode: p.mode,
      })),
    },
    composeExtensions: serviceExtensions(stackName, s, config),
  };
  if (deploy.mode === "global" && deploy.replicas !== undefined) {
    problems.push({ path: at("deploy", "replicas"), message: "replicas cannot be set in global mode" });
  }
  return spec;
}

function updateConfig(c: ComposeUpdateConfig | undefined): UpdateConfig {
  return {
    parallelism: c?.parallelism ?? DEFAULT_UPDATE_CONFIG.parallelism,
    delayMs: c?.delay ?? DEFAULT_UPDATE_CONFIG.delayMs,
    failureAction: c?.failure_action ?? DEFAULT_UPDATE_CONFIG.failureAction,
    monitorMs: c?.monitor ?? DEFAULT_UPDATE_CONFIG.monitorMs,
    maxFailureRatio: c?.max_failure_ratio ?? DEFAULT_UPDATE_CONFIG.maxFailureRatio,
    order: c?.order ?? DEFAULT_UPDATE_CONFIG.order,
  };
}

function healthcheck(s: ComposeService): { healthcheck?: Healthcheck } {
  const h = s.healthcheck;
  if (!h) return {};
  const test = h.disable ? ["NONE"] : h.test;
  if (!test || test.length === 0) return {};
  return {
    healthcheck: {
      test,
      intervalMs: h.interval ?? DEFAULT_HEALTHCHECK_INTERVAL_MS,
      timeoutMs: h.timeout ?? DEFAULT_HEALTHCHECK_TIMEOUT_MS,
      retries: h.retries ?? DEFAULT_HEALTHCHECK_RETRIES,
      startPeriodMs: h.start_period ?? 0,
    },
  };
}

type At = (...rest: (string | number)[]) => (string | number)[];

function convertNetworks(
  stackName: string,
  key: string,
  s: ComposeService,
  config: ComposeConfig,
  problems: UndefinedReference[],
  at: At,
): NetworkAttachmentConfig[] {
  const attached = s.networks ?? { default: null };
  const out: NetworkAttachmentConfig[] = [];
  for (const [name, options] of Object.entries(attached)) {
    const def = config.networks[name];
    if (!def && name !== "default") {
      problems.push({
        path: at("networks", name),
        message: `service "${key}" refers to undefined network "${name}"`,
      });
      continue;
    }
    out.push({ target: clusterName(stackName, name, def), aliases: [...(options?.aliases ?? []), key] });
  }
  return out.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

function convertMounts(
  stackName: string,
  s: ComposeService,
  config: ComposeConfig,
  problems: UndefinedReference[],
  at: At,
): Mount[] {
  const mounts: Mount[] = (s.volumes ?? []).flatMap((v, i): Mount[] => {
    if (v.type === "npipe") {
      problems.push({ path: at("volumes", i), message: "npipe mounts are Windows-only and not supported" });
      return [];
    }
    const mount: Mount = { type: v.type, target: v.target, readOnly: v.read_only ?? false };
    if (v.type === "volume" && v.source) {
      const def = config.volumes[v.source];
      if (!def) {
        problems.push({ path: at("volumes", i), message: `undefined volume "${v.source}"` });
        return [];
      }
      mount.source = clusterName(stackName, v.source, def);
    } else if (v.source && v.type === "bind") {
      mount.source = v.source;
    }
    return [mount];
  });
  for (const target of s.tmpfs ?? []) mounts.push({ type: "tmpfs", target, readOnly: false });
  return mounts;
}

function fileReferences(
  stackName: string,
  kind: "secrets" | "configs",
  s: ComposeService,
  config: ComposeConfig,
  problems: UndefinedReference[],
  at: At,
): (SecretReference | ConfigReference)[] {
  return (s[kind] ?? []).flatMap((ref, i) => {
    const def = config[kind][ref.source];
    if (!def) {
      problems.push({ path: at(kind, i), message: `undefined ${kind.slice(0, -1)} "${ref.source}"` });
      return [];
    }
    const name = clusterName(stackName, ref.source, def);
    const file = {
      name: ref.target ?? ref.source,
      uid: ref.uid ?? "0",
      gid: ref.gid ?? "0",
      mode: ref.mode ?? DEFAULT_FILE_MODE,
    };
    return [
      kind === "secrets"
        ? { secretId: "", secretName: name, file }
        : { configId: "", configName: name, file },
    ];
  });
}
