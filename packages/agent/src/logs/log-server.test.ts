/** The agent's log serving against a scripted channel (the broker's side) and a scripted source. */
import type { ClientStreamCall, SubscribeLogsMessage } from "@shoal/rpc";
import { afterEach, describe, expect, it } from "vitest";
import { AgentError } from "../errors.ts";
import type { LogOptions, LogRecord } from "../executor/executor.ts";
import type { LogChannel, LogSource, PublishLogsBatch } from "./log-channel.ts";
import { LogServer } from "./log-server.ts";

const at = (second: number) => `2026-11-22T00:00:${String(second).padStart(2, "0")}.000000000Z`;
const msOf = (second: number) => Date.parse(at(second));

class ScriptedChannel implements LogChannel {
  readonly published: PublishLogsBatch[] = [];
  readonly outcome: string[] = [];
  private readonly queue: SubscribeLogsMessage[] = [];
  private wake: (() => void) | undefined;

  send(message: Partial<SubscribeLogsMessage> & { subscription_id: string }): void {
    this.queue.push({ task_ids: [], follow: false, since_ms: 0, tail: -1, close: false, ...message });
    this.wake?.();
  }

  async *logSubscriptions(signal: AbortSignal): AsyncGenerator<SubscribeLogsMessage> {
    while (!signal.aborted) {
      const next = this.queue.shift();
      if (next) yield next;
      else
        await new Promise<void>((r) => {
          this.wake = r;
          signal.addEventListener("abort", () => r(), { once: true });
        });
    }
  }

  async openLogPublisher(): Promise<ClientStreamCall<PublishLogsBatch, unknown>> {
    return {
      send: async (m) => {
        this.published.push(m);
      },
      finish: async () => {
        this.outcome.push("finished");
      },
      cancel: () => {
        this.outcome.push("cancelled");
      },
    };
  }

  lines(): string[] {
    return this.published.flatMap((m) =>
      m.lines.map((l) => `${l.task_id} ${l.timestamp_ms} ${l.data.toString()}`),
    );
  }
}

/** Task → its lines (seconds, text); `follow` tasks then wait until aborted. */
class ScriptedSource implements LogSource {
  readonly asked: { taskId: string; options: LogOptions }[] = [];
  constructor(private readonly lines: Record<string, [number, string][]>) {}

  async *logs(taskId: string, options: LogOptions, signal: AbortSignal): AsyncGenerator<LogRecord> {
    this.asked.push({ taskId, options });
    const lines = this.lines[taskId];
    if (!lines) throw new AgentError("TASK_NOT_FOUND", `task ${taskId} has no container on this node`);
    for (const [second, text] of lines) yield { stream: "stdout", line: `${at(second)} ${text}` };
    if (options.follow) await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
  }
}

let server: LogServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function serve(channel: ScriptedChannel, source: ScriptedSource): LogServer {
  server = new LogServer({
    channel,
    source,
    limits: { publishFlushMs: 5, publishBatchLinesMax: 2, retryDelayMs: 10 },
  });
  server.start();
  return server;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe("log server", () => {
  it("serves a subscription: engine timestamps split off, batches, finished tasks, close", async () => {
    const channel = new ScriptedChannel();
    const source = new ScriptedSource({
      a: [
        [1, "one"],
        [2, "two"],
        [3, "three"],
      ],
    });
    serve(channel, source);
    channel.send({ subscription_id: "s1", task_ids: ["a", "gone"], tail: 10 });
    await until(() => channel.outcome.includes("finished"));
    expect(channel.lines()).toEqual([`a ${msOf(1)} one`, `a ${msOf(2)} two`, `a ${msOf(3)} three`]);
    expect(channel.published.flatMap((m) => m.finished_task_ids).sort()).toEqual(["a", "gone"]);
    expect(channel.published.at(-1)?.close).toBe(true);
    expect(channel.published.flatMap((m) => m.warnings)).toEqual([]); // no container here: silent
    expect(source.asked[0]?.options).toEqual({ follow: false, timestamps: true, tail: 10 });
  });

  it("applies since to the millisecond (the engine filters per second)", async () => {
    const channel = new ScriptedChannel();
    serve(
      channel,
      new ScriptedSource({
        a: [
          [1, "old"],
          [5, "new"],
        ],
      }),
    );
    channel.send({ subscription_id: "s1", task_ids: ["a"], since_ms: msOf(2) });
    await until(() => channel.outcome.includes("finished"));
    expect(channel.lines()).toEqual([`a ${msOf(5)} new`]);
  });

  it("follow: a later message adds a task; a close stops the subscription", async () => {
    const channel = new ScriptedChannel();
    const running = serve(channel, new ScriptedSource({ a: [[1, "a1"]], b: [[2, "b1"]] }));
    channel.send({ subscription_id: "s1", task_ids: ["a"], follow: true });
    await until(() => channel.lines().length === 1);
    channel.send({ subscription_id: "s1", task_ids: ["b"], follow: true });
    await until(() => channel.lines().length === 2);
    expect(channel.lines()[1]).toBe(`b ${msOf(2)} b1`);
    expect(running.activeCount).toBe(1);
    channel.send({ subscription_id: "s1", close: true });
    await until(() => running.activeCount === 0);
    expect(channel.outcome).toEqual(["cancelled"]);
  });
});
