/**
 * Gathers one subscription's lines into PublishLogs messages: a batch goes out when it holds
 * `publishBatchLinesMax` lines or `publishFlushMs` after its first line. Sends are serialized;
 * `add` waits while a full batch is being sent (the broker's flow control reaches the engine's
 * log stream this way).
 */
import type { ClientStreamCall, LogLine } from "@shoal/rpc";
import type { PublishLogsBatch } from "./log-channel.ts";
import type { LogServingLimits } from "./log-limits.ts";

export class PublishBatcher {
  private lines: LogLine[] = [];
  private finished: string[] = [];
  private warnings: string[] = [];
  private sending: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscriptionId: string,
    private readonly call: ClientStreamCall<PublishLogsBatch, unknown>,
    private readonly limits: LogServingLimits,
  ) {}

  async add(line: LogLine): Promise<void> {
    this.lines.push(line);
    if (this.lines.length >= this.limits.publishBatchLinesMax) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.limits.publishFlushMs);
  }

  finishTask(taskId: string): void {
    this.finished.push(taskId);
    this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.limits.publishFlushMs);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Sends what is gathered (and `close` when asked); resolves once it is written. */
  flush(close = false): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const message: PublishLogsBatch = {
      subscription_id: this.subscriptionId,
      lines: this.lines,
      finished_task_ids: this.finished,
      warnings: this.warnings,
      close,
    };
    this.lines = [];
    this.finished = [];
    this.warnings = [];
    this.sending = this.sending.then(() => this.call.send(message));
    return this.sending;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
