import type Dockerode from "dockerode";
import type { ContainerObservation, ExitResult, PortBinding } from "../executor.ts";
import { TASK_ID_LABEL } from "./task-labels.ts";

/** The host ports a container's published ports are bound to, each once (IPv4 and IPv6 share one). */
function boundHostPorts(
  ports: Dockerode.ContainerInspectInfo["NetworkSettings"]["Ports"] | undefined,
): number[] {
  const out = new Set<number>();
  for (const bindings of Object.values(ports ?? {})) {
    for (const b of bindings ?? []) {
      const port = Number(b.HostPort);
      if (Number.isInteger(port) && port > 0) out.add(port);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Each bound target port with its host port (first binding per target port and protocol). */
function portBindings(
  ports: Dockerode.ContainerInspectInfo["NetworkSettings"]["Ports"] | undefined,
): PortBinding[] {
  const out: PortBinding[] = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [target, protocol] = key.split("/");
    const hostPort = Number(bindings?.[0]?.HostPort);
    const targetPort = Number(target);
    if (protocol !== "tcp" && protocol !== "udp") continue;
    if (!Number.isInteger(hostPort) || hostPort <= 0 || !Number.isInteger(targetPort)) continue;
    out.push({ protocol, targetPort, hostPort });
  }
  return out;
}

export function observeContainer(info: Dockerode.ContainerInspectInfo): ContainerObservation {
  const health = info.State.Health?.Status;
  const observation: ContainerObservation = {
    containerId: info.Id,
    taskId: info.Config.Labels?.[TASK_ID_LABEL] ?? "",
    state: info.State.Status,
    exitCode: info.State.ExitCode,
    error: info.State.Error ?? "",
    oomKilled: info.State.OOMKilled,
    hostPorts: boundHostPorts(info.NetworkSettings?.Ports),
    portBindings: portBindings(info.NetworkSettings?.Ports),
    createdAtMs: Date.parse(info.Created) || 0,
  };
  if (health === "starting" || health === "healthy" || health === "unhealthy") observation.health = health;
  return observation;
}

export function hasExited(observation: ContainerObservation): boolean {
  return observation.state === "exited" || observation.state === "dead";
}

/** swarm's words for how a container ended. */
export function exitResult(observation: ContainerObservation): ExitResult {
  const { exitCode } = observation;
  if (exitCode === 0 && !observation.error) return { exitCode, error: "" };
  let error = `task: non-zero exit (${exitCode})`;
  if (observation.oomKilled) error += ": container killed: out of memory";
  else if (observation.error) error += `: ${observation.error}`;
  return { exitCode, error };
}
