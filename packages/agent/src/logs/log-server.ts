/**
 * Serves the leader's log subscriptions on this node: for each subscription message it reads the
 * named tasks' container logs (the Agent's `logs`, engine timestamps always on so the broker can
 * order lines across tasks) and publishes them in batches on a PublishLogs stream of its own.
 * A task without a container here is finished at once; the stream closes once every task is
 * finished (without follow, or when followed containers end). A later message naming more tasks
 * of a subscription being served (follow: a task started) adds them to it. A close message (the
 * subscriber went away) stops that subscription.
 * Start after the session; stop before it.
 */
import { LOG_LINE_BYTES_MAX, type SubscribeLogsMessage, TAIL_ALL } from "@shoal/rpc";
import { sleep } from "../abortable-sleep.ts";
import { isAgentError } from "../errors.ts";
import type { LogChannel, LogSource } from "./log-channel.ts";
import { type LogServingLimits, resolveLogServingLimits } from "./log-limits.ts";
import { splitTimestamp } from "./log-timestamp.ts";
import { PublishBatcher } from "./publish-batcher.ts";

export interface LogServerOptions {
  readonly channel: LogChannel;
  readonly source: LogSource;
  readonly limits?: Partial<LogServingLimits>;
  readonly nowMs?: () => number;
  /** Failures it recovered from (a dropped stream, a failed publish). */
  readonly onError?: (error: unknown) => void;
}

export class LogServer {
  readonly limits: LogServingLimits;
  // Invariant: at most limits.subscriptionsMax entries.
  private readonly active = new Map<string, Served>();
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();
  private readonly serving = new Set<Promise<void>>();

  constructor(private readonly options: LogServerOptions) {
    this.limits = resolveLogServingLimits(options.limits);
  }

  /** Subscriptions being served (tests). */
  get activeCount(): number {
    return this.active.size;
  }

  start(): void {
    this.done = this.run(this.stopper.signal);
  }

  /** Stops every subscription and waits. Idempotent. */
  async stop(): Promise<void> {
    this.stopper.abort();
    for (const served of this.active.values()) served.controller.abort();
    await this.done;
    await Promise.all(this.serving);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for await (const message of this.options.channel.logSubscriptions(signal))
          this.handleMessage(message);
      } catch (err) {
        if (!signal.aborted) this.options.onError?.(err);
      }
      // The session ended: its subscriptions ended on the broker too.
      for (const served of this.active.values()) served.controller.abort();
      await sleep(this.limits.retryDelayMs, signal);
    }
  }

  private handleMessage(message: SubscribeLogsMessage): void {
    const id = message.subscription_id;
    if (message.close) {
      this.active.get(id)?.controller.abort();
      return;
    }
    const existing = this.active.get(id);
    if (existing) {
      existing.add(message.task_ids);
      return;
    }
    const served = new Served();
    this.active.set(id, served);
    const { controller } = served;
    const serving = this.serve(message, served, AbortSignal.any([this.stopper.signal, controller.signal]))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) this.options.onError?.(err);
      })
      .finally(() => {
        if (this.active.get(id) === served) this.active.delete(id);
        this.serving.delete(serving);
      });
    this.serving.add(serving);
  }

  private async serve(message: SubscribeLogsMessage, served: Served, signal: AbortSignal): Promise<void> {
    const call = await this.options.channel.openLogPublisher(signal);
    if (!call) return;
    const batcher = new PublishBatcher(message.subscription_id, call, this.limits);
    try {
      if (this.active.size > this.limits.subscriptionsMax) {
        batcher.warn(
          `this node serves ${this.limits.subscriptionsMax} log subscriptions at most: try again later`,
        );
      } else {
        served.add(message.task_ids);
        await served.run((taskId) => this.serveTask(taskId, message, batcher, signal));
      }
      if (signal.aborted) return call.cancel();
      await batcher.flush(true);
      await call.finish();
    } catch (err) {
      call.cancel();
      throw err;
    } finally {
      batcher.dispose();
    }
  }

  private async serveTask(
    taskId: string,
    message: SubscribeLogsMessage,
    batcher: PublishBatcher,
    signal: AbortSignal,
  ): Promise<void> {
    const now = this.options.nowMs ?? Date.now;
    const options = {
      follow: message.follow,
      timestamps: true,
      ...(message.tail === TAIL_ALL ? {} : { tail: message.tail }),
      ...(message.since_ms > 0 ? { sinceMs: message.since_ms } : {}),
    };
    try {
      for await (const record of this.options.source.logs(taskId, options, signal)) {
        const { timestampMs, text } = splitTimestamp(record.line, now());
        if (timestampMs < message.since_ms) continue;
        const data = Buffer.from(text, "utf8").subarray(0, LOG_LINE_BYTES_MAX);
        await batcher.add({ task_id: taskId, stream: record.stream, timestamp_ms: timestampMs, data });
      }
    } catch (err) {
      if (signal.aborted) return;
      if (!isAgentError(err, "TASK_NOT_FOUND")) batcher.warn(`task ${taskId}: ${(err as Error).message}`);
    }
    batcher.finishTask(taskId);
  }
}

/** One subscription being served: its tasks, more of which may arrive while it runs. */
class Served {
  readonly controller = new AbortController();
  private readonly tasks = new Set<string>();
  private readonly waiting: string[] = [];
  private wake: (() => void) | undefined;

  add(taskIds: readonly string[]): void {
    for (const id of taskIds) {
      if (this.tasks.has(id)) continue;
      this.tasks.add(id);
      this.waiting.push(id);
    }
    this.wake?.();
  }

  /** Serves every task (including ones added meanwhile); resolves when all are done. */
  async run(serveTask: (taskId: string) => Promise<void>): Promise<void> {
    const running = new Set<Promise<void>>();
    for (;;) {
      for (const id of this.waiting.splice(0)) {
        const task: Promise<void> = serveTask(id).finally(() => running.delete(task));
        running.add(task);
      }
      if (running.size === 0) return;
      const added = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      await Promise.race([...running, added]);
      this.wake = undefined;
    }
  }
}
