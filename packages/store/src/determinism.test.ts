import { describe, expect, it } from "vitest";
import { seededRandomBytes } from "./objects/ids.ts";
import { TASK_STATES } from "./objects/task-state.ts";
import { Store } from "./store.ts";
import { makeNode, makeService, makeTask } from "./testing/fixtures.ts";
import { LocalLog } from "./testing/local-log.ts";

/** A small seeded generator for the random workload (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T | undefined => xs[below(xs.length)];
  return { next, below, pick };
}

/** One random transaction against the current state: some will conflict once applied. */
function randomWrite(store: Store, r: ReturnType<typeof rng>): Promise<unknown> {
  return store
    .update((tx) => {
      const services = tx.services.all();
      const tasks = tx.tasks.all();
      const nodes = tx.nodes.all();
      for (let n = 1 + r.below(4); n > 0; n--) {
        const roll = r.below(10);
        const service = r.pick(services);
        const task = r.pick(tasks);
        const node = r.pick(nodes);
        try {
          if (roll === 0) tx.create("service", makeService(store.newId(), `svc-${r.below(6)}`, 2));
          else if (roll === 1) tx.create("node", makeNode(store.newId(), `host-${r.below(4)}`));
          else if (roll <= 4 && service)
            tx.create("task", makeTask(store.newId(), service.id, 1 + r.below(3)));
          else if (roll <= 6 && task) {
            const state = r.pick(TASK_STATES) ?? task.desiredState;
            tx.update("task", { ...task, nodeId: node?.id ?? "", status: { ...task.status, state } });
          } else if (roll === 7 && task) tx.delete("task", task);
          else if (roll === 8 && service) {
            tx.update("service", { ...service, spec: { ...service.spec, name: `svc-${r.below(6)}` } });
          } else if (roll === 9 && node) {
            tx.update("node", {
              ...node,
              spec: { ...node.spec, availability: r.pick(["active", "pause", "drain"])! },
            });
          }
        } catch {
          // The same object twice in one transaction: skip this operation.
        }
      }
    })
    .catch((e) => e);
}

describe("determinism", () => {
  for (const seed of [1, 2, 3]) {
    it(`replicas applying the same log reach identical state (seed ${seed})`, async () => {
      const r = rng(seed);
      const log = new LocalLog({ hold: true });
      const make = (s: number) =>
        new Store({ proposer: log, randomBytes: seededRandomBytes(s), clock: () => 1 });
      const leader = log.attach(make(seed));
      const follower = log.attach(make(seed + 1000));
      let midway: { bytes: Uint8Array; index: number } | undefined;
      let refused = 0;
      for (let round = 0; round < 60; round++) {
        // Several writers build against the same state before any commits: they race.
        const writes = Array.from({ length: 1 + r.below(3) }, () => randomWrite(leader, r));
        log.commit();
        for (const outcome of await Promise.all(writes)) if (outcome instanceof Error) refused++;
        if (round === 30) midway = { bytes: leader.snapshot(), index: leader.version };
        leader.checkInvariants();
      }
      expect(refused).toBeGreaterThan(0);
      expect(leader.view((v) => v.tasks.count())).toBeGreaterThan(0);
      expect(Buffer.from(follower.snapshot()).equals(Buffer.from(leader.snapshot()))).toBe(true);

      // A member restored from the midway snapshot and fed the rest of the log agrees too.
      const late = new Store({ proposer: new LocalLog() });
      late.restore(midway!.bytes);
      for (let index = midway!.index + 1; index <= log.entries.length; index++) {
        late.applyCommitted(index, log.entries[index - 1]!);
      }
      late.checkInvariants();
      expect(Buffer.from(late.snapshot()).equals(Buffer.from(leader.snapshot()))).toBe(true);
    });
  }
});
