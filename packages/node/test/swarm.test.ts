/**
 * Nodes over the network, as real OS processes on loopback, each with its own data dir and port,
 * sharing the machine's dockerd (DOCKER_HOST): init, joins, refused joins, promote/demote with the
 * quorum message, leader failover after kill -9, restart, node rm and force-new-cluster.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeInfo } from "../src/node-options.ts";
import { apiMutate } from "./api-call.ts";
import { DaemonProcess, eventually } from "./daemon-process.ts";
import type { NodeRow } from "./store-rows.ts";
import { removeRunContainers, sleeperContainer } from "./task-containers.ts";

const RUN_ID = `swarm-${randomBytes(4).toString("hex")}`;
// Agents run the service's tasks: a long sleep, labelled so afterAll removes the containers.
const SERVICE = {
  spec: {
    name: "web",
    taskTemplate: {
      containerSpec: sleeperContainer(RUN_ID),
    },
  },
};

describe("a swarm of node processes", () => {
  let root: string;
  const daemons: DaemonProcess[] = [];
  let a: DaemonProcess;
  let b: DaemonProcess;
  let c: DaemonProcess;
  let d: DaemonProcess;
  let workerToken: string;
  let managerToken: string;
  const ids: Record<string, string> = {};

  const start = async (name: string) => {
    const daemon = await DaemonProcess.start(root, name, { api: true });
    daemons.push(daemon);
    return daemon;
  };
  const leaderOf = async (candidates: DaemonProcess[]) =>
    eventually(async () => {
      for (const n of candidates) if ((await n.info().catch(() => undefined))?.isLeader) return n;
      return undefined;
    }, "a leader");
  const nodes = (via: DaemonProcess) => via.control<NodeRow[]>("node.list", {});

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-node-test-"));
    [a, b, c, d] = await Promise.all([start("n1"), start("n2"), start("n3"), start("n4")]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(daemons.map((n) => n.kill()));
    await removeRunContainers(RUN_ID);
    await rm(root, { recursive: true, force: true });
  });

  it("initialises a swarm: one manager that leads", async () => {
    const r = await a.call<{ nodeId: string }>("swarm/init", { advertiseAddr: a.addr });
    ids.n1 = r.nodeId;
    const info = await a.info();
    expect(info).toMatchObject({ swarm: "active", role: "manager", isLeader: true, nodeId: r.nodeId });
    workerToken = (await a.control<{ token: string }>("swarm.joinToken", { role: "worker" })).token;
    managerToken = (await a.control<{ token: string }>("swarm.joinToken", { role: "manager" })).token;
    expect(workerToken).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
  });

  it("refuses a wrong token and a token of another swarm", async () => {
    const wrong = `${workerToken.slice(0, -25)}${"0".repeat(25)}`;
    await expect(d.call("swarm/join", { token: wrong, remoteAddr: a.addr })).rejects.toMatchObject({
      code: "join-refused",
    });
    const other = await start("other");
    await other.call("swarm/init", { advertiseAddr: other.addr });
    const foreign = (await other.control<{ token: string }>("swarm.joinToken", { role: "worker" })).token;
    await expect(d.call("swarm/join", { token: foreign, remoteAddr: a.addr })).rejects.toMatchObject({
      code: "join-refused",
      message: expect.stringContaining("root CA does not match"),
    });
    await other.kill();
    expect((await d.info()).swarm).toBe("inactive");
  });

  it("joins a worker and two managers (learners promoted to voters)", async () => {
    ids.n2 = (
      await b.call<{ nodeId: string }>("swarm/join", { token: managerToken, remoteAddr: a.addr })
    ).nodeId;
    ids.n3 = (
      await c.call<{ nodeId: string }>("swarm/join", { token: workerToken, remoteAddr: a.addr })
    ).nodeId;
    // A manager may join through any manager: its Join is forwarded to the leader.
    ids.n4 = (
      await d.call<{ nodeId: string }>("swarm/join", { token: managerToken, remoteAddr: b.addr })
    ).nodeId;
    expect((await c.info()).role).toBe("worker");
    await eventually(async () => {
      const list = await nodes(a);
      return list.filter((n) => n.managerStatus).length === 3 && list.length === 4;
    }, "three managers and a worker");
    // Followers forward control calls to the leader.
    await d.control("service.create", SERVICE);
    const services = await b.control<{ spec: { name: string } }[]>("service.list", {});
    expect(services.map((s) => s.spec.name)).toEqual(["web"]);
  });

  it("promotes a worker inside its running process, and refuses a demotion that breaks quorum", async () => {
    const r = await b.control<{ message: string }>("node.promote", { node: ids.n3 });
    expect(r.message).toContain("promoted");
    await eventually(
      async () => (await c.info()).role === "manager" && (await c.info()).raftId > 0,
      "n3 to be a manager",
    );
    await eventually(
      async () => (await nodes(a)).filter((n) => n.managerStatus).length === 4,
      "four managers",
    );
    // Two of four managers down: demoting a live one would leave 3 with 1 reachable.
    await d.kill();
    await c.kill();
    await eventually(
      async () =>
        (await a.control<{ managerStatus?: { reachability: string } }[]>("node.list", {})).filter(
          (n) => n.managerStatus?.reachability === "unreachable",
        ).length === 2,
      "the leader to see two managers unreachable",
    );
    const failure = await a.control("node.demote", { node: ids.n2 }).catch((e: Error) => e);
    expect(failure).toMatchObject({ code: "failed-precondition" });
    expect((failure as Error).message).toMatch(
      /would break quorum: \d managers would remain, of which 1 is reachable, and \d managers need \d reachable \(they tolerate \d failures?\)/,
    );
    await Promise.all([c.restart(), d.restart()]);
    const demoted = await eventually(
      () => a.control<{ message: string }>("node.demote", { node: ids.n3 }).catch(() => undefined),
      "the demotion once quorum is back",
    );
    expect(demoted.message).toContain("3 managers remain, tolerating 1 failure");
    await eventually(async () => (await c.info()).role === "worker", "n3 to drop its manager role");
  }, 60_000);

  it("fails over within about two seconds after kill -9 of the leader", async () => {
    const managers = [a, b, d];
    const leader = await leaderOf(managers);
    const rest = managers.filter((m) => m !== leader);
    await leader.kill();
    const killedAt = Date.now();
    await eventually(
      () => rest[0]!.control("service.scale", { service: "web", replicas: 2 }).then(() => true),
      "a write after failover",
      10_000,
    );
    const failoverMs = Date.now() - killedAt;
    console.log(`failover: a write was accepted ${failoverMs} ms after kill -9 of the leader`);
    expect(failoverMs).toBeLessThan(4_000);
    await leader.restart();
  }, 30_000);

  it("restarts a node with the same id and role, resuming its Raft state", async () => {
    const before = await b.info();
    await b.stop();
    await b.restart();
    const after: NodeInfo = await b.info();
    expect(after).toMatchObject({ nodeId: before.nodeId, role: "manager", raftId: before.raftId });
    await eventually(async () => (await b.control<unknown[]>("service.list", {})).length === 1, "b to serve");
  }, 30_000);

  it("removes a node: a ready one only with force; a manager only once demoted", async () => {
    await expect(a.control("node.remove", { node: ids.n2 })).rejects.toMatchObject({
      code: "failed-precondition",
    });
    // Through the node's HTTP API; this swarm has no users, so no credentials are needed.
    expect(await apiMutate(c.apiUrl!, "swarm.leave", {})).toEqual({ left: true });
    // The node's agent stopped heartbeating: it is DOWN after the heartbeat grace (~2.5 s).
    await eventually(
      async () => (await nodes(a)).find((n) => n.id === ids.n3)?.status.state === "down",
      "the node that left to be DOWN",
    );
    await a.control("node.remove", { node: ids.n3 });
    expect((await nodes(a)).map((n) => n.id)).not.toContain(ids.n3);
  });

  it("recovers a single manager with --force-new-cluster, keeping services", async () => {
    const survivor = await leaderOf([a, b, d]);
    await Promise.all([a, b, d].filter((m) => m !== survivor).map((m) => m.kill()));
    await apiMutate(survivor.apiUrl!, "swarm.init", { forceNewCluster: true });
    const info = await survivor.info();
    expect(info.isLeader).toBe(true);
    const services = await survivor.control<{ spec: { name: string } }[]>("service.list", {});
    expect(services.map((s) => s.spec.name)).toEqual(["web"]);
    await survivor.control("service.scale", { service: "web", replicas: 1 });
    const managers = (await nodes(survivor)).filter((n) => n.managerStatus);
    expect(managers.map((n) => n.id)).toEqual([info.nodeId]);
  }, 30_000);
});
