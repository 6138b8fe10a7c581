/**
 * Tasks over the network: real node processes on loopback (3 managers, 2 workers) sharing the
 * machine's dockerd. A replicated service runs as containers labelled with the node that runs
 * them; a drained worker's tasks move; a worker killed with SIGKILL is DOWN within ~3 s and its
 * tasks run elsewhere; a restarted node adopts its containers (no duplicates) and removes what it
 * no longer holds; a killed leader is replaced and the service still converges; a removed node
 * stays removed across a manager restart. Every container of the run is removed at the end.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskState } from "@shoal/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DaemonProcess, eventually } from "./daemon-process.ts";
import type { NodeRow, TaskRow } from "./store-rows.ts";
import { dockerAvailable, removeRunContainers, sleeperContainer, taskContainers } from "./task-containers.ts";

const RUNNING = TaskState.Running;
const RUN_ID = randomBytes(4).toString("hex");
const engine = await dockerAvailable();

function webService(replicas: number) {
  return {
    spec: {
      name: "web",
      mode: { replicated: { replicas } },
      taskTemplate: {
        containerSpec: sleeperContainer(RUN_ID),
        restartPolicy: { delayMs: 500 },
      },
    },
  };
}

describe.skipIf(!engine.ok)("tasks on node processes sharing one dockerd", () => {
  let root: string;
  const daemons: DaemonProcess[] = [];
  const byNodeId = new Map<string, DaemonProcess>();
  let m1: DaemonProcess;
  let m2: DaemonProcess;
  let m3: DaemonProcess;
  let w1: DaemonProcess;
  let w2: DaemonProcess;

  const managers = () => [m1, m2, m3];
  const leader = () =>
    eventually(async () => {
      for (const m of managers()) if ((await m.info().catch(() => undefined))?.isLeader) return m;
      return undefined;
    }, "a leader");
  const nodes = async () => (await leader()).control<NodeRow[]>("node.list", {});
  const nodeIdOf = async (d: DaemonProcess) => (await d.info()).nodeId;
  /** Running tasks of "web" per the store, and their containers on the engine. */
  const converged = async (replicas: number, excluded: string[] = []) =>
    eventually(
      async () => {
        const via = await leader();
        const tasks = await via.control<TaskRow[]>("task.list", { filters: { service: "web" } });
        const running = tasks.filter((t) => t.desiredState === RUNNING && t.status.state === RUNNING);
        if (running.length !== replicas) return undefined;
        if (running.some((t) => excluded.includes(t.nodeId ?? ""))) return undefined;
        const containers = await taskContainers(RUN_ID);
        for (const task of running) {
          const mine = containers.filter((c) => c.taskId === task.id);
          // Exactly one container per running task, on the task's node, running.
          if (mine.length !== 1 || !mine[0]!.running || mine[0]!.nodeId !== task.nodeId) return undefined;
        }
        return { running, containers };
      },
      `${replicas} running tasks of web with their containers`,
      20_000,
    );

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-tasks-test-"));
    const started = await Promise.all(
      ["m1", "m2", "m3", "w1", "w2"].map((name) => DaemonProcess.start(root, name)),
    );
    daemons.push(...started);
    [m1, m2, m3, w1, w2] = started as [
      DaemonProcess,
      DaemonProcess,
      DaemonProcess,
      DaemonProcess,
      DaemonProcess,
    ];
    await m1.call("swarm/init", { advertiseAddr: m1.addr });
    const token = async (role: string) =>
      (await m1.control<{ token: string }>("swarm.joinToken", { role })).token;
    const managerToken = await token("manager");
    const workerToken = await token("worker");
    await m2.call("swarm/join", { token: managerToken, remoteAddr: m1.addr, advertiseAddr: m2.addr });
    await m3.call("swarm/join", { token: managerToken, remoteAddr: m1.addr, advertiseAddr: m3.addr });
    await Promise.all(
      [w1, w2].map((w) =>
        w.call("swarm/join", { token: workerToken, remoteAddr: m1.addr, advertiseAddr: w.addr }),
      ),
    );
    for (const d of daemons) byNodeId.set(await nodeIdOf(d), d);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await removeRunContainers(RUN_ID);
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("every node, managers too, registers with the dispatcher and is READY", async () => {
    const rows = await eventually(async () => {
      const all = await nodes();
      return all.length === 5 && all.every((n) => n.status.state === "ready") ? all : undefined;
    }, "5 ready nodes");
    expect(rows.map((n) => n.id).sort()).toEqual([...byNodeId.keys()].sort());
  });

  it("runs 4 replicas as containers labelled with the nodes the tasks are on", async () => {
    await m2.control("service.create", webService(4));
    const { running } = await converged(4);
    // Spread: one task per node on 4 of the 5 nodes.
    expect(new Set(running.map((t) => t.nodeId)).size).toBe(4);
  });

  it("moves a drained worker's tasks to other nodes", async () => {
    const { running } = await converged(4);
    const ids = [await nodeIdOf(w1), await nodeIdOf(w2)];
    const drained = ids.find((id) => running.some((t) => t.nodeId === id))!;
    await m1.control("node.update", { node: drained, availability: "drain" });
    await converged(4, [drained]);
    await eventually(
      async () => (await taskContainers(RUN_ID)).every((c) => c.nodeId !== drained || !c.running),
      "the drained worker's container to stop",
    );
  });

  it("marks a worker killed with SIGKILL DOWN within ~3 s and runs its tasks elsewhere", async () => {
    const { running } = await converged(4);
    const wid = await nodeIdOf(w2);
    const w1id = await nodeIdOf(w1);
    const victim = running.some((t) => t.nodeId === wid) ? w2 : w1;
    const victimId = victim === w2 ? wid : w1id;
    const killedAt = Date.now();
    await victim.kill();
    await eventually(
      async () => (await nodes()).find((n) => n.id === victimId)?.status.state === "down",
      "the killed worker DOWN",
      6_000,
    );
    const downAfterMs = Date.now() - killedAt;
    process.stdout.write(`worker killed → DOWN after ${downAfterMs} ms\n`);
    expect(downAfterMs).toBeLessThan(4_000);
    await converged(4, [w1id, wid]);
  });

  it("a restarted node removes the containers it no longer holds and adopts the ones it does", async () => {
    // The killed worker comes back: its stale container goes.
    const dead = (await w1.info().catch(() => undefined)) ? w2 : w1;
    await dead.restart();
    const deadId = await nodeIdOf(dead);
    await eventually(
      async () => (await taskContainers(RUN_ID)).every((c) => c.nodeId !== deadId || !c.running),
      "the restarted worker to remove its stale container",
    );
    // A node holding a task restarts (SIGKILL, then start): the same container is adopted.
    const { running, containers } = await converged(4);
    const current = await leader();
    const holder = managers().find(
      (m) => m !== current && running.some((t) => t.nodeId === [...byNodeId].find(([, d]) => d === m)?.[0]),
    )!;
    const holderId = await nodeIdOf(holder);
    const before = containers.filter((c) => c.nodeId === holderId && c.running).map((c) => c.id);
    expect(before.length).toBeGreaterThan(0);
    // A process start takes a few seconds on a loaded machine, longer than the 2.5 s heartbeat
    // grace: lengthen the heartbeat period so the node is not DOWN (and its tasks moved) meanwhile.
    await current.control("cluster.update", { heartbeatPeriodMs: 5_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    await holder.kill();
    await holder.restart();
    const after = await converged(4);
    await current.control("cluster.update", { heartbeatPeriodMs: 1_000 });
    const holderTasks = after.running.filter((t) => t.nodeId === holderId);
    const afterIds = after.containers.filter((c) => c.nodeId === holderId && c.running).map((c) => c.id);
    expect(afterIds.sort()).toEqual(before.sort());
    expect(holderTasks.length).toBe(before.length);
    expect(after.containers.filter((c) => c.running).length).toBeGreaterThanOrEqual(4);
  });

  it("elects a new leader after the leader is killed; the service still converges", async () => {
    const old = await leader();
    const oldId = await nodeIdOf(old);
    await old.kill();
    const next = await eventually(async () => {
      for (const m of managers()) {
        if (m === old) continue;
        if ((await m.info().catch(() => undefined))?.isLeader) return m;
      }
      return undefined;
    }, "a new leader");
    await next.control("service.scale", { service: "web", replicas: 5 });
    const { running } = await converged(5, [oldId]);
    expect(running.every((t) => t.nodeId !== oldId)).toBe(true);
    await old.restart();
    await eventually(
      async () => (await nodes()).find((n) => n.id === oldId)?.status.state === "ready",
      "the old leader back and READY",
    );
  });

  it("removes a node; the removal survives a manager restart", async () => {
    const drainedId = (await nodes()).find((n) => n.spec.availability === "drain")!.id;
    const current = await leader();
    await current.control("node.remove", { node: drainedId, force: true });
    expect((await nodes()).some((n) => n.id === drainedId)).toBe(false);
    const follower = managers().find((m) => m !== current)!;
    await follower.kill();
    await follower.restart();
    const cluster = await eventually(async () => {
      const c = await follower.control<{ removedNodes?: string[] }>("cluster.inspect", {});
      return c.removedNodes?.includes(drainedId) ? c : undefined;
    }, "the removed node in the cluster object");
    expect(cluster.removedNodes).toContain(drainedId);
    await converged(5);
  });
});

if (!engine.ok) it.skip(`tasks on node processes skipped: ${engine.reason}`, () => {});
