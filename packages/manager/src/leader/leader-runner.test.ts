import { describe, expect, it } from "vitest";
import { Leadership } from "../state/leadership.ts";
import type { LeaderComponent } from "./leader-component.ts";
import { LeaderRunner } from "./leader-runner.ts";

/** A component that records its starts and stops in a shared journal. */
function recorder(name: string, journal: string[], stopDelayMs = 0): () => LeaderComponent {
  return () => ({
    name,
    start: () => journal.push(`start ${name}`),
    stop: async () => {
      await new Promise((r) => setTimeout(r, stopDelayMs));
      journal.push(`stop ${name}`);
    },
  });
}

function source(barrier: () => Promise<void> = async () => {}) {
  const leadership = new Leadership();
  return { leadership, leaderBarrier: barrier };
}

describe("LeaderRunner", () => {
  it("starts every component in order on becoming leader and stops them all on losing it", async () => {
    const journal: string[] = [];
    const s = source();
    const runner = new LeaderRunner(s, [recorder("a", journal), recorder("b", journal, 5)]);
    runner.start();
    await runner.settled();
    expect(journal).toEqual([]);
    s.leadership.set({ isLeader: true, leaderId: 1, term: 2 });
    await runner.settled();
    expect(journal).toEqual(["start a", "start b"]);
    expect(runner.isRunning).toBe(true);
    s.leadership.set({ isLeader: false, leaderId: 2, term: 3 });
    await runner.settled();
    expect(journal.slice(2).sort()).toEqual(["stop a", "stop b"]);
    expect(runner.isRunning).toBe(false);
  });

  it("never overlaps two sets: a new term stops the old set before the new one starts", async () => {
    const journal: string[] = [];
    const s = source();
    const runner = new LeaderRunner(s, [recorder("a", journal, 10)]);
    runner.start();
    s.leadership.set({ isLeader: true, leaderId: 1, term: 2 });
    await runner.settled();
    s.leadership.set({ isLeader: false, leaderId: 0, term: 3 });
    s.leadership.set({ isLeader: true, leaderId: 1, term: 4 });
    await runner.settled();
    expect(journal).toEqual(["start a", "stop a", "start a"]);
    expect(runner.isRunning).toBe(true);
  });

  it("waits for the leader barrier, and starts nothing if leadership went meanwhile", async () => {
    const journal: string[] = [];
    let release: () => void = () => {};
    const s = source(() => new Promise<void>((r) => (release = r)));
    const runner = new LeaderRunner(s, [recorder("a", journal)]);
    runner.start();
    s.leadership.set({ isLeader: true, leaderId: 1, term: 2 });
    await new Promise((r) => setTimeout(r, 5));
    expect(journal).toEqual([]);
    s.leadership.set({ isLeader: false, leaderId: 2, term: 3 });
    release();
    await runner.settled();
    expect(journal).toEqual([]);
  });

  it("stop() is idempotent and stops running components", async () => {
    const journal: string[] = [];
    const s = source();
    const runner = new LeaderRunner(s, [recorder("a", journal)]);
    runner.start();
    s.leadership.set({ isLeader: true, leaderId: 1, term: 2 });
    await runner.settled();
    await Promise.all([runner.stop(), runner.stop()]);
    await runner.stop();
    expect(journal).toEqual(["start a", "stop a"]);
  });
});
