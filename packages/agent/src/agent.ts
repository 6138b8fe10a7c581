import { hostname as osHostname } from "node:os";
import type { NodeDescription, Task, TaskStatus } from "@shoal/store";
import { sleep } from "./abortable-sleep.ts";
import { type AgentLimits, resolveAgentLimits } from "./agent-limits.ts";
import { AgentError } from "./errors.ts";
import { type AttachTask, DockerExecutor } from "./executor/docker/docker-executor.ts";
import { engineAddressFromEnv } from "./executor/docker/engine-connection.ts";
import type { Executor, LogOptions, LogRecord, NodeIdentity } from "./executor/executor.ts";
import type { AssignmentMessage, AssignmentSource, StatusReporter } from "./session-interface.ts";
import { StatusBatcher } from "./status-batcher.ts";
import { TaskFiles } from "./task-files/task-files.ts";
import { Worker } from "./worker.ts";

export interface AgentOptions {
  /** This node's id (from its certificate). */
  nodeId: string;
  source: AssignmentSource;
  reporter: StatusReporter;
  /** Defaults to DOCKER_HOST, else docker's default socket. Ignored when `executor` is given. */
  engineAddress?: string;
  executor?: Executor;
  /** For `{{.Node.Hostname}}` and messages; defaults to the engine's host name, else the OS's. */
  hostname?: string;
  limits?: Partial<AgentLimits>;
  nowMs?: () => number;
  /** Runs before a task's container is stopped (the routing mesh takes the task out of rotation). */
  beforeTaskStop?: (task: Task) => Promise<void>;
  /** Runs before a task's container is created: its overlay networks and DNS (`TaskNetworks.attach`). */
  attachTask?: AttachTask;
  /** Runs once a task's container has started, before its health is awaited (VIP rules). */
  containerStarted?: (containerId: string) => Promise<void>;
  /**
   * Where tasks' secrets and configs are written; must be on a tmpfs for secrets. Default
   * `/dev/shm/shoal/<nodeId>`.
   */
  taskFilesDir?: string;
  /** Errors no task owns (a failed session, an orphan that would not go). Default: ignored. */
  onError?: (err: unknown) => void;
}

/**
 * The node agent: takes assignments from the session, runs one controller per task on the local
 * engine, sends their status back in batches, and reconciles with the containers it finds. See the
 * package README for what the session must do and in what order.
 */
export class Agent {
  readonly executor: Executor;
  readonly limits: AgentLimits;
  /** The secrets and configs the manager sent for this node's tasks, and their files. */
  readonly taskFiles: TaskFiles;
  private readonly batcher: StatusBatcher;
  private worker: Worker | undefined;
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();
  private started = false;
  private stopping: Promise<void> | undefined;
  private unsubscribeResync: (() => void) | undefined;
  private node: NodeIdentity | undefined;

  constructor(private readonly options: AgentOptions) {
    this.limits = resolveAgentLimits(options.limits);
    this.taskFiles = new TaskFiles({
      dir: options.taskFilesDir ?? `/dev/shm/shoal/${options.nodeId}`,
      waitMs: this.limits.taskFileWaitMs,
    });
    this.executor =
      options.executor ??
      new DockerExecutor(options.engineAddress ?? engineAddressFromEnv(), this.limits, {
        nodeId: options.nodeId,
        taskFiles: this.taskFiles,
        ...(options.attachTask ? { attachTask: options.attachTask } : {}),
        ...(options.containerStarted ? { containerStarted: options.containerStarted } : {}),
      });
    this.batcher = new StatusBatcher(options.reporter, this.limits, options.nowMs);
  }

  /** What the node registers with. Throws AgentError(ENGINE_UNREACHABLE) when the engine is down. */
  describeNode(): Promise<NodeDescription> {
    return this.executor.describeNode();
  }

  /** Starts taking assignments. Call once; the engine need not be up (tasks then say it is not). */
  async start(): Promise<void> {
    if (this.started) throw new AgentError("INVALID_CONFIG", "the agent was already started");
    this.started = true;
    this.node = { id: this.options.nodeId, hostname: this.options.hostname ?? (await this.engineHostname()) };
    const worker = new Worker({
      executor: this.executor,
      node: this.node,
      report: (taskId, status) => this.batcher.enqueue(taskId, status),
      nowMs: this.options.nowMs ?? Date.now,
      tasksMax: this.limits.tasksMax,
      onError: (err) => this.options.onError?.(err),
      ...(this.options.beforeTaskStop ? { beforeStop: this.options.beforeTaskStop } : {}),
    });
    this.worker = worker;
    this.unsubscribeResync = this.executor.onResync(() => {
      worker.resync().catch((err) => this.options.onError?.(err));
    });
    this.batcher.start();
    this.done = this.run(this.stopper.signal, worker);
  }

  /**
   * Stops taking assignments and reporting. Task containers keep running: a restarted agent adopts
   * those still assigned. Idempotent; resolves when everything has stopped.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopper.abort();
      await this.done;
      this.unsubscribeResync?.();
      await this.worker?.close();
      await this.batcher.stop();
      await this.executor.close();
    })();
    return this.stopping;
  }

  /** The agent's latest status for a task it holds. */
  taskStatus(taskId: string): TaskStatus | undefined {
    return this.worker?.controller(taskId)?.currentStatus;
  }

  /** Resolves once every status so far reached the reporter. */
  statusesFlushed(): Promise<void> {
    return this.batcher.flushed();
  }

  /** A task's container logs (stdout and stderr, demultiplexed). */
  async *logs(taskId: string, options: LogOptions, signal: AbortSignal): AsyncGenerator<LogRecord> {
    let containerId = this.worker?.controller(taskId)?.currentContainerId;
    if (!containerId) {
      const found = await this.executor.listTaskContainers();
      containerId = found.find((c) => c.taskId === taskId)?.containerId;
    }
    if (!containerId) throw new AgentError("TASK_NOT_FOUND", `task ${taskId} has no container on this node`);
    yield* this.executor.logs(containerId, options, signal);
  }

  private async engineHostname(): Promise<string> {
    try {
      return (await this.executor.describeNode()).hostname || osHostname();
    } catch {
      return osHostname();
    }
  }

  private async run(signal: AbortSignal, worker: Worker): Promise<void> {
    let delayMs = this.limits.sessionRetryDelayMsMin;
    while (!signal.aborted) {
      try {
        await this.consume(this.options.source.assignments(signal), worker);
        delayMs = this.limits.sessionRetryDelayMsMin;
      } catch (err) {
        if (!signal.aborted) this.options.onError?.(err);
      }
      await sleep(delayMs, signal);
      delayMs = Math.min(delayMs * 2, this.limits.sessionRetryDelayMsMax);
    }
  }

  /** One session's stream: a complete set first, then changes numbered one apart. */
  private async consume(stream: AsyncIterable<AssignmentMessage>, worker: Worker): Promise<void> {
    let expected: number | undefined;
    for await (const message of stream) {
      if (message.type === "complete") {
        this.taskFiles.held.replaceAll(message.files ?? []);
        await worker.applyComplete(message.assignments);
      } else {
        if (expected === undefined || message.sequence !== expected) {
          throw new AgentError(
            "ASSIGNMENT_SEQUENCE_GAP",
            `assignment change ${message.sequence} arrived, expected ${expected ?? "a complete set"}: restarting the session`,
          );
        }
        // Secrets and configs first: the tasks in the same message may need them.
        this.taskFiles.held.apply(message.fileChanges ?? []);
        await worker.applyChanges(message.changes);
      }
      expected = message.sequence + 1;
    }
  }
}
