import { type Network, TaskState } from "@shoal/store";
import { createTestStore, makeNode, makeOverlayNetwork, makeService, makeTask } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { networkMembers } from "./network-members.ts";

const id = (k: string, i: number) => `${k}${String(i).padStart(24, "0")}`;

describe("network members (network inspect)", () => {
  it("lists the attached task containers with node and address, the services with VIPs, and each node's own address", async () => {
    const { store } = createTestStore();
    const net = id("w", 1);
    const web = makeService(id("s", 1), "web");
    web.spec.taskTemplate.networks = [{ target: net, aliases: [] }];
    const task = (i: number, nodeId: string, addr: string, state = TaskState.Running) => ({
      ...makeTask(id("t", i), web.id as string, i),
      nodeId,
      status: { state, message: "", timestampMs: 0, containerId: `c${i}` },
      networksAttachments: [{ networkId: net, addresses: [addr], aliases: [] }],
    });
    await store.update((tx) => {
      tx.create("node", { ...makeNode(id("n", 1), "alpha"), networkAddressIndex: 1 });
      tx.create("node", {
        ...makeNode(id("n", 2), "beta"),
        status: { state: "ready", message: "", addr: "10.77.0.12" },
        networkAddressIndex: 0,
      });
      tx.create(
        "network",
        makeOverlayNetwork(net, "back", { allocated: { subnet: "10.0.9.0/24", gateway: "10.0.9.1" } }),
      );
      tx.create("service", {
        ...web,
        endpoint: {
          spec: web.spec.endpointSpec,
          ports: [],
          virtualIps: [{ networkId: net, addr: "10.0.9.2/24" }],
        },
      });
      tx.create("task", task(1, id("n", 1), "10.0.9.3/24"));
      tx.create("task", task(2, id("n", 2), "10.0.9.4/24", TaskState.Starting));
      // Gone (failed): its container is no longer on the network.
      tx.create("task", task(3, id("n", 2), "10.0.9.5/24", TaskState.Failed));
    });
    const members = store.view((v) => networkMembers(v, v.networks.get(net) as Network));
    expect(members.containers).toEqual([
      {
        taskId: id("t", 1),
        name: `web.1.${id("t", 1)}`,
        serviceId: web.id,
        serviceName: "web",
        nodeId: id("n", 1),
        nodeName: "alpha",
        containerId: "c1",
        ipv4Address: "10.0.9.3/24",
        state: "running",
      },
      expect.objectContaining({ nodeName: "beta", ipv4Address: "10.0.9.4/24", state: "starting" }),
    ]);
    expect(members.services).toEqual([
      { serviceId: web.id, name: "web", endpointMode: "vip", vip: "10.0.9.2/24", tasks: 2 },
    ]);
    expect(members.peers).toEqual([
      { nodeId: id("n", 1), name: "alpha", address: "10.77.0.11", networkAddress: "10.0.9.253", tasks: 1 },
      { nodeId: id("n", 2), name: "beta", address: "10.77.0.12", networkAddress: "10.0.9.254", tasks: 1 },
    ]);
  });
});
