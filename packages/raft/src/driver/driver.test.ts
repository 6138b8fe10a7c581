import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, MemoryStorage, RawNode } from "../index.ts";
import { LocalNetwork } from "../transport/local-network.ts";
import { ConfChangeType, type Entry, type HardState, type Logger, type Snapshot } from "../types.ts";
import { RaftDriver } from "./driver.ts";
import { DriverError } from "./driver-error.ts";
import type { DurableLog, StateMachine } from "./ports.ts";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const text = (s: string) => new TextEncoder().encode(s);

/** A durable log that keeps everything in memory and records the order of calls. */
class MemoryLog implements DurableLog {
  saves = 0;
  snapshots: Snapshot[] = [];
  released: number[] = [];
  /** The highest commit index handed to save() before each snapshot, in snapshot order. */
  commitBeforeSnapshot: number[] = [];
  private commit = 0;
  async save(hs: HardState | undefined, _entries: readonly Entry[]): Promise<void> {
    this.saves++;
    if (hs) this.commit = Math.max(this.commit, hs.commit);
  }
  async saveSnapshot(s: Snapshot): Promise<void> {
    this.commitBeforeSnapshot.push(this.commit);
    this.snapshots.push(s);
  }
  async releaseTo(index: number): Promise<void> {
    this.released.push(index);
  }
}

/** Appends each command to a list; the result of apply is the list's new length. */
class ListMachine implements StateMachine<number> {
  items: string[] = [];
  apply(command: Uint8Array): number {
    return this.items.push(new TextDecoder().decode(command));
  }
  snapshot(): Uint8Array {
    return text(JSON.stringify(this.items));
  }
  restore(data: Uint8Array): void {
    this.items = JSON.parse(new TextDecoder().decode(data));
  }
}

interface Member {
  driver: RaftDriver<number>;
  machine: ListMachine;
  log: MemoryLog;
}

const running: Member[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.driver.stop()));
});

function cluster(size: number, options: { snapshotEveryEntries?: number } = {}) {
  const net = new LocalNetwork();
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const members = ids.map((id) => startMember(net, id, ids, options));
  return { net, members };
}

/** A member of a new cluster (`peers`), or, with `peers` empty, a node added to a running one. */
function startMember(
  net: LocalNetwork,
  id: number,
  peers: number[],
  options: { snapshotEveryEntries?: number } = {},
): Member {
  const storage = new MemoryStorage();
  const config = {
    ...DEFAULT_CONFIG,
    id,
    storage,
    rng: { intn: (n: number) => (id * 7) % n },
    logger: quiet,
  };
  const machine = new ListMachine();
  const log = new MemoryLog();
  const driver = new RaftDriver<number>({
    node: peers.length > 0 ? RawNode.bootstrap(config, peers) : new RawNode(config),
    storage,
    log,
    transport: net.transport(id),
    stateMachine: machine,
    logger: quiet,
    applied: 0,
    confState: storage.initialState().confState,
    tickMs: 5,
    compactionKeepEntries: 2,
    ...options,
  });
  driver.start();
  const member = { driver, machine, log };
  running.push(member);
  return member;
}

async function leaderOf(members: Member[], timeoutMs = 5_000): Promise<Member> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const leader = members.find((m) => m.driver.isLeader);
    if (leader && members.every((m) => m.driver.leader === leader.driver.id)) return leader;
    if (Date.now() > deadline) throw new Error("no leader elected");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("RaftDriver", () => {
  it("resolves a proposal with the state machine's result once applied, on every member", async () => {
    const { members } = cluster(3);
    const leader = await leaderOf(members);
    const results = await Promise.all(["a", "b", "c"].map((c) => leader.driver.propose(text(c))));
    expect(results).toEqual([1, 2, 3]);
    expect(leader.machine.items).toEqual(["a", "b", "c"]);
    await leader.driver.read();
    for (const m of members) {
      await m.driver.read();
      expect(m.machine.items).toEqual(["a", "b", "c"]);
    }
    expect(leader.log.saves).toBeGreaterThan(0);
  });

  it("forwards a follower's proposal to the leader and resolves it on the follower", async () => {
    const { members } = cluster(3);
    const leader = await leaderOf(members);
    const follower = members.find((m) => m !== leader) as Member;
    expect(await follower.driver.propose(text("from-follower"))).toBe(1);
  });

  it("serves a linearizable read on a follower after a write commits on the leader", async () => {
    const { members } = cluster(3);
    const leader = await leaderOf(members);
    await leader.driver.propose(text("x"));
    const follower = members.find((m) => m !== leader) as Member;
    const index = await follower.driver.read();
    expect(follower.driver.appliedIndex).toBeGreaterThanOrEqual(index);
    expect(follower.machine.items).toEqual(["x"]);
  });

  it("rejects waiting proposals when the leader loses leadership", async () => {
    const { net, members } = cluster(3);
    const leader = await leaderOf(members);
    net.isolate(leader.driver.id, true);
    const pending = leader.driver.propose(text("lost"));
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect(["leadership-lost", "timeout"]).toContain((err as DriverError).code);
    net.isolate(leader.driver.id, false);
    const next = await leaderOf(members);
    expect(await next.driver.propose(text("after"))).toBeGreaterThan(0);
  });

  it("takes a snapshot every N applied entries, compacts, releases the log, and never outruns the commit index", async () => {
    const { members } = cluster(3, { snapshotEveryEntries: 5 });
    const leader = await leaderOf(members);
    for (let i = 0; i < 12; i++) await leader.driver.propose(text(`e${i}`));
    await new Promise((r) => setTimeout(r, 20));
    expect(leader.log.snapshots.length).toBeGreaterThanOrEqual(2);
    const snap = leader.log.snapshots[0] as Snapshot;
    expect(JSON.parse(new TextDecoder().decode(snap.data)).length).toBeGreaterThan(0);
    expect(leader.log.released).toContain(snap.metadata.index);
    // Commit-only hard states are deferred, but never past a snapshot: the log would then hold a
    // snapshot beyond its commit index.
    leader.log.snapshots.forEach((s, i) => {
      expect(leader.log.commitBeforeSnapshot[i]).toBeGreaterThanOrEqual(s.metadata.index);
    });
  });

  it("snapshots when a member is added after compaction, so the new member catches up from one that names it", async () => {
    const { net, members } = cluster(3, { snapshotEveryEntries: 5 });
    const leader = await leaderOf(members);
    for (let i = 0; i < 7; i++) await leader.driver.propose(text(`e${i}`));
    await new Promise((r) => setTimeout(r, 20));
    const before = leader.log.snapshots.length;
    expect(before).toBeGreaterThanOrEqual(1);
    const joiner = startMember(net, 4, [], { snapshotEveryEntries: 5 });
    await leader.driver.proposeConfChange({
      transition: "auto",
      changes: [{ type: ConfChangeType.AddLearner, nodeId: 4 }],
      context: new Uint8Array(),
    });
    // No more writes: without a fresh snapshot the joiner would only ever be offered the old one.
    const deadline = Date.now() + 3_000;
    while (joiner.machine.items.length < 7 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(joiner.machine.items).toEqual(leader.machine.items);
    expect(leader.log.snapshots.length).toBe(before + 1);
    expect(leader.log.snapshots.at(-1)?.metadata.confState.learners).toContain(4);
  });

  it("rejects new requests after stop", async () => {
    const { members } = cluster(1);
    const leader = await leaderOf(members);
    await leader.driver.stop();
    await expect(leader.driver.propose(text("late"))).rejects.toMatchObject({ code: "stopped" });
    await expect(leader.driver.read()).rejects.toMatchObject({ code: "stopped" });
  });
});
