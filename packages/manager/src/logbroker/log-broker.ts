/**
 * The leader's log broker (swarm's logbroker): a subscriber names services or tasks; the broker
 * finds the nodes running those tasks and sends each node's agent the subscription over that
 * node's SubscribeLogs stream; the agents publish lines on a PublishLogs stream per subscription;
 * the broker merges them (log-merge.ts) into the subscriber's stream. Without follow the stream
 * completes when every node has finished; a node that is not connected, or goes away, ends its
 * part with a warning. One broker per leadership term: the dispatcher owns it.
 */
import { type PublishLogsRequest, RpcError, type SubscribeLogsMessage, TAIL_ALL } from "@shoal/rpc";
import { type Store, type Task, TaskState } from "@shoal/store";
import type { Clock } from "../loop/clock.ts";
import { type LogBrokerLimits, resolveLogBrokerLimits } from "./log-broker-limits.ts";
import { LogSubscription } from "./log-subscription.ts";
import type { LogRequest, LogStream } from "./log-types.ts";

/** One node's SubscribeLogs stream: messages waiting to go out. */
interface NodeChannel {
  readonly queue: SubscribeLogsMessage[];
  wake: (() => void) | undefined;
  readonly closer: AbortController;
}

export interface LogBrokerOptions {
  readonly clock: Clock;
  readonly limits?: Partial<LogBrokerLimits>;
  readonly newId: () => string;
}

export class LogBroker {
  readonly limits: LogBrokerLimits;
  private readonly channels = new Map<string, NodeChannel>();
  private readonly subscriptions = new Map<string, LogSubscription>();
  private stopped = false;

  constructor(
    private readonly store: Pick<Store, "view" | "viewAndWatch">,
    private readonly options: LogBrokerOptions,
  ) {
    this.limits = resolveLogBrokerLimits(options.limits);
  }

  /** Nodes whose agent has its SubscribeLogs stream open (tests, diagnostics). */
  get connectedNodes(): string[] {
    return [...this.channels.keys()];
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** A subscriber's stream of log batches; it completes (no follow) or runs until `signal` aborts. */
  subscribe(request: LogRequest, signal: AbortSignal): LogStream {
    if (this.stopped) throw notLeading();
    if (this.subscriptions.size >= this.limits.subscriptionsMax) {
      throw new RpcError(
        "RESOURCE_EXHAUSTED",
        `${this.subscriptions.size} log subscriptions are open (the most this manager serves); close some and retry`,
      );
    }
    const taskNodes = this.resolveTasks(request);
    const subscription = new LogSubscription(
      this.options.newId(),
      request,
      taskNodes,
      this.options.clock,
      this.limits,
    );
    this.subscriptions.set(subscription.id, subscription);
    for (const nodeId of subscription.nodes) {
      const channel = this.channels.get(nodeId);
      if (!channel) {
        subscription.finishNode(nodeId, `node ${nodeId} is not connected: its tasks' logs are not available`);
        continue;
      }
      this.enqueue(channel, subscriptionMessage(subscription, subscription.tasksOn(nodeId)));
    }
    const following = subscription.keepsOpen ? this.followNewTasks(subscription) : Promise.resolve();
    const end = () => this.endSubscription(subscription);
    signal.addEventListener("abort", end, { once: true });
    return this.deliver(subscription, signal, async () => {
      signal.removeEventListener("abort", end);
      end();
      await following;
    });
  }

  /** The agent's SubscribeLogs stream: sends the node its subscriptions until `signal` aborts. */
  async serveNode(nodeId: string, signal: AbortSignal, send: (m: SubscribeLogsMessage) => Promise<void>) {
    this.channels.get(nodeId)?.closer.abort();
    const channel: NodeChannel = { queue: [], wake: undefined, closer: new AbortController() };
    this.channels.set(nodeId, channel);
    const stop = AbortSignal.any([signal, channel.closer.signal]);
    try {
      while (!stop.aborted && !this.stopped) {
        const message = channel.queue.shift();
        if (message) {
          await send(message);
          continue;
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            stop.removeEventListener("abort", done);
            channel.wake = undefined;
            resolve();
          };
          channel.wake = done;
          stop.addEventListener("abort", done, { once: true });
        });
      }
    } finally {
      if (this.channels.get(nodeId) === channel) this.channels.delete(nodeId);
      for (const subscription of this.subscriptions.values()) {
        subscription.finishNode(nodeId, `node ${nodeId} went away: its logs end here`);
      }
    }
  }

  /** The agent's PublishLogs stream for one subscription. */
  async publish(nodeId: string, messages: AsyncIterable<PublishLogsRequest>): Promise<void> {
    let subscription: LogSubscription | undefined;
    let closed = false;
    for await (const message of messages) {
      subscription ??= this.subscriptions.get(message.subscription_id);
      if (!subscription || subscription.id !== message.subscription_id || subscription.signal.aborted) return;
      await subscription.publish(
        nodeId,
        message.lines.map((l) => ({
          kind: "line",
          taskId: l.task_id,
          nodeId,
          stream: l.stream,
          timestampMs: l.timestamp_ms,
          line: l.data.toString("utf8"),
        })),
      );
      for (const warning of message.warnings) subscription.warn(nodeId, warning);
      subscription.finishTasks(nodeId, message.finished_task_ids);
      if (message.close) {
        closed = true;
        subscription.finishNode(nodeId);
        return;
      }
    }
    if (subscription && !closed) {
      subscription.finishNode(nodeId, `node ${nodeId} stopped publishing before its logs were complete`);
    }
  }

  /** Ends every subscription and node stream (the term ended). Idempotent. */
  stop(): void {
    this.stopped = true;
    for (const subscription of this.subscriptions.values()) subscription.close();
    this.subscriptions.clear();
    for (const channel of this.channels.values()) channel.closer.abort();
    this.channels.clear();
  }

  private async *deliver(
    subscription: LogSubscription,
    signal: AbortSignal,
    end: () => Promise<void>,
  ): LogStream {
    try {
      yield* subscription.messages(signal);
      if (subscription.signal.aborted && this.stopped) throw notLeading();
    } finally {
      await end();
    }
  }

  /** Forgets the subscription and tells the nodes still serving it to stop. Idempotent. */
  private endSubscription(subscription: LogSubscription): void {
    if (this.subscriptions.get(subscription.id) !== subscription) return;
    this.subscriptions.delete(subscription.id);
    subscription.close();
    for (const nodeId of subscription.nodes) {
      const channel = this.channels.get(nodeId);
      if (channel) this.enqueue(channel, subscriptionMessage(subscription, [], true));
    }
  }

  /** Follow of services: tasks of those services that start running later join the subscription. */
  private async followNewTasks(subscription: LogSubscription): Promise<void> {
    const services = new Set(subscription.request.serviceIds);
    try {
      const { snapshot, changes } = this.store.viewAndWatch(subscription.signal, ["task"]);
      for (const serviceId of services) {
        for (const task of snapshot.tasks.byService(serviceId)) this.maybeAddTask(subscription, task);
      }
      for await (const batch of changes) {
        for (const change of batch.changes) {
          if (change.kind === "task" && change.action !== "delete" && services.has(change.object.serviceId)) {
            this.maybeAddTask(subscription, change.object);
          }
        }
      }
    } catch (err) {
      if (!subscription.signal.aborted)
        subscription.warn("", `new tasks are no longer followed: ${String(err)}`);
    }
  }

  private maybeAddTask(subscription: LogSubscription, task: Task): void {
    if (!task.nodeId || task.status.state !== TaskState.Running) return;
    if (!subscription.addTask(task.id, task.nodeId)) return;
    const channel = this.channels.get(task.nodeId);
    if (channel) this.enqueue(channel, subscriptionMessage(subscription, [task.id]));
    else
      subscription.finishNode(
        task.nodeId,
        `node ${task.nodeId} is not connected: its tasks' logs are not available`,
      );
  }

  private enqueue(channel: NodeChannel, message: SubscribeLogsMessage): void {
    if (channel.queue.length >= this.limits.nodeQueueMax) {
      // The agent does not read its stream: drop it (its subscriptions end with a warning).
      channel.closer.abort();
      channel.wake?.();
      return;
    }
    channel.queue.push(message);
    channel.wake?.();
  }

  /** Task → node for the request, from this manager's store (tasks not yet on a node are skipped). */
  private resolveTasks(request: LogRequest): Map<string, string> {
    const taskNodes = new Map<string, string>();
    this.store.view((v) => {
      for (const serviceId of request.serviceIds) {
        for (const task of v.tasks.byService(serviceId)) if (task.nodeId) taskNodes.set(task.id, task.nodeId);
      }
      for (const taskId of request.taskIds) {
        const task = v.tasks.get(taskId);
        if (task?.nodeId) taskNodes.set(task.id, task.nodeId);
      }
    });
    if (taskNodes.size > this.limits.subscriptionTasksMax) {
      throw new RpcError(
        "INVALID_ARGUMENT",
        `the subscription names ${taskNodes.size} tasks (at most ${this.limits.subscriptionTasksMax}): ask for fewer services or tasks`,
      );
    }
    return taskNodes;
  }
}

function subscriptionMessage(
  subscription: LogSubscription,
  taskIds: string[],
  close = false,
): SubscribeLogsMessage {
  const { request } = subscription;
  return {
    subscription_id: subscription.id,
    task_ids: taskIds,
    follow: request.follow,
    since_ms: request.sinceMs ?? 0,
    tail: request.tail ?? TAIL_ALL,
    close,
  };
}

function notLeading(): RpcError {
  return new RpcError("UNAVAILABLE", "this manager no longer leads: subscribe to the logs again");
}
