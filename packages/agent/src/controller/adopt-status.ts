import { isTerminalTaskState, TaskState, type TaskStatus } from "@shoal/store";
import { exitResult, hasExited } from "../executor/docker/container-observation.ts";
import type { ContainerObservation } from "../executor/executor.ts";
import type { ControllerStart } from "./task-controller.ts";

/**
 * Where a controller begins for an assigned task, given the container reconciliation found for it
 * (if any) and the last status the manager has. The engine's word wins, but never backwards.
 */
export function adoptStatus(
  known: TaskStatus,
  container: ContainerObservation | undefined,
  nowMs: number,
): ControllerStart {
  if (isTerminalTaskState(known.state)) {
    return container
      ? { status: known, containerId: container.containerId, reportNow: false }
      : { status: known, reportNow: false };
  }
  if (!container) {
    if (known.state < TaskState.Starting) return { status: known, reportNow: false };
    const status: TaskStatus = {
      state: TaskState.Failed,
      message: "failed",
      err: "task: the container no longer exists",
      timestampMs: nowMs,
    };
    return { status, reportNow: true };
  }
  const base = { timestampMs: nowMs, containerId: container.containerId };
  let status: TaskStatus;
  if (hasExited(container)) {
    const exit = exitResult(container);
    status = exit.error
      ? { ...base, state: TaskState.Failed, message: "started", err: exit.error, exitCode: exit.exitCode }
      : { ...base, state: TaskState.Complete, message: "finished", exitCode: exit.exitCode };
  } else if (container.state === "created") {
    status =
      known.state <= TaskState.Starting
        ? { ...base, state: Math.max(TaskState.Ready, known.state), message: "prepared" }
        : {
            ...base,
            state: TaskState.Failed,
            message: "failed",
            err: "task: the container is no longer running",
          };
  } else if (container.health === "starting") {
    status = { ...base, state: Math.max(TaskState.Starting, known.state), message: "starting" };
  } else {
    status = { ...base, state: TaskState.Running, message: "started" };
    if (container.hostPorts.length > 0) status.hostPorts = container.hostPorts;
    if (container.portBindings?.length) status.portBindings = container.portBindings;
  }
  if (status.state < known.state) status = { ...known, containerId: container.containerId };
  return { status, containerId: container.containerId, reportNow: true };
}
