/**
 * An overlay network across two hosts (network namespaces, one dockerd each; a manager on one, a
 * worker on the other): a service with one replica per host on it, the task on host 1 reaches the
 * task on host 2 by its overlay address over HTTP and resolves `tasks.web` and `web` through the
 * node's DNS server; network inspect lists both tasks and each node's own address on the network
 * (which its host's bridge carries); after a scale down the answer shrinks and the host without a
 * task drops the network, after a scale up it grows again. Everything (dockerds and what they
 * left, namespaces, links) goes in afterAll, also after a failure. Needs root and `ip netns`;
 * skipped otherwise, saying so.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { TaskState } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { multiHostSkipReason, type TestHost } from "../../agent/src/network/test-support/netns-hosts.ts";
import { eventually } from "./daemon-process.ts";
import type { TaskRow } from "./store-rows.ts";
import { taskContainers, webContainer } from "./task-containers.ts";
import { twoHostSwarm } from "./two-host-swarm.ts";

const skipReason = await multiHostSkipReason();
const RUN_ID = randomBytes(4).toString("hex");
const SUBNET = "10.213.7.0/24";
const NETWORK_ID_LABEL = "com.shoal.network.id";
const exec = promisify(execFile);

interface NetworkMembers {
  containers: Array<{ nodeId: string; ipv4Address: string }>;
  services: Array<{ name: string; vip?: string; tasks: number }>;
  peers: Array<{ nodeId: string; address: string; networkAddress?: string }>;
}
interface NetworkRow {
  id: string;
  ipam: Array<{ subnet: string }>;
  driverState?: { options: Record<string, string> };
}

/** Runs a command in a container of `host`; stdout. */
async function inContainer(host: TestHost, containerId: string, command: string[]): Promise<string> {
  const { stdout } = await exec(
    "docker",
    ["-H", `unix://${host.dockerSocket}`, "exec", containerId, ...command],
    { timeout: 10_000 },
  );
  return stdout;
}

/** The A records busybox nslookup prints (the resolver's own address left out). */
async function lookup(host: TestHost, containerId: string, name: string): Promise<string[]> {
  const out = await inContainer(host, containerId, ["busybox", "nslookup", "-type=a", name]).catch(
    (err: { stdout?: string }) => err.stdout ?? "",
  );
  const answer = out
    .split(/\n\s*\n/)
    .slice(1)
    .join("\n");
  return [...answer.matchAll(/Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)(?!:)/g)].map((m) => m[1]!).sort();
}

/** What the hosts' overlays look like, for a failure's message. */
async function diagnostics(hosts: TestHost[]): Promise<string> {
  const out: string[] = [];
  for (const h of hosts) {
    for (const cmd of [
      ["ip", "-d", "-br", "link"],
      ["ip", "-br", "addr"],
      ["bridge", "fdb", "show"],
    ]) {
      out.push(`${h.name}$ ${cmd.join(" ")}\n${await h.run(cmd).catch((e) => String(e))}`);
    }
  }
  return out.join("\n");
}

describe.skipIf(skipReason !== undefined)("an overlay network across two hosts (network namespaces)", () => {
  const swarm = twoHostSwarm("ov");

  it("carries HTTP between hosts by overlay address, answers tasks.web and web, lists its members, follows scaling", async () => {
    const nodes = await swarm.initAndJoin();
    const hostOf = (nodeId: string | undefined) =>
      nodes.find((n) => n.id === nodeId)?.status.addr === swarm.h1.address ? swarm.h1 : swarm.h2;

    const network = await swarm.manager.control<NetworkRow>("network.create", {
      name: "ov",
      driver: "overlay",
      attachable: true,
      ipam: [{ subnet: SUBNET, gateway: "10.213.7.1" }],
    });
    const allocated = await eventually(async () => {
      const n = await swarm.manager.control<NetworkRow>("network.inspect", { network: "ov" });
      return n.ipam.length > 0 ? n : undefined;
    }, "the network allocated");
    expect(allocated.ipam[0]?.subnet).toBe(SUBNET);
    expect(
      Number(allocated.driverState?.options["com.docker.network.driver.overlay.vxlanid_list"]),
    ).toBeGreaterThanOrEqual(4096);

    await swarm.manager.control("service.create", {
      spec: {
        name: "web",
        mode: { replicated: { replicas: 2 } },
        taskTemplate: {
          containerSpec: webContainer(RUN_ID),
          placement: { maxReplicas: 1 },
          networks: [{ target: "ov" }],
        },
      },
    });
    const running = await eventually(
      async () => {
        const tasks = await swarm.manager.control<TaskRow[]>("task.list", { filters: { service: "web" } });
        const up = tasks.filter(
          (t) => t.status.state === TaskState.Running && t.desiredState === TaskState.Running,
        );
        return up.length === 2 ? up : undefined;
      },
      "2 running tasks, one per host",
      60_000,
    );
    expect(new Set(running.map((t) => t.nodeId)).size).toBe(2);
    const ipOf = (t: TaskRow) =>
      t.networksAttachments.find((a) => a.networkId === network.id)!.addresses[0]!.split("/")[0]!;
    const containerOf = async (t: TaskRow) => {
      const host = hostOf(t.nodeId);
      const c = (await taskContainers(RUN_ID, `unix://${host.dockerSocket}`)).find((x) => x.taskId === t.id);
      return { host, id: c!.id };
    };
    const onH1 = running.find((t) => hostOf(t.nodeId) === swarm.h1)!;
    const onH2 = running.find((t) => hostOf(t.nodeId) === swarm.h2)!;
    const c1 = await containerOf(onH1);
    const c2 = await containerOf(onH2);

    // HTTP from host 1's task to host 2's, by its overlay address (VXLAN between the namespaces).
    const hostname2 = (await inContainer(swarm.h2, c2.id, ["hostname"])).trim();
    const body = await eventually(
      // No -T: busybox-static's wget crashes with a timeout set; exec's own timeout bounds it.
      () => inContainer(swarm.h1, c1.id, ["wget", "-q", "-O", "-", `http://${ipOf(onH2)}/`]),
      "HTTP across hosts on the overlay",
    ).catch(async (err) => {
      const extra = [
        await inContainer(swarm.h1, c1.id, [
          "sh",
          "-c",
          `ping -c1 -W1 ${ipOf(onH2)} 2>&1; busybox ip neigh`,
        ]).catch(String),
        await swarm.h1.run(["ip", "-d", "link", "show", "type", "vxlan"]).catch(String),
        await swarm.h2.run(["ip", "-d", "link", "show", "type", "vxlan"]).catch(String),
      ];
      throw new Error(`${String(err)}\n${await diagnostics([swarm.h1, swarm.h2])}\n${extra.join("\n")}`);
    });
    expect(body.trim()).toBe(hostname2);

    // The node's DNS server (the containers' --dns, through Docker's embedded resolver).
    const both = [ipOf(onH1), ipOf(onH2)].sort();
    await eventually(
      async () => JSON.stringify(await lookup(swarm.h1, c1.id, "tasks.web")) === JSON.stringify(both),
      "tasks.web → both task addresses",
    );
    const service = await swarm.manager.control<{
      endpoint?: { virtualIps: Array<{ networkId: string; addr: string }> };
    }>("service.inspect", { service: "web" });
    const vip = service.endpoint!.virtualIps.find((v) => v.networkId === network.id)!.addr.split("/")[0]!;
    expect(await lookup(swarm.h1, c1.id, "web")).toEqual([vip]);

    // network inspect: both tasks with their node and address; each node's own address on the
    // network (from its stored index) is the one its host's bridge carries.
    const members = await swarm.manager.control<NetworkMembers>("network.inspect", { network: "ov" });
    expect(members.containers.map((c) => [c.nodeId, c.ipv4Address.split("/")[0]]).sort()).toEqual(
      running.map((t) => [t.nodeId, ipOf(t)]).sort(),
    );
    expect(members.services).toEqual([expect.objectContaining({ name: "web", vip: `${vip}/24`, tasks: 2 })]);
    expect(members.peers).toHaveLength(2);
    expect(new Set(members.peers.map((p) => p.networkAddress)).size).toBe(2);
    for (const peer of members.peers) {
      const host = hostOf(peer.nodeId);
      expect(peer.address).toBe(host.address);
      expect(await host.run(["ip", "-br", "addr"])).toContain(`${peer.networkAddress}/24`);
    }

    // Scale down: the answer shrinks; the host left without a task drops the network.
    await swarm.manager.control("service.scale", { service: "web", replicas: 1 });
    const left = await eventually(
      async () => {
        const tasks = await swarm.manager.control<TaskRow[]>("task.list", { filters: { service: "web" } });
        const live = tasks.filter((t) => t.desiredState === TaskState.Running);
        const gone = tasks.filter((t) => t.desiredState !== TaskState.Running);
        return live.length === 1 && gone.every((t) => t.status.state > TaskState.Running)
          ? live[0]
          : undefined;
      },
      "one task left",
      30_000,
    );
    const kept = await containerOf(left);
    await eventually(
      async () =>
        JSON.stringify(await lookup(kept.host, kept.id, "tasks.web")) === JSON.stringify([ipOf(left)]),
      "tasks.web → the one task left",
    );
    const emptied = kept.host === swarm.h1 ? swarm.h2 : swarm.h1;
    await eventually(async () => {
      const networks = await emptied.docker.listNetworks({
        filters: JSON.stringify({ label: [NETWORK_ID_LABEL] }),
      });
      return networks.length === 0;
    }, "the network gone from the host without a task");

    // Scale up again: the new task's address joins the answer.
    await swarm.manager.control("service.scale", { service: "web", replicas: 2 });
    const again = await eventually(
      async () => {
        const tasks = await swarm.manager.control<TaskRow[]>("task.list", { filters: { service: "web" } });
        const up = tasks.filter(
          (t) => t.status.state === TaskState.Running && t.desiredState === TaskState.Running,
        );
        return up.length === 2 ? up : undefined;
      },
      "2 running tasks again",
      60_000,
    );
    const grown = again.map(ipOf).sort();
    await eventually(
      async () => JSON.stringify(await lookup(kept.host, kept.id, "tasks.web")) === JSON.stringify(grown),
      "tasks.web → both tasks after scaling up",
    );
  }, 180_000);
});

if (skipReason !== undefined) it.skip(`multi-host overlay test skipped: ${skipReason}`, () => {});
