/**
 * The broker with in-process parts: a real store, fake agents (a SubscribeLogs stream that
 * records what the broker sends, PublishLogs streams fed by the test) and the subscriber.
 */
import type { PublishLogsRequest, SubscribeLogsMessage } from "@shoal/rpc";
import { type Store, TaskState } from "@shoal/store";
import { createTestStore, makeNode, makeService, makeTask } from "@shoal/store/testing";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../loop/clock.ts";
import { LogBroker } from "./log-broker.ts";
import type { LogBrokerLimits } from "./log-broker-limits.ts";
import type { LogMessage } from "./log-types.ts";

/** Store ids are 25 base36 characters: "n1" stands for n1000…0. */
const id = (short: string) => short.padEnd(25, "0");
const short = (text: string) => text.replace(/([a-z]\d)0{23}/g, "$1");

class FakeAgent {
  readonly received: SubscribeLogsMessage[] = [];
  private readonly stopper = new AbortController();
  private waiter: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(
    broker: LogBroker,
    readonly nodeId: string,
  ) {
    this.done = broker.serveNode(id(nodeId), this.stopper.signal, async (m) => {
      this.received.push({ ...m, task_ids: m.task_ids.map(short) });
      this.waiter?.();
    });
  }

  async next(): Promise<SubscribeLogsMessage> {
    while (this.received.length === 0) await new Promise<void>((r) => (this.waiter = r));
    return this.received.shift() as SubscribeLogsMessage;
  }

  goAway(): Promise<void> {
    this.stopper.abort();
    return this.done;
  }
}

/** A PublishLogs stream; with `holdOpen` it stays open after the batches (a following agent). */
function publishing(
  subscriptionId: string,
  batches: Partial<PublishLogsRequest>[],
  holdOpen?: Promise<void>,
): AsyncIterable<PublishLogsRequest> {
  return (async function* () {
    for (const b of batches) {
      yield {
        session_id: "s",
        subscription_id: subscriptionId,
        lines: [],
        close: false,
        finished_task_ids: [],
        warnings: [],
        ...b,
      };
    }
    await holdOpen;
  })();
}

const lineOf = (taskId: string, timestampMs: number, text = `${taskId}@${timestampMs}`) => ({
  task_id: id(taskId),
  stream: "stdout" as const,
  timestamp_ms: timestampMs,
  data: Buffer.from(text),
});

async function collect(stream: AsyncIterable<readonly LogMessage[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of stream)
    for (const m of batch) out.push(m.kind === "line" ? m.line : `warning: ${short(m.message)}`);
  return out;
}

let stores: Store[] = [];
afterEach(() => {
  stores = [];
});

/** A service "web" with one task on node n1 and one on n2. */
async function world(limits: Partial<LogBrokerLimits> = {}) {
  const { store } = createTestStore({ seed: 3 });
  stores.push(store);
  await store.update((tx) => {
    tx.create("node", makeNode(id("n1"), "host-1"));
    tx.create("node", makeNode(id("n2"), "host-2"));
    tx.create("service", makeService(id("s1"), "web", 2));
    tx.create("task", { ...makeTask(id("t1"), id("s1"), 1), nodeId: id("n1") });
    tx.create("task", { ...makeTask(id("t2"), id("s1"), 2), nodeId: id("n2") });
    tx.create("task", makeTask(id("t3"), id("s1"), 3)); // not scheduled: no logs to ask for
  });
  let n = 0;
  const broker = new LogBroker(store, { clock: systemClock, newId: () => `sub${++n}`, limits });
  return { store, broker };
}

describe("log broker", () => {
  it("sends each node its own tasks and merges what they publish in time order; completes without follow", async () => {
    const { broker } = await world();
    const [a1, a2] = [new FakeAgent(broker, "n1"), new FakeAgent(broker, "n2")];
    const output = collect(
      broker.subscribe(
        { serviceIds: [id("s1")], taskIds: [], follow: false, tail: 10 },
        AbortSignal.timeout(5_000),
      ),
    );
    const [m1, m2] = [await a1.next(), await a2.next()];
    expect(m1).toMatchObject({
      subscription_id: "sub1",
      task_ids: ["t1"],
      follow: false,
      tail: 10,
      close: false,
    });
    expect(m2.task_ids).toEqual(["t2"]);
    await Promise.all([
      broker.publish(
        id("n1"),
        publishing("sub1", [{ lines: [lineOf("t1", 10), lineOf("t1", 30)] }, { close: true }]),
      ),
      broker.publish(
        id("n2"),
        publishing("sub1", [{ lines: [lineOf("t2", 20), lineOf("t2", 40)], close: true }]),
      ),
    ]);
    expect(await output).toEqual(["t1@10", "t2@20", "t1@30", "t2@40"]);
    expect(broker.subscriptionCount).toBe(0);
  });

  it("ends a part with a warning when its node is not connected", async () => {
    const { broker } = await world();
    const a1 = new FakeAgent(broker, "n1");
    const output = collect(
      broker.subscribe({ serviceIds: [id("s1")], taskIds: [], follow: false }, AbortSignal.timeout(5_000)),
    );
    const m1 = await a1.next();
    await broker.publish(
      id("n1"),
      publishing(m1.subscription_id, [{ lines: [lineOf("t1", 1)], close: true }]),
    );
    expect(await output).toEqual([
      "warning: node n2 is not connected: its tasks' logs are not available",
      "t1@1",
    ]);
  });

  it("ends a node's part with a warning when the node goes away mid-stream", async () => {
    const { broker } = await world();
    const [a1, a2] = [new FakeAgent(broker, "n1"), new FakeAgent(broker, "n2")];
    const output = collect(
      broker.subscribe({ serviceIds: [id("s1")], taskIds: [], follow: false }, AbortSignal.timeout(5_000)),
    );
    const { subscription_id: sub } = await a1.next();
    await a2.next();
    await broker.publish(id("n1"), publishing(sub, [{ lines: [lineOf("t1", 1)], close: true }]));
    await a2.goAway();
    // t1@1 waited for n2's lines (time order); the warning goes out first.
    expect(await output).toEqual(["warning: node n2 went away: its logs end here", "t1@1"]);
  });

  it("tells the nodes to stop when the subscriber goes away (follow)", async () => {
    const { broker } = await world();
    const [a1, a2] = [new FakeAgent(broker, "n1"), new FakeAgent(broker, "n2")];
    const subscriber = new AbortController();
    const stream = broker.subscribe(
      { serviceIds: [], taskIds: [id("t1"), id("t2")], follow: true },
      subscriber.signal,
    );
    const { subscription_id: sub } = await a1.next();
    await a2.next();
    const iterator = stream[Symbol.asyncIterator]();
    const first = iterator.next();
    const agentStream = new AbortController();
    const held = new Promise<void>((r) => agentStream.signal.addEventListener("abort", () => r()));
    void broker.publish(id("n1"), publishing(sub, [{ lines: [lineOf("t1", 5)] }], held));
    expect((await first).value).toMatchObject([{ kind: "line", taskId: id("t1"), line: "t1@5" }]); // after the reorder window
    subscriber.abort();
    await iterator.return?.();
    expect(await a1.next()).toMatchObject({ subscription_id: sub, close: true });
    expect(await a2.next()).toMatchObject({ subscription_id: sub, close: true });
    expect(broker.subscriptionCount).toBe(0);
    agentStream.abort();
  });

  it("holds a publisher while the subscriber's buffer is full (bounded), and drops lines of other nodes' tasks", async () => {
    const { broker } = await world({ bufferedLinesMax: 3, deliveryBatchLinesMax: 2 });
    const a1 = new FakeAgent(broker, "n1");
    new FakeAgent(broker, "n2");
    const stream = broker.subscribe(
      { serviceIds: [], taskIds: [id("t1")], follow: false },
      AbortSignal.timeout(5_000),
    );
    const { subscription_id: sub } = await a1.next();
    let published = false;
    const publisher = broker
      .publish(
        id("n1"),
        publishing(sub, [
          { lines: [1, 2, 3, 4, 5].map((i) => lineOf("t1", i)).concat([lineOf("t2", 0)]), close: true },
        ]),
      )
      .then(() => (published = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(published).toBe(false); // three lines buffered, the fourth waits
    const lines = await collect(stream);
    await publisher;
    expect(lines).toEqual(["t1@1", "t1@2", "t1@3", "t1@4", "t1@5"]);
  });

  it("follow of a service picks up a task that starts running later, on its node", async () => {
    const { store, broker } = await world();
    const [a1, a2] = [new FakeAgent(broker, "n1"), new FakeAgent(broker, "n2")];
    const subscriber = new AbortController();
    const stream = broker.subscribe({ serviceIds: [id("s1")], taskIds: [], follow: true }, subscriber.signal);
    const { subscription_id: sub } = await a1.next();
    await a2.next();
    await store.update((tx) => {
      tx.create("task", { ...makeTask(id("t4"), id("s1"), 4), nodeId: id("n2") }); // assigned, not running yet
    });
    await store.update((tx) => {
      const t4 = tx.tasks.get(id("t4"));
      if (t4)
        tx.update("task", {
          ...t4,
          status: { state: TaskState.Running, message: "started", timestampMs: 1 },
        });
    });
    expect(await a2.next()).toMatchObject({
      subscription_id: sub,
      task_ids: ["t4"],
      follow: true,
      close: false,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const agentStream = new AbortController();
    const held = new Promise<void>((r) => agentStream.signal.addEventListener("abort", () => r()));
    void broker.publish(id("n2"), publishing(sub, [{ lines: [lineOf("t4", 7)] }], held));
    expect((await iterator.next()).value).toMatchObject([{ taskId: id("t4"), line: "t4@7" }]);
    subscriber.abort();
    await iterator.return?.();
    agentStream.abort();
  });

  it("refuses subscriptions over the limit and ends everything when the term ends", async () => {
    const { broker } = await world({ subscriptionsMax: 1 });
    const a1 = new FakeAgent(broker, "n1");
    const open = broker.subscribe(
      { serviceIds: [], taskIds: [id("t1")], follow: true },
      AbortSignal.timeout(5_000),
    );
    expect(() =>
      broker.subscribe({ serviceIds: [], taskIds: [id("t1")], follow: true }, AbortSignal.timeout(5_000)),
    ).toThrow(/1 log subscriptions are open/);
    const reading = collect(open);
    await a1.next();
    broker.stop();
    await expect(reading).rejects.toThrow(/no longer leads/);
    await a1.done;
  });
});
