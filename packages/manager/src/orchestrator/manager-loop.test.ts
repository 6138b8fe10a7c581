import type { Change, ReadView } from "@shoal/store";
import { createTestStore, makeNode } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { type LoopWork, ManagerLoop } from "./manager-loop.ts";
import { FakeClock } from "./testing/fake-clock.ts";

/** A loop that records what it was shown and when it ticked. */
class Recorder implements LoopWork {
  readonly kinds = ["node"] as const;
  reconciled = 0;
  marked: string[] = [];
  ticks: { atMs: number; marked: string[] }[] = [];
  tickStarted?: () => void;
  release: Promise<void> = Promise.resolve();
  constructor(private readonly clock: FakeClock) {}
  reconcileAll(view: ReadView): void {
    this.reconciled += view.nodes.count();
  }
  handleChange(change: Change): void {
    this.marked.push(change.object.id);
  }
  async tick(): Promise<void> {
    this.ticks.push({ atMs: this.clock.nowMs(), marked: this.marked });
    this.marked = [];
    this.tickStarted?.();
    await this.release;
  }
}

async function flush(clock: FakeClock, rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setImmediate(r));
    clock.fireDue();
  }
}

describe("manager loop", () => {
  it("reconciles from a view, then ticks once per quiet gap (debounced), at the latest delayMsMax after a change", async () => {
    const clock = new FakeClock(0);
    const { store } = createTestStore();
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "a")));
    const work = new Recorder(clock);
    const loop = new ManagerLoop("test", store, work, { clock });
    loop.start();
    await flush(clock);
    expect(work.reconciled).toBe(1);
    expect(work.ticks).toHaveLength(1); // the first reconcile
    // Changes every 40 ms (under the 50 ms gap) keep the tick back until 1 s after the first.
    for (let t = 0; t < 30; t++) {
      await store.update((tx) => tx.create("node", makeNode(store.newId(), `n${t}`)));
      await flush(clock, 2);
      clock.setNow(clock.nowMs() + 40);
      await flush(clock, 2);
    }
    expect(work.ticks).toHaveLength(2);
    expect(work.ticks[1]?.atMs).toBe(1_000);
    await loop.stop();
  });

  it("stop() waits for a tick in progress and is idempotent", async () => {
    const clock = new FakeClock(0);
    const { store } = createTestStore();
    const work = new Recorder(clock);
    let release = () => {};
    work.release = new Promise((r) => {
      release = r;
    });
    const started = new Promise<void>((r) => {
      work.tickStarted = r;
    });
    const loop = new ManagerLoop("test", store, work, { clock, timing: { gapMs: 0 } });
    loop.start();
    await flush(clock);
    await started;
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await flush(clock);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await loop.stop();
    expect(stopped).toBe(true);
    // Nothing ticks after stop.
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "late")));
    await flush(clock);
    expect(work.ticks).toHaveLength(1);
  });

  it("refuses bad timing when built", () => {
    const { store } = createTestStore();
    const clock = new FakeClock(0);
    expect(() => new ManagerLoop("x", store, new Recorder(clock), { clock, timing: { gapMs: -1 } })).toThrow(
      /gapMs/,
    );
  });
});
