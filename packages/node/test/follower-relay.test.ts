/**
 * Agent sessions through a follower, on real node processes (3 managers, 1 worker) sharing the
 * machine's dockerd: the worker's only manager address is a follower, which relays its session to
 * the leader; the worker runs its tasks and reports their status through it. After the leader is
 * killed, the worker keeps working (relayed to the new leader, or served by the follower if it
 * won) without being marked DOWN. Every container of the run is removed at the end.
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

function pinnedService(replicas: number) {
  return {
    spec: {
      name: "pinned",
      mode: { replicated: { replicas } },
      taskTemplate: {
        containerSpec: sleeperContainer(RUN_ID),
        placement: { constraints: ["node.hostname == relayw1"], preferences: [], maxReplicas: 0 },
      },
    },
  };
}

describe.skipIf(!engine.ok)("a worker whose only manager is a follower", () => {
  let root: string;
  let m1: DaemonProcess;
  let m2: DaemonProcess;
  let m3: DaemonProcess;
  let w1: DaemonProcess;
  let workerId: string;
  const daemons: DaemonProcess[] = [];

  const leaderAmong = (candidates: DaemonProcess[]) =>
    eventually(async () => {
      for (const m of candidates) if ((await m.info().catch(() => undefined))?.isLeader) return m;
      return undefined;
    }, "a leader");
  /** The worker's running tasks of "pinned" per the store, each with its running container. */
  const runningOnWorker = (via: DaemonProcess, replicas: number) =>
    eventually(
      async () => {
        const tasks = await via.control<TaskRow[]>("task.list", { filters: { service: "pinned" } });
        const running = tasks.filter((t) => t.desiredState === RUNNING && t.status.state === RUNNING);
        if (running.length !== replicas || running.some((t) => t.nodeId !== workerId)) return undefined;
        const containers = await taskContainers(RUN_ID);
        const live = running.filter((t) => containers.some((c) => c.taskId === t.id && c.running));
        return live.length === replicas ? running : undefined;
      },
      `${replicas} running tasks on the worker`,
      30_000,
    );

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-relay-test-"));
    [m1, m2, m3, w1] = (await Promise.all(
      ["relaym1", "relaym2", "relaym3", "relayw1"].map((name) => DaemonProcess.start(root, name)),
    )) as [DaemonProcess, DaemonProcess, DaemonProcess, DaemonProcess];
    daemons.push(m1, m2, m3, w1);
    await m1.call("swarm/init", { advertiseAddr: m1.addr });
    const token = async (role: string) =>
      (await m1.control<{ token: string }>("swarm.joinToken", { role })).token;
    const managerToken = await token("manager");
    await m2.call("swarm/join", { token: managerToken, remoteAddr: m1.addr, advertiseAddr: m2.addr });
    await m3.call("swarm/join", { token: managerToken, remoteAddr: m1.addr, advertiseAddr: m3.addr });
    // The worker knows only m3, a follower (once m3's store has caught up with the swarm).
    const workerToken = await token("worker");
    await eventually(
      () =>
        w1.call("swarm/join", { token: workerToken, remoteAddr: m3.addr, advertiseAddr: w1.addr }).then(
          () => true,
          (error: Error) => {
            if (!/holds no swarm yet/.test(error.message)) throw error;
            return false;
          },
        ),
      "the worker joined through m3",
    );
    workerId = (await w1.info()).nodeId;
  }, 90_000);

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await removeRunContainers(RUN_ID);
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("gets its tasks and reports their status through the follower", async () => {
    expect((await m3.info()).isLeader).toBe(false);
    await eventually(
      async () => m3.output.includes(`"node":"${workerId}"`),
      "the follower relaying the session",
    );
    expect(m3.output).toMatch(new RegExp(`agent session relayed to the leader.*"leader":"${m1.addr}"`));
    await m1.control("service.create", pinnedService(2));
    await runningOnWorker(m1, 2);
  });

  it("keeps working after the leader is killed", async () => {
    const relayed = () => m3.output.split("\n").filter((line) => line.includes("agent session relayed"));
    const before = relayed().length;
    await m1.kill();
    const next = await leaderAmong([m2, m3]);
    if (next === m2) {
      // The follower relays the worker's new session to the new leader.
      const line = await eventually(async () => relayed().slice(before).at(-1), "a session relayed again");
      expect(line).toContain(`"leader":"${m2.addr}"`);
    }
    await next.control("service.scale", { service: "pinned", replicas: 3 });
    const running = await runningOnWorker(next, 3);
    expect(running).toHaveLength(3);
    const nodes = await next.control<NodeRow[]>("node.list", {});
    expect(nodes.find((n) => n.id === workerId)?.status.state).toBe("ready");
  });
});
