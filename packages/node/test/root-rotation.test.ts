/**
 * Root CA rotation without downtime, on real node processes (a manager, a worker, a second
 * manager) sharing the machine's dockerd, with a running service:
 * - `cluster.rotateRootCa` ends with every node's certificate signed by the new root's key and the
 *   new root on disk; no node goes DOWN and the service's tasks stay RUNNING throughout;
 * - a new worker joins with the new token; the old token (old digest) is refused;
 * - `swarm leave` on a worker removes its task containers.
 */
import { randomBytes, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskState } from "@shoal/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiMutate } from "./api-call.ts";
import { DaemonProcess, eventually } from "./daemon-process.ts";
import type { NodeRow, TaskRow } from "./store-rows.ts";
import { dockerAvailable, removeRunContainers, sleeperContainer, taskContainers } from "./task-containers.ts";

interface ClusterRow {
  rootCa: {
    caCertPem: string;
    joinTokens: { worker: string; manager: string };
    rotation?: { nodesRenewed: number; nodesTotal: number };
  };
}

const RUNNING = TaskState.Running;
const RUN_ID = randomBytes(4).toString("hex");
const REPLICAS = 3;
const engine = await dockerAvailable();

const SERVICE = {
  spec: {
    name: "web",
    mode: { replicated: { replicas: REPLICAS } },
    taskTemplate: {
      containerSpec: sleeperContainer(RUN_ID),
    },
  },
};

/** Whether the leaf of `chainPem` names `rootPem` as issuer and carries its key's signature. */
function issuedBy(chainPem: string, rootPem: string): boolean {
  const leaf = new X509Certificate(chainPem);
  const root = new X509Certificate(rootPem);
  return leaf.checkIssued(root) && leaf.verify(root.publicKey);
}

describe.skipIf(!engine.ok)("root CA rotation on node processes", () => {
  let root: string;
  const daemons: DaemonProcess[] = [];
  let m1: DaemonProcess;
  let w1: DaemonProcess;
  let m2: DaemonProcess;

  const running = async () => {
    const tasks = await m1.control<TaskRow[]>("task.list", { filters: { service: "web" } });
    return tasks.filter((t) => t.desiredState === RUNNING && t.status.state === RUNNING);
  };
  const certificate = (d: DaemonProcess) =>
    readFile(join(d.dataDir, "certificates", "swarm-node.crt"), "utf8");

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-rotation-test-"));
    // w1 serves the HTTP API: it leaves the swarm through it at the end.
    const started = await Promise.all(
      ["m1", "w1", "m2"].map((name) => DaemonProcess.start(root, name, { api: name === "w1" })),
    );
    daemons.push(...started);
    [m1, w1, m2] = started as [DaemonProcess, DaemonProcess, DaemonProcess];
    await m1.call("swarm/init", { advertiseAddr: m1.addr });
    const token = async (role: string) =>
      (await m1.control<{ token: string }>("swarm.joinToken", { role })).token;
    await w1.call("swarm/join", {
      token: await token("worker"),
      remoteAddr: m1.addr,
      advertiseAddr: w1.addr,
    });
    await m2.call("swarm/join", {
      token: await token("manager"),
      remoteAddr: m1.addr,
      advertiseAddr: m2.addr,
    });
    await eventually(async () => {
      const nodes = await m1.control<NodeRow[]>("node.list", {});
      return nodes.length === 3 && nodes.every((n) => n.status.state === "ready");
    }, "3 ready nodes");
    await m1.control("service.create", SERVICE);
    await eventually(async () => (await running()).length === REPLICAS, `${REPLICAS} running tasks`, 30_000);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await removeRunContainers(RUN_ID);
    await rm(root, { recursive: true, force: true });
  }, 30_000);

  it("rotates the root: every node renews, nothing goes down, tokens take the new digest", async () => {
    const before = await m1.control<ClusterRow>("cluster.inspect", {});
    const oldRoot = before.rootCa.caCertPem;
    const tasksBefore = (await running()).map((t) => t.id).sort();

    // Watch nodes and tasks throughout the rotation.
    const problems: string[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const nodes = await m1.control<NodeRow[]>("node.list", {}).catch(() => []);
        for (const n of nodes) if (n.status.state === "down") problems.push(`node ${n.id} DOWN`);
        const ids = (await running().catch(() => [])).map((t) => t.id).sort();
        if (ids.length > 0 && ids.join() !== tasksBefore.join())
          problems.push(`running tasks: ${ids.join()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const started = await m1.control<{ nodesRenewed: number; nodesTotal: number }>(
      "cluster.rotateRootCa",
      {},
    );
    expect(started.nodesTotal).toBe(3);
    const after = await eventually(
      async () => {
        const cluster = await m1.control<ClusterRow>("cluster.inspect", {});
        return cluster.rootCa.rotation === undefined && cluster.rootCa.caCertPem !== oldRoot
          ? cluster
          : undefined;
      },
      "the rotation to finish",
      30_000,
    );
    const newRoot = after.rootCa.caCertPem;
    // Every node's certificate (and root file) follows, then keeps working under the new root.
    for (const d of daemons) {
      await eventually(
        async () =>
          issuedBy(await certificate(d), newRoot) &&
          (await readFile(join(d.dataDir, "certificates", "swarm-root-ca.crt"), "utf8")) === newRoot,
        `${d.name}'s certificate and root file from the new root`,
      );
      expect(issuedBy(await certificate(d), oldRoot)).toBe(false);
    }
    await new Promise((r) => setTimeout(r, 3_000)); // a few heartbeat periods under the new root alone
    watching = false;
    await watch;
    expect(problems).toEqual([]);
    const nodes = await m2.control<NodeRow[]>("node.list", {});
    expect(nodes.map((n) => n.status.state)).toEqual(["ready", "ready", "ready"]);

    // Tokens: same secrets, new digest.
    const secret = (t: string) => t.split("-")[3];
    const digest = (t: string) => t.split("-")[2];
    expect(secret(after.rootCa.joinTokens.worker)).toBe(secret(before.rootCa.joinTokens.worker));
    expect(digest(after.rootCa.joinTokens.worker)).not.toBe(digest(before.rootCa.joinTokens.worker));

    const [w2, w3] = await Promise.all(["w2", "w3"].map((name) => DaemonProcess.start(root, name)));
    daemons.push(w2!, w3!);
    await expect(
      w3!.call("swarm/join", { token: before.rootCa.joinTokens.worker, remoteAddr: m1.addr }),
    ).rejects.toMatchObject({
      code: "join-refused",
      message: expect.stringContaining("root CA does not match"),
    });
    const joined = await w2!.call<{ role: string }>("swarm/join", {
      token: after.rootCa.joinTokens.worker,
      remoteAddr: m2.addr,
      advertiseAddr: w2!.addr,
    });
    expect(joined.role).toBe("worker");
    expect(issuedBy(await certificate(w2!), newRoot)).toBe(true);
  }, 60_000);

  it("swarm leave on a worker removes its task containers", async () => {
    const w1Id = (await w1.info()).nodeId;
    await eventually(
      async () => (await taskContainers(RUN_ID)).some((c) => c.nodeId === w1Id),
      "a task container on w1",
    );
    await apiMutate(w1.apiUrl!, "swarm.leave", {});
    expect((await taskContainers(RUN_ID)).filter((c) => c.nodeId === w1Id)).toEqual([]);
    expect((await w1.info()).swarm).toBe("inactive");
  }, 30_000);
});
