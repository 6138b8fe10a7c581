import type { NodeDescription, TaskStatus } from "@shoal/store";
import type { TaskAssignment } from "../session-interface.ts";

/** The node a task runs on, as task templates and messages name it. */
export interface NodeIdentity {
  id: string;
  hostname: string;
}

/** What the engine says about one task's container. */
export interface ContainerObservation {
  containerId: string;
  taskId: string;
  /** The engine's state: created, running, paused, restarting, removing, exited, dead. */
  state: string;
  exitCode: number;
  /** The engine's error for a container that could not run (OCI errors, ...), else "". */
  error: string;
  oomKilled: boolean;
  /** Absent when the container has no healthcheck. */
  health?: "starting" | "healthy" | "unhealthy";
  /** Host ports bound for host-mode publishing. */
  hostPorts: number[];
  /** Each published target port's host port (host-mode and ingress ports). */
  portBindings?: PortBinding[];
  createdAtMs: number;
}

export type PortBinding = NonNullable<TaskStatus["portBindings"]>[number];

export interface ExitResult {
  exitCode: number;
  /** Empty for a clean exit; says why otherwise ("non-zero exit (2)", "container unhealthy"). */
  error: string;
}

export interface LogOptions {
  follow: boolean;
  /** Lines from the end; undefined = all. */
  tail?: number;
  /** Only records at or after this time. */
  sinceMs?: number;
  timestamps: boolean;
}

export interface LogRecord {
  stream: "stdout" | "stderr";
  /** One line, without its newline. With timestamps, the engine's RFC 3339 time comes first. */
  line: string;
}

/**
 * Runs task containers. The Docker executor is the real one; tests of the controller could use a
 * fake. Every method that talks to the engine throws AgentError(ENGINE_UNREACHABLE) when it cannot.
 */
export interface Executor {
  readonly engineAddress: string;
  describeNode(): Promise<NodeDescription>;
  /** Every container of this node that carries a task label, running or not. */
  listTaskContainers(): Promise<ContainerObservation[]>;
  inspect(containerId: string): Promise<ContainerObservation | undefined>;
  /** Image present or pulled, container created (or the task's existing one found). */
  prepare(assignment: TaskAssignment, node: NodeIdentity, signal: AbortSignal): Promise<ContainerObservation>;
  /** Starts the container (if not running) and resolves once it is healthy, when it has a healthcheck. */
  start(containerId: string, signal: AbortSignal): Promise<ContainerObservation>;
  /** Resolves when the container stops, or (for a healthchecked one) turns unhealthy. */
  wait(containerId: string, signal: AbortSignal): Promise<ExitResult>;
  /** Stops within the grace period (stop signal, then SIGKILL). Absent containers are fine. */
  stop(containerId: string, gracePeriodMs: number): Promise<void>;
  /** Removes the container (forcefully). Absent containers are fine. */
  remove(containerId: string): Promise<void>;
  logs(containerId: string, options: LogOptions, signal: AbortSignal): AsyncIterable<LogRecord>;
  /** Called whenever the events stream (re)connects: events may have been missed before it. */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}
