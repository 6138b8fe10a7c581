import { afterEach, describe, expect, it } from "vitest";
import { DispatcherKit, FakeAgent } from "./dispatcher-test-kit.ts";

let kit: DispatcherKit;
afterEach(async () => {
  await kit.dispatcher.stop();
});

async function registered(kit: DispatcherKit, nodeId: string): Promise<FakeAgent> {
  const agent = new FakeAgent(kit, nodeId);
  agent.openSession();
  await kit.advance(50);
  return agent;
}

describe("Dispatcher sessions and heartbeats", () => {
  it("registers a node: READY with its description and address, and tells it the session, managers and root CA", async () => {
    kit = new DispatcherKit();
    await kit.createCluster();
    const [nodeId] = await kit.addNodes(1);
    kit.dispatcher.start();
    const agent = await registered(kit, nodeId!);
    const node = kit.node(nodeId!)!;
    expect(node.status).toEqual({ state: "ready", message: "", addr: "10.77.0.11" });
    expect(node.description).toMatchObject({
      hostname: "worker-1",
      platform: { os: "linux", arch: "x86_64" },
    });
    expect(node.description?.engine.labels).toEqual({ zone: "a" });
    const first = agent.sessionMessages[0]!;
    expect(first.session_id).toMatch(/^[0-9a-z]{25}$/);
    expect(JSON.parse(first.node_json)).toMatchObject({ id: nodeId, status: { state: "ready" } });
    expect(first.managers).toEqual([{ node_id: "manager1", addr: "127.0.0.1:2377", weight: 10 }]);
    expect(first.root_ca_pem).toBe("ROOT PEM");
    expect(await agent.heartbeat()).toEqual({ period_ms: 875 }); // 1 s minus jitter (random 0.5 × 25 %)
  });

  it("marks a node DOWN once it misses heartbeats for 2.5 periods (within 3 s), and ends its session", async () => {
    kit = new DispatcherKit();
    await kit.createCluster(1_000);
    const [nodeId] = await kit.addNodes(1);
    kit.dispatcher.start();
    const agent = await registered(kit, nodeId!);
    for (let i = 0; i < 5; i++) {
      await kit.advance(900);
      await agent.heartbeat();
    }
    expect(kit.node(nodeId!)?.status.state).toBe("ready");
    const lastHeartbeatMs = kit.clock.nowMs();
    let downAtMs: number | undefined;
    while (downAtMs === undefined && kit.clock.nowMs() - lastHeartbeatMs < 5_000) {
      await kit.advance(10);
      if (kit.node(nodeId!)?.status.state === "down") downAtMs = kit.clock.nowMs();
    }
    const detectionMs = downAtMs! - lastHeartbeatMs;
    expect(detectionMs).toBeGreaterThanOrEqual(2_500);
    expect(detectionMs).toBeLessThanOrEqual(3_000);
    expect(kit.node(nodeId!)?.status.message).toBe("heartbeat failure");
    expect(await agent.sessionEnd).toMatch(/^UNAVAILABLE: .*missed its heartbeats/);
    await expect(agent.heartbeat()).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Registering again brings it back.
    const again = await registered(kit, nodeId!);
    expect(again.sessionId).not.toBe(agent.sessionId);
    expect(kit.node(nodeId!)?.status.state).toBe("ready");
  });

  it("follows the cluster's heartbeat period", async () => {
    kit = new DispatcherKit();
    await kit.createCluster(4_000);
    const [nodeId] = await kit.addNodes(1);
    kit.dispatcher.start();
    const agent = await registered(kit, nodeId!);
    expect((await agent.heartbeat()).period_ms).toBe(3_500);
    await kit.advance(9_900);
    expect(kit.node(nodeId!)?.status.state).toBe("ready");
    await kit.advance(500);
    expect(kit.node(nodeId!)?.status.state).toBe("down");
  });

  it("after a leader change gives every node one full grace period and writes nothing for nodes that report in", async () => {
    kit = new DispatcherKit();
    await kit.createCluster();
    const nodes = await kit.addNodes(3, "ready");
    await kit.advance(60_000); // the old leader's time: nothing here knows when they last reported
    const versionBefore = kit.store.version;
    kit.dispatcher.start();
    await kit.advance(2_000);
    expect(kit.store.version).toBe(versionBefore); // nobody was marked unknown or down
    expect(nodes.map((id) => kit.node(id)?.status.state)).toEqual(["ready", "ready", "ready"]);
    // Two nodes find the new leader; their registration changes nothing (already ready, same address).
    const a = await registered(kit, nodes[0]!);
    const b = await registered(kit, nodes[1]!);
    await kit.advance(300);
    await a.heartbeat();
    await b.heartbeat();
    await kit.advance(700);
    // 3 s after the start: the silent node is down, the others are not.
    expect(nodes.map((id) => kit.node(id)?.status.state)).toEqual(["ready", "ready", "down"]);
  });

  it("marks thousands of silent nodes DOWN in a few transactions", async () => {
    kit = new DispatcherKit();
    await kit.createCluster();
    const nodes = await kit.addNodes(3_000, "ready");
    kit.dispatcher.start();
    await kit.advance(3_000);
    const states = new Set(nodes.map((id) => kit.node(id)?.status.state));
    expect([...states]).toEqual(["down"]);
    expect(kit.dispatcher.transactionCount.nodes).toBeLessThanOrEqual(3);
  });

  it("a new session replaces the node's old one", async () => {
    kit = new DispatcherKit();
    await kit.createCluster();
    const [nodeId] = await kit.addNodes(1);
    kit.dispatcher.start();
    const first = await registered(kit, nodeId!);
    const second = await registered(kit, nodeId!);
    expect(await first.sessionEnd).toMatch(/^ABORTED: session replaced/);
    await expect(first.heartbeat()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(second.heartbeat()).resolves.toBeDefined();
    expect(kit.dispatcher.sessionCount).toBe(1);
  });

  it("ends a removed node's session and refuses it a new one", async () => {
    kit = new DispatcherKit();
    await kit.createCluster();
    const [nodeId] = await kit.addNodes(1);
    kit.dispatcher.start();
    const agent = await registered(kit, nodeId!);
    agent.openAssignments();
    await kit.advance(10);
    await kit.store.update((tx) => tx.delete("node", tx.nodes.get(nodeId!)!));
    await kit.advance(10);
    expect(await agent.sessionEnd).toMatch(/^PERMISSION_DENIED: .*removed/);
    expect(await agent.assignmentsEnd).toMatch(/^PERMISSION_DENIED: .*removed/);
    const again = new FakeAgent(kit, nodeId!);
    again.openSession();
    expect(await again.sessionEnd).toMatch(/^PERMISSION_DENIED/);
  });

  it("sends the node its own record when an operator changes it", async () => {
    kit = new DispatcherKit();
    await kit.createCluster();
    const [nodeId] = await kit.addNodes(1);
    kit.dispatcher.start();
    const agent = await registered(kit, nodeId!);
    await kit.store.update((tx) => {
      const node = tx.nodes.get(nodeId!)!;
      tx.update("node", { ...node, spec: { ...node.spec, availability: "drain" } });
    });
    await kit.advance(10);
    const last = agent.sessionMessages.at(-1)!;
    expect(JSON.parse(last.node_json).spec.availability).toBe("drain");
    expect(last.managers).toEqual([]); // unchanged: not repeated
  });

  it("answers UNAVAILABLE once stopped (leadership lost), ending open sessions", async () => {
    kit = new DispatcherKit();
    await kit.createCluster();
    const [nodeId] = await kit.addNodes(1);
    kit.dispatcher.start();
    const agent = await registered(kit, nodeId!);
    await kit.dispatcher.stop();
    expect(await agent.sessionEnd).toMatch(/^UNAVAILABLE: dispatcher stopped/);
    await expect(agent.heartbeat()).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
