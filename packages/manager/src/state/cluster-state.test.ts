import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalNetwork } from "@shoal/raft/transport";
import { makeNode, makeTask } from "@shoal/store/testing";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterState } from "./cluster-state.ts";
import { MemoryDurableLog } from "./memory-durable-log.ts";

const open: ClusterState[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function single(walDir: string, snapshotEveryEntries = 10_000): Promise<ClusterState> {
  const net = new LocalNetwork();
  const state = await ClusterState.open({
    id: 1,
    initialMembers: [1],
    transport: net.transport(1),
    log: { walDir },
    driver: { tickMs: 5, snapshotEveryEntries, compactionKeepEntries: 0 },
  });
  open.push(state);
  state.start();
  await state.leadership.when((s) => s.isLeader);
  return state;
}

async function addNodes(state: ClusterState, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await state.store.update((tx) => tx.create("node", makeNode(state.store.newId(), `host-${i}`)));
  }
}

describe("ClusterState", () => {
  it("applies a write to the store and resolves it with the store's version", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shoal-state-"));
    dirs.push(dir);
    const state = await single(dir);
    const { version, value } = await state.store.update((tx) =>
      tx.create("node", makeNode(state.store.newId(), "a")),
    );
    expect(version).toBe(state.store.version);
    expect(state.store.view((v) => v.nodes.get(value)?.description?.hostname)).toBe("a");
  });

  it("refuses a transaction the store refuses, as a result (every manager agrees)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shoal-state-"));
    dirs.push(dir);
    const state = await single(dir);
    const { value: id } = await state.store.update((tx) =>
      tx.create("node", makeNode(state.store.newId(), "a")),
    );
    const stale = state.store.view((v) => v.nodes.get(id));
    await state.store.update((tx) =>
      tx.update("node", { ...tx.nodes.get(id)!, spec: { ...stale!.spec, availability: "pause" } }),
    );
    await expect(
      state.store.update((tx) =>
        tx.update("node", { ...stale!, spec: { ...stale!.spec, availability: "drain" } }),
      ),
    ).rejects.toMatchObject({ code: "version-conflict" });
  });

  it("keeps room for the driver's envelope: full-size transactions fit Raft's proposal limit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shoal-state-"));
    dirs.push(dir);
    const net = new LocalNetwork();
    const state = await ClusterState.open({
      id: 1,
      initialMembers: [1],
      transport: net.transport(1),
      log: { walDir: dir },
      raft: { maxProposalBytes: 16 * 1024 },
      driver: { tickMs: 5 },
    });
    open.push(state);
    state.start();
    await state.leadership.when((s) => s.isLeader);
    const serviceId = state.store.newId();
    // Siblings cost ~60 bytes each, so every proposal is filled to within a few bytes of the limit.
    const result = await state.store.batch((tx) => {
      for (let i = 1; i <= 3_000; i++) tx.create("task", makeTask(state.store.newId(), serviceId, i));
    });
    expect(result.transactionCount).toBeGreaterThan(5);
    expect(result.versions).toHaveLength(result.transactionCount);
    expect(state.store.view((v) => v.tasks.count())).toBe(3_000);
  });

  it("restarts from the on-disk WAL with the same store (log replay)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shoal-state-"));
    dirs.push(dir);
    const first = await single(dir);
    await addNodes(first, 5);
    const before = first.store.view((v) =>
      v.nodes
        .all()
        .map((n) => n.id)
        .sort(),
    );
    await first.stop();
    const second = await single(dir);
    await waitFor(() => (second.store.view((v) => v.nodes.all().length) === 5 ? true : undefined), "replay");
    expect(
      second.store.view((v) =>
        v.nodes
          .all()
          .map((n) => n.id)
          .sort(),
      ),
    ).toEqual(before);
  });

  it("restarts from a snapshot plus the entries after it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shoal-state-"));
    dirs.push(dir);
    const first = await single(dir, 4);
    await addNodes(first, 10);
    await new Promise((r) => setTimeout(r, 50)); // the snapshot is saved in the background
    await first.stop();
    const second = await single(dir, 4);
    await waitFor(
      () => (second.store.view((v) => v.nodes.all().length) === 10 ? true : undefined),
      "restore",
    );
    await addNodes(second, 2, 10);
    expect(second.store.view((v) => v.nodes.all().length)).toBe(12);
  });

  it("elects one leader that everyone sees; followers refuse writes; writes reach every store", async () => {
    const net = new LocalNetwork();
    const ids = [1, 2, 3];
    const states = await Promise.all(
      ids.map((id) =>
        ClusterState.open({
          id,
          initialMembers: ids,
          transport: net.transport(id),
          log: { memory: new MemoryDurableLog() },
          rng: { intn: (n) => (id * 7) % n },
          driver: { tickMs: 5 },
        }),
      ),
    );
    open.push(...states);
    for (const s of states) s.start();
    const leader = await waitFor(() => {
      const l = states.find((s) => s.leadership.current.isLeader);
      return l && states.every((s) => s.leadership.current.leaderId === l.id) ? l : undefined;
    }, "a leader");
    const term = leader.leadership.current.term;
    expect(states.every((s) => s.leadership.current.term === term)).toBe(true);
    const follower = states.find((s) => s !== leader)!;
    await expect(
      follower.store.update((tx) => tx.create("node", makeNode(follower.store.newId(), "x"))),
    ).rejects.toMatchObject({
      code: "proposal-dropped",
    });
    await leader.leaderBarrier();
    const { value: id } = await leader.store.update((tx) =>
      tx.create("node", makeNode(leader.store.newId(), "y")),
    );
    await waitFor(
      () => (states.every((s) => s.store.view((v) => v.nodes.get(id))) ? true : undefined),
      "replication",
    );
  });

  it("tells listeners when leadership moves", async () => {
    const net = new LocalNetwork();
    const ids = [1, 2, 3];
    const states = await Promise.all(
      ids.map((id) =>
        ClusterState.open({
          id,
          initialMembers: ids,
          transport: net.transport(id),
          log: { memory: new MemoryDurableLog() },
          driver: { tickMs: 5 },
        }),
      ),
    );
    open.push(...states);
    for (const s of states) s.start();
    const leader = await waitFor(() => states.find((s) => s.leadership.current.isLeader), "a leader");
    const next = states.find((s) => s !== leader)!;
    const seen: boolean[] = [];
    leader.leadership.subscribe((s) => seen.push(s.isLeader));
    const moved = leader.leadership.when((s) => s.leaderId === next.id);
    leader.transferLeadership(next.id);
    const state = await moved;
    expect(state.isLeader).toBe(false);
    expect(seen).toContain(false);
    await next.leadership.when((s) => s.isLeader);
    expect(next.leadership.current.term).toBeGreaterThan(0);
  });
});
