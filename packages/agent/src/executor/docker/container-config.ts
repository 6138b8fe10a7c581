import type { Mount, PortConfig, Task } from "@shoal/store";
import type Dockerode from "dockerode";
import type { TaskAssignment } from "../../session-interface.ts";
import type { NodeIdentity } from "../executor.ts";
import { taskContainerLabels, taskName } from "./task-labels.ts";
import { expandEnv, expandTemplate, type TemplateContext } from "./task-templates.ts";

const NS_PER_MS = 1_000_000;

export function templateContext(assignment: TaskAssignment, node: NodeIdentity): TemplateContext {
  const { task, service } = assignment;
  return {
    service: { id: service.id, name: service.name },
    node: { id: node.id, hostname: node.hostname },
    task: { id: task.id, name: taskName(task, service.name), slot: task.slot },
  };
}

/** Ports published in host mode: bound on this node only. Ingress ports belong to the routing mesh. */
export function hostModePorts(task: Task): PortConfig[] {
  return (task.endpoint?.ports ?? []).filter((p) => p.publishMode === "host");
}

/**
 * Ingress-published ports: the target port is bound to a host port the engine picks, which the
 * agent reports (`status.portBindings`); every node's routing mesh forwards to `node address:that
 * port`, so the mesh reaches tasks on any host without an overlay.
 */
export function ingressPorts(task: Task): PortConfig[] {
  return (task.endpoint?.ports ?? []).filter((p) => p.publishMode === "ingress" && p.protocol !== "sctp");
}

function dockerMount(mount: Mount, context: TemplateContext): Dockerode.MountSettings {
  const target = expandTemplate(mount.target, context, `mount target ${mount.target}`);
  const source = mount.source
    ? expandTemplate(mount.source, context, `mount source ${mount.source}`)
    : undefined;
  // An empty source means none: tmpfs mounts and anonymous volumes.
  return {
    Type: mount.type,
    Source: mount.type === "tmpfs" ? "" : (source ?? ""),
    Target: target,
    ReadOnly: mount.readOnly,
  };
}

/** docker's stop timeout is whole seconds: a grace period is rounded up, never down. */
export function stopTimeoutSeconds(gracePeriodMs: number): number {
  return Math.ceil(gracePeriodMs / 1_000);
}

function healthcheckConfig(task: Task): Dockerode.HealthConfig | undefined {
  const hc = task.spec.containerSpec.healthcheck;
  if (!hc) return undefined;
  return {
    Test: hc.test,
    Interval: hc.intervalMs * NS_PER_MS,
    Timeout: hc.timeoutMs * NS_PER_MS,
    Retries: hc.retries,
    StartPeriod: hc.startPeriodMs * NS_PER_MS,
  };
}

/**
 * The engine's create request for a task. The restart policy is always "no": the manager decides
 * about restarts and makes a new task for each.
 */
export function containerCreateOptions(
  assignment: TaskAssignment,
  node: NodeIdentity,
): Dockerode.ContainerCreateOptions {
  const { task, service } = assignment;
  const spec = task.spec.containerSpec;
  const context = templateContext(assignment, node);
  const ports = hostModePorts(task);
  const exposed: Record<string, object> = {};
  const bindings: Dockerode.PortMap = {};
  for (const p of ports) {
    const key = `${p.targetPort}/${p.protocol}`;
    exposed[key] = {};
    const existing = bindings[key] ?? [];
    existing.push({ HostIp: "", HostPort: p.publishedPort > 0 ? String(p.publishedPort) : "" });
    bindings[key] = existing;
  }
  for (const p of ingressPorts(task)) {
    const key = `${p.targetPort}/${p.protocol}`;
    exposed[key] = {};
    if (!bindings[key]?.some((b) => b.HostPort === ""))
      bindings[key] = [...(bindings[key] ?? []), { HostIp: "", HostPort: "" }];
  }
  const { limits, reservations } = task.spec.resources;
  const options: Dockerode.ContainerCreateOptions = {
    name: taskName(task, service.name),
    Image: spec.image,
    Env: expandEnv(spec.env, context),
    Labels: taskContainerLabels(task, service, node),
    Tty: false,
    ExposedPorts: exposed,
    HostConfig: {
      RestartPolicy: { Name: "no" },
      Mounts: spec.mounts.map((m) => dockerMount(m, context)),
      PortBindings: bindings,
      NanoCpus: limits.nanoCpus || undefined,
      Memory: limits.memoryBytes || undefined,
      MemoryReservation: reservations.memoryBytes || undefined,
    },
  };
  if (spec.command.length > 0) options.Entrypoint = spec.command;
  if (spec.args.length > 0) options.Cmd = spec.args;
  if (spec.hostname) options.Hostname = expandTemplate(spec.hostname, context, "hostname");
  if (spec.user) options.User = spec.user;
  if (spec.dir) options.WorkingDir = spec.dir;
  if (spec.stopSignal) options.StopSignal = spec.stopSignal;
  options.StopTimeout = stopTimeoutSeconds(spec.stopGracePeriodMs);
  const healthcheck = healthcheckConfig(task);
  if (healthcheck) options.Healthcheck = healthcheck;
  return options;
}
