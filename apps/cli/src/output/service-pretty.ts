/** `service inspect --pretty`, in docker's layout. */
import { formatDurationMs } from "@shoal/compose";
import type { ServiceView } from "../api-types.ts";
import { formatBytes, formatPretty, formatTime, type PrettyEntry } from "./pretty.ts";

type UpdateConfig = ServiceView["spec"]["updateConfig"];

function updateConfigLines(title: string, c: UpdateConfig): PrettyEntry[] {
  return [
    [title],
    [" Parallelism", c.parallelism],
    [" Delay", c.delayMs > 0 ? formatDurationMs(c.delayMs) : undefined],
    [" On failure", c.failureAction],
    [" Monitoring Period", formatDurationMs(c.monitorMs)],
    [" Max failure ratio", c.maxFailureRatio],
    [" Update order", c.order],
  ];
}

/** `networkNames`: network id → name, to show networks by name (ids when missing). */
export function prettyService(s: ServiceView, networkNames: ReadonlyMap<string, string> = new Map()): string {
  const nameOf = (id: string) => networkNames.get(id) ?? id;
  const spec = s.spec;
  const tt = spec.taskTemplate;
  const cs = tt.containerSpec;
  const mode = spec.mode;
  const limits = tt.resources.limits;
  const reservations = tt.resources.reservations;
  const entries: PrettyEntry[] = [
    ["ID", s.id],
    ["Name", spec.name],
    ...labelLines("Labels", spec.labels),
    ["Service Mode", "replicated" in mode ? "Replicated" : "Global"],
    ...("replicated" in mode ? [[" Replicas", mode.replicated.replicas] as const] : []),
    ...(s.updateStatus
      ? ([
          ["UpdateStatus"],
          [" State", s.updateStatus.state],
          [" Started", formatTime(s.updateStatus.startedAtMs)],
          [" Message", s.updateStatus.message],
        ] as const)
      : []),
    ["Placement"],
    [" Constraints", tt.placement.constraints.length ? `[${tt.placement.constraints.join(" ")}]` : undefined],
    [" Preferences", tt.placement.preferences.map((p) => `spread=${p.spread}`).join(", ")],
    [" Max Replicas Per Node", tt.placement.maxReplicas || undefined],
    ...updateConfigLines("UpdateConfig", spec.updateConfig),
    ...updateConfigLines("RollbackConfig", spec.rollbackConfig),
    ["ContainerSpec"],
    [" Image", cs.image],
    [" Command", cs.command.join(" ")],
    [" Args", cs.args.join(" ")],
    [" Env", cs.env.join(" ")],
    [" User", cs.user],
    [" Dir", cs.dir],
    [" Healthcheck", cs.healthcheck ? cs.healthcheck.test.join(" ") : undefined],
    ...(cs.mounts.length
      ? [
          ["Mounts"] as const,
          ...cs.mounts.map(
            (m) => [` ${m.type}`, `${m.source ?? ""}:${m.target}${m.readOnly ? " (ro)" : ""}`] as const,
          ),
        ]
      : []),
    ...(cs.secrets.length
      ? [
          ["Secrets"] as const,
          ...cs.secrets.map((r) => [" Target", `${r.secretName} → ${r.file.name}`] as const),
        ]
      : []),
    ...(cs.configs.length
      ? [
          ["Configs"] as const,
          ...cs.configs.map((r) => [" Target", `${r.configName} → ${r.file.name}`] as const),
        ]
      : []),
    ["Resources"],
    ...(limits.nanoCpus || limits.memoryBytes
      ? ([
          [" Limits"],
          ["  CPU", limits.nanoCpus ? limits.nanoCpus / 1e9 : undefined],
          ["  Memory", limits.memoryBytes ? formatBytes(limits.memoryBytes) : undefined],
        ] as const)
      : []),
    ...(reservations.nanoCpus || reservations.memoryBytes
      ? ([
          [" Reservations"],
          ["  CPU", reservations.nanoCpus ? reservations.nanoCpus / 1e9 : undefined],
          ["  Memory", reservations.memoryBytes ? formatBytes(reservations.memoryBytes) : undefined],
        ] as const)
      : []),
    ["Restart Policy"],
    [" Condition", tt.restartPolicy.condition],
    [" Delay", formatDurationMs(tt.restartPolicy.delayMs)],
    [" Max Attempts", tt.restartPolicy.maxAttempts],
    ["Networks", tt.networks.map((n) => nameOf(n.target)).join(" ")],
    ["Endpoint Mode", spec.endpointSpec.mode],
    ...portLines(s),
    ...(s.endpoint?.virtualIps.length
      ? [
          ["Virtual IPs"] as const,
          ...s.endpoint.virtualIps.map((v) => [` ${nameOf(v.networkId)}`, v.addr] as const),
        ]
      : []),
  ];
  return formatPretty(entries);
}

function labelLines(title: string, labels: Record<string, string>): PrettyEntry[] {
  const keys = Object.keys(labels);
  return keys.length ? [[title], ...keys.map((k) => [` ${k}`, labels[k] ?? ""] as const)] : [];
}

function portLines(s: ServiceView): PrettyEntry[] {
  const ports = s.endpoint?.ports ?? s.spec.endpointSpec.ports;
  if (ports.length === 0) return [];
  return [
    ["Ports"],
    ...ports.flatMap((p): PrettyEntry[] => [
      [` PublishedPort = ${p.publishedPort}`],
      [`  Protocol = ${p.protocol}`],
      [`  TargetPort = ${p.targetPort}`],
      [`  PublishMode = ${p.publishMode}`],
    ]),
  ];
}
