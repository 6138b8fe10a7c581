import type { NodeDescription, Task } from "@shoal/store";
import type Dockerode from "dockerode";
import type { AgentLimits } from "../../agent-limits.ts";
import { AgentError } from "../../errors.ts";
import type { TaskAssignment } from "../../session-interface.ts";
import { TaskFiles } from "../../task-files/task-files.ts";
import type {
  ContainerObservation,
  Executor,
  ExitResult,
  LogOptions,
  LogRecord,
  NodeIdentity,
} from "../executor.ts";
import { containerCreateOptions } from "./container-config.ts";
import { exitResult, hasExited, observeContainer } from "./container-observation.ts";
import { ContainerWaiter } from "./container-waiter.ts";
import {
  callEngine,
  connectEngine,
  engineErrorMessage,
  engineStatusCode,
  isEngineUnreachable,
} from "./engine-connection.ts";
import { EngineEvents } from "./engine-events.ts";
import { ensureImage } from "./image-puller.ts";
import { demuxLogs } from "./log-demux.ts";
import { nodeDescriptionFromInfo } from "./node-description.ts";
import { NODE_ID_LABEL, TASK_ID_LABEL } from "./task-labels.ts";

export type DockerExecutorLimits = Pick<
  AgentLimits,
  "imagePullTimeoutMs" | "eventsReconnectDelayMsMin" | "eventsReconnectDelayMsMax" | "stopSlackMs"
>;

/** What joins a task's container to its networks: merged into the create call, then connected. */
export interface ContainerNetworkAttachment {
  hostConfig: Dockerode.HostConfig;
  networkingConfig: Dockerode.ContainerCreateOptions["NetworkingConfig"];
  /** Networks joined after create, before start (the engine takes one at create). */
  connect?: ReadonlyArray<{ network: string; ipv4Address: string }>;
}

/** Brings a task's networks up on this node and says how its container joins them (none: undefined). */
export type AttachTask = (task: Task, signal: AbortSignal) => Promise<ContainerNetworkAttachment | undefined>;

export interface DockerExecutorOptions {
  /** Called before a task's container is created (overlays, DNS): see `TaskNetworks.attach`. */
  readonly attachTask?: AttachTask;
  /** Called once a task's container has started, before its health is awaited (VIP rules). */
  readonly containerStarted?: (containerId: string) => Promise<void>;
  /**
   * Only containers labelled with this node id are this executor's (listed, adopted, removed,
   * watched). Several nodes may share one engine (tests, several node processes on one host);
   * without it every task container on the engine counts as this node's.
   */
  readonly nodeId?: string;
  /** Writes tasks' secrets and configs (on a tmpfs) and mounts them; without it such tasks are rejected. */
  readonly taskFiles?: TaskFiles;
}

/** Runs task containers on one Docker Engine through dockerode. */
export class DockerExecutor implements Executor {
  private readonly docker: Dockerode;
  private readonly events: EngineEvents;
  private readonly waiter: ContainerWaiter;
  private readonly ownLabels: readonly string[];
  private readonly attachTask: AttachTask | undefined;
  private readonly containerStarted: ((containerId: string) => Promise<void>) | undefined;
  private readonly taskFiles: TaskFiles | undefined;

  constructor(
    readonly engineAddress: string,
    private readonly limits: DockerExecutorLimits,
    options: DockerExecutorOptions = {},
  ) {
    this.docker = connectEngine(engineAddress);
    this.ownLabels = options.nodeId ? [`${NODE_ID_LABEL}=${options.nodeId}`] : [];
    this.attachTask = options.attachTask;
    this.containerStarted = options.containerStarted;
    this.taskFiles = options.taskFiles;
    this.events = new EngineEvents(this.docker, limits, this.ownLabels);
    this.waiter = new ContainerWaiter(this.events, (id) => this.inspect(id));
    this.events.start();
  }

  async close(): Promise<void> {
    await this.events.close();
  }

  onResync(listener: () => void): () => void {
    return this.events.onResync(listener);
  }

  async describeNode(): Promise<NodeDescription> {
    const info = await this.engine(() => this.docker.info());
    return nodeDescriptionFromInfo(info);
  }

  async listTaskContainers(filterTaskId?: string): Promise<ContainerObservation[]> {
    const label = filterTaskId ? `${TASK_ID_LABEL}=${filterTaskId}` : TASK_ID_LABEL;
    const listed = await this.engine(() =>
      this.docker.listContainers({
        all: true,
        filters: JSON.stringify({ label: [label, ...this.ownLabels] }),
      }),
    );
    const out: ContainerObservation[] = [];
    for (const c of listed) {
      const observation = await this.inspect(c.Id);
      if (observation) out.push(observation);
    }
    // The first complete listing: files of tasks whose containers are gone were left by an earlier run.
    if (!filterTaskId) await this.taskFiles?.pruneOnce(new Set(out.map((o) => o.taskId)));
    return out;
  }

  async inspect(containerId: string): Promise<ContainerObservation | undefined> {
    try {
      return observeContainer(await this.engine(() => this.docker.getContainer(containerId).inspect()));
    } catch (err) {
      if (engineStatusCode(err) === 404) return undefined;
      throw err;
    }
  }

  async prepare(
    assignment: TaskAssignment,
    node: NodeIdentity,
    signal: AbortSignal,
  ): Promise<ContainerObservation> {
    // No listing first (one engine call fewer per task): the container's name is the task's, so a
    // container this task already has makes the create fail with 409 and is used then.
    const spec = assignment.task.spec.containerSpec;
    await ensureImage(
      this.docker,
      this.engineAddress,
      spec.image,
      node,
      this.limits.imagePullTimeoutMs,
      signal,
    );
    const options = containerCreateOptions(assignment, node);
    let later: NonNullable<ContainerNetworkAttachment["connect"]> = [];
    if (this.attachTask) {
      let attachment: ContainerNetworkAttachment | undefined;
      try {
        attachment = await this.attachTask(assignment.task, signal);
      } catch (err) {
        if (err instanceof AgentError) throw err;
        throw new AgentError(
          "NETWORK_ATTACH_FAILED",
          `cannot attach the task to its network: ${String(err)}`,
          {
            cause: err,
          },
        );
      }
      if (attachment) {
        options.HostConfig = { ...options.HostConfig, ...attachment.hostConfig };
        options.NetworkingConfig = attachment.networkingConfig;
        later = attachment.connect ?? [];
      }
    }
    if (TaskFiles.needsFiles(assignment.task)) {
      if (!this.taskFiles) {
        throw new AgentError(
          "TASK_FILES_UNAVAILABLE",
          "this executor was started without a place for secrets and configs",
        );
      }
      const mounts = await this.taskFiles.mountsFor(assignment.task, signal);
      options.HostConfig = {
        ...options.HostConfig,
        Mounts: [...(options.HostConfig?.Mounts ?? []), ...mounts],
      };
    }
    let containerId: string;
    try {
      containerId = (await this.engine(() => this.docker.createContainer(options))).id;
    } catch (err) {
      if (isEngineUnreachable(err)) throw err;
      // Another create for this task won the race: use its container.
      const raced =
        engineStatusCode(err) === 409 ? await this.existingContainer(assignment.task.id) : undefined;
      if (raced) return raced;
      await this.taskFiles?.remove(assignment.task.id);
      throw new AgentError(
        "CONTAINER_CREATE_FAILED",
        `cannot create the container: ${engineErrorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
    for (const join of later) {
      try {
        await this.engine(() =>
          this.docker.getNetwork(join.network).connect({
            Container: containerId,
            EndpointConfig: { IPAMConfig: { IPv4Address: join.ipv4Address } },
          }),
        );
      } catch (err) {
        if (isEngineUnreachable(err)) throw err;
        await this.docker
          .getContainer(containerId)
          .remove({ force: true })
          .catch(() => undefined);
        await this.taskFiles?.remove(assignment.task.id);
        throw new AgentError(
          "NETWORK_ATTACH_FAILED",
          `cannot connect the container to network ${join.network} at ${join.ipv4Address}: ${engineErrorMessage(err)}`,
          { cause: err },
        );
      }
    }
    const created = await this.inspect(containerId);
    if (!created)
      throw new AgentError("CONTAINER_GONE", "the container was removed right after it was created");
    return created;
  }

  async start(containerId: string, signal: AbortSignal): Promise<ContainerObservation> {
    const before = await this.inspect(containerId);
    if (!before) throw new AgentError("CONTAINER_GONE", "the task's container no longer exists");
    if (before.state === "created") {
      try {
        await this.engine(() => this.docker.getContainer(containerId).start());
      } catch (err) {
        if (isEngineUnreachable(err) || engineStatusCode(err) === 304) throw err;
        throw new AgentError(
          "CONTAINER_START_FAILED",
          `cannot start the container: ${engineErrorMessage(err)}`,
          {
            cause: err,
          },
        );
      }
    }
    if (this.containerStarted && before.state === "created") {
      try {
        await this.containerStarted(containerId);
      } catch (err) {
        throw new AgentError(
          "CONTAINER_START_FAILED",
          `cannot set the container's networking up: ${String(err)}`,
          {
            cause: err,
          },
        );
      }
    }
    const started = await this.inspect(containerId);
    if (!started) throw new AgentError("CONTAINER_GONE", "the task's container was removed while starting");
    // Without a healthcheck a started container is running, even if it already ended: wait() says how.
    if (started.health === undefined) return started;
    return this.waiter.waitFor(containerId, signal, (o) => {
      if (!o) throw new AgentError("CONTAINER_GONE", "the task's container was removed while starting");
      if (hasExited(o)) {
        throw new AgentError(
          "CONTAINER_START_FAILED",
          `${exitResult(o).error || "task: exited"} before it was healthy`,
        );
      }
      if (o.health === "unhealthy") throw new AgentError("CONTAINER_UNHEALTHY", "task: container unhealthy");
      return o.health === "healthy" ? o : undefined;
    });
  }

  async wait(containerId: string, signal: AbortSignal): Promise<ExitResult> {
    const outcome = await this.waiter.waitFor(containerId, signal, (o) => {
      type Outcome = { gone: true } | { exit: ExitResult } | { unhealthy: true };
      if (!o) return { gone: true } as Outcome;
      if (hasExited(o)) return { exit: exitResult(o) } as Outcome;
      if (o.health === "unhealthy") return { unhealthy: true } as Outcome;
      return undefined;
    });
    if ("gone" in outcome) return { exitCode: -1, error: "task: the container was removed" };
    if ("exit" in outcome) return outcome.exit;
    // As swarm: an unhealthy task is stopped and fails.
    const inspect = await this.inspect(containerId);
    await this.stop(containerId, 0);
    return { exitCode: inspect?.exitCode ?? -1, error: "task: container unhealthy" };
  }

  async stop(containerId: string, gracePeriodMs: number): Promise<void> {
    const t = Math.ceil(gracePeriodMs / 1_000);
    const abortSignal = AbortSignal.timeout(gracePeriodMs + this.limits.stopSlackMs);
    try {
      await this.engine(() => this.docker.getContainer(containerId).stop({ t, abortSignal }));
    } catch (err) {
      const status = engineStatusCode(err);
      // 304: already stopped; 404: already gone.
      if (status !== 304 && status !== 404) throw err;
    }
  }

  async remove(containerId: string): Promise<void> {
    const taskId = this.taskFiles ? (await this.inspect(containerId))?.taskId : undefined;
    await this.removeContainer(containerId);
    // The task's secrets and configs go with its (last) container.
    if (taskId && this.taskFiles && (await this.listTaskContainers(taskId)).length === 0) {
      await this.taskFiles.remove(taskId);
    }
  }

  private async removeContainer(containerId: string): Promise<void> {
    try {
      await this.engine(() => this.docker.getContainer(containerId).remove({ force: true }));
    } catch (err) {
      const status = engineStatusCode(err);
      // 404: already gone; 409: a removal is already under way.
      if (status !== 404 && status !== 409) throw err;
    }
  }

  async *logs(containerId: string, options: LogOptions, signal: AbortSignal): AsyncGenerator<LogRecord> {
    const request = {
      stdout: true,
      stderr: true,
      timestamps: options.timestamps,
      since: options.sinceMs === undefined ? 0 : Math.floor(options.sinceMs / 1_000),
      abortSignal: signal,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
    };
    const container = this.docker.getContainer(containerId);
    const source = options.follow
      ? await this.engine(() => container.logs({ ...request, follow: true }))
      : await this.engine(() => container.logs({ ...request, follow: false }));
    try {
      yield* demuxLogs(source as Buffer | AsyncIterable<Buffer>);
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  }

  /** The task's container, if one exists; extra ones (which must never exist) are removed. */
  private async existingContainer(taskId: string): Promise<ContainerObservation | undefined> {
    const found = await this.listTaskContainers(taskId);
    found.sort((a, b) => b.createdAtMs - a.createdAtMs);
    for (const extra of found.slice(1)) await this.remove(extra.containerId);
    return found[0];
  }

  private engine<T>(call: () => Promise<T>): Promise<T> {
    return callEngine(this.engineAddress, call);
  }
}
