/**
 * Two hosts in network namespaces on a test bridge (10.77.x.0/24), each with its own dockerd:
 * a manager in one, a worker in the other, joined over the namespaces' addresses. A 2-replica
 * service constrained to the worker runs on the worker's dockerd and nowhere else. The hosts
 * (dockerds and the containerd/shims they leave, namespaces, links, the iptables rule) are taken
 * down in afterAll, also after a failure. Needs root and `ip netns`; skipped otherwise, saying so.
 */
import { randomBytes } from "node:crypto";
import { TaskState } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { multiHostSkipReason } from "../../agent/src/network/test-support/netns-hosts.ts";
import { eventually } from "./daemon-process.ts";
import type { TaskRow } from "./store-rows.ts";
import { sleeperContainer, taskContainers } from "./task-containers.ts";
import { twoHostSwarm } from "./two-host-swarm.ts";

const skipReason = await multiHostSkipReason();
const RUN_ID = randomBytes(4).toString("hex");

describe.skipIf(skipReason !== undefined)("a manager and a worker on two hosts (network namespaces)", () => {
  const swarm = twoHostSwarm("mh");

  it("joins the worker over the namespaces' addresses and runs a constrained service on its dockerd", async () => {
    const nodes = await swarm.initAndJoin();
    const workerRow = nodes.find((n) => n.description?.hostname === "mh-worker")!;
    expect(workerRow.status.addr).toBe(swarm.h2.address);

    await swarm.manager.control("service.create", {
      spec: {
        name: "pinned",
        mode: { replicated: { replicas: 2 } },
        taskTemplate: {
          containerSpec: sleeperContainer(RUN_ID),
          placement: { constraints: ["node.hostname==mh-worker"] },
        },
      },
    });
    const running = await eventually(async () => {
      const tasks = await swarm.manager.control<TaskRow[]>("task.list", { filters: { service: "pinned" } });
      const up = tasks.filter((t) => t.status.state === TaskState.Running);
      return up.length === 2 ? up : undefined;
    }, "2 running tasks");
    expect(running.every((t) => t.nodeId === workerRow.id)).toBe(true);

    const onWorker = await taskContainers(RUN_ID, `unix://${swarm.h2.dockerSocket}`);
    expect(
      onWorker
        .filter((c) => c.running)
        .map((c) => c.taskId)
        .sort(),
    ).toEqual(running.map((t) => t.id).sort());
    expect(onWorker.every((c) => c.nodeId === workerRow.id)).toBe(true);
    expect(await taskContainers(RUN_ID, `unix://${swarm.h1.dockerSocket}`)).toEqual([]);
  });
});

if (skipReason !== undefined) it.skip(`multi-host test skipped: ${skipReason}`, () => {});
