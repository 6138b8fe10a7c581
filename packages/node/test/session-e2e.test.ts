/**
 * End to end over real gRPC and TLS on 127.0.0.1: a manager (single-member Raft, the dispatcher as
 * a leader component, the CA server) and an agent on the real Docker Engine that joins with a
 * worker token, registers, runs the task assigned to it, and is marked DOWN once its session dies.
 */

import { Agent, AgentSession } from "@shoal/agent";
import { ENGINE_ADDRESS, probeEngine, RUN_ID, RUN_LABEL, removeRunContainers } from "@shoal/agent/testing";
import { createNodeCsr, createRootCa, generateJoinTokens, issueNodeCertificate } from "@shoal/ca";
import {
  CaServer,
  ClusterState,
  DispatcherEndpoint,
  dispatcherComponent,
  LeaderRunner,
  MemoryDurableLog,
  systemClock,
} from "@shoal/manager";
import { LocalNetwork } from "@shoal/raft/transport";
import {
  addCaService,
  addDispatcherService,
  fetchRootCaForJoin,
  RpcServer,
  requestNodeCertificate,
  TlsMaterialSource,
} from "@shoal/rpc";
import { recordingLogger } from "@shoal/rpc/testing";
import { DEFAULT_CLUSTER_SPEC, type Node, TaskState } from "@shoal/store";
import { makeService, makeTaskSpec } from "@shoal/store/testing";
import { afterAll, describe, expect, it } from "vitest";

const engine = await probeEngine();
if (!engine.ok) it.skip(`session end to end skipped: ${engine.reason}`, () => {});

async function until<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!engine.ok)("agent session with a manager over gRPC and TLS", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await removeRunContainers();
  });

  it("joins, registers READY, runs its assigned task to RUNNING, and is DOWN within 3 s of losing its session", async () => {
    // The manager: single-member Raft over the store, the cluster object holding the root CA.
    const net = new LocalNetwork();
    const state = await ClusterState.open({
      id: 1,
      initialMembers: [1],
      transport: net.transport(1),
      log: { memory: new MemoryDurableLog() },
      driver: { tickMs: 10 },
    });
    cleanups.push(() => state.stop());
    state.start();
    await state.leadership.when((s) => s.isLeader);
    const store = state.store;
    const root = await createRootCa();
    const tokens = generateJoinTokens(root.certPem);
    const clusterId = store.newId();
    await store.update((tx) =>
      tx.create("cluster", {
        id: clusterId,
        spec: { ...DEFAULT_CLUSTER_SPEC, dispatcher: { heartbeatPeriodMs: 1_000 } },
        rootCa: { caCertPem: root.certPem, caKeyPem: root.keyPem, caCertHash: "", joinTokens: tokens },
        unlockKeys: [],
      }),
    );
    const managerId = store.newId();
    const managerKey = await createNodeCsr();
    const managerCert = await issueNodeCertificate({
      ca: root,
      csrPem: managerKey.csrPem,
      nodeId: managerId,
      role: "swarm-manager",
      clusterId,
    });
    const server = new RpcServer({
      listen: "127.0.0.1:0",
      tls: new TlsMaterialSource({
        certChainPem: managerCert.certChainPem,
        keyPem: managerKey.keyPem,
        trustBundlePem: root.certPem,
      }),
      isRemoved: (id) => id !== managerId && store.view((v) => v.nodes.get(id) === undefined),
      clusterId,
      logger: recordingLogger(),
    });
    const endpoint = new DispatcherEndpoint();
    addCaService(server, new CaServer(store));
    addDispatcherService(server, endpoint);
    await server.start();
    cleanups.push(() => server.stop(100));
    const errors: unknown[] = [];
    const runner = new LeaderRunner(state, [
      dispatcherComponent(endpoint, store, {
        clock: systemClock,
        self: { nodeId: managerId, addr: server.address },
        onError: (e) => errors.push(e),
      }),
    ]);
    runner.start();
    cleanups.push(() => runner.stop());
    await until(() => endpoint.current, "the dispatcher to start");

    // The worker joins with the worker token.
    const rootCaPem = await fetchRootCaForJoin(server.address, tokens.worker);
    const csr = await createNodeCsr();
    const joined = await requestNodeCertificate(server.address, {
      rootCaPem,
      csrPem: csr.csrPem,
      joinToken: tokens.worker,
      hints: { hostname: `e2e-${RUN_ID}` },
    });
    expect(joined.role).toBe("swarm-worker");
    const nodeId = joined.node_id;
    const tls = new TlsMaterialSource({
      certChainPem: joined.certificate_chain_pem,
      keyPem: csr.keyPem,
      trustBundlePem: rootCaPem,
    });
    let agent: Agent | undefined;
    const nodeRecords: Node[] = [];
    const session = new AgentSession({
      managers: [server.address],
      tls,
      clusterId,
      describeNode: () => (agent as Agent).describeNode(),
      onNode: (node) => nodeRecords.push(node),
      onError: (e) => errors.push(e),
    });
    agent = new Agent({
      nodeId,
      source: session,
      reporter: session,
      engineAddress: ENGINE_ADDRESS,
      hostname: `e2e-${RUN_ID}`,
      limits: { statusBatchGapMs: 10, statusBatchDelayMsMax: 100 },
    });
    session.start();
    await agent.start();
    cleanups.push(() => (agent as Agent).stop());
    cleanups.push(() => session.stop());

    const node = store.view((v) => v.nodes.get(nodeId));
    expect(node?.role).toBe("worker");
    await until(
      () => (store.view((v) => v.nodes.get(nodeId))?.status.state === "ready" ? true : undefined),
      "READY",
    );
    const ready = store.view((v) => v.nodes.get(nodeId))!;
    expect(ready.status.addr).toBe("127.0.0.1");
    expect(ready.description?.engine.version).not.toBe("");
    await until(() => nodeRecords.at(-1), "the node's own record on the session stream");

    // A task assigned to the node, straight in the store.
    const serviceId = store.newId();
    const taskId = store.newId();
    const spec = makeTaskSpec("shoal-test/busybox:1");
    spec.containerSpec = {
      ...spec.containerSpec,
      args: ["sleep", "60"],
      labels: { [RUN_LABEL]: RUN_ID },
      stopGracePeriodMs: 1_000,
    };
    await store.update((tx) => {
      tx.create("service", makeService(serviceId, `e2e-${RUN_ID}`));
      tx.create("task", {
        id: taskId,
        serviceId,
        slot: 1,
        nodeId,
        spec,
        serviceVersion: 1,
        desiredState: TaskState.Running,
        status: { state: TaskState.Assigned, message: "assigned", timestampMs: Date.now() },
        networksAttachments: [],
        restartHistory: [],
      });
    });
    const running = await until(() => {
      const task = store.view((v) => v.tasks.get(taskId));
      return task && task.status.state >= TaskState.Running ? task : undefined;
    }, "the task to be RUNNING in the store");
    expect(running.status.state).toBe(TaskState.Running);
    expect(running.status.containerId).toMatch(/^[0-9a-f]{64}$/);

    // Kill the session: no more heartbeats. The node must be DOWN within the window.
    await agent.stop();
    const killedAtMs = Date.now();
    await session.stop();
    await until(
      () => (store.view((v) => v.nodes.get(nodeId))?.status.state === "down" ? true : undefined),
      "the node to be DOWN",
      10_000,
    );
    const detectionMs = Date.now() - killedAtMs;
    console.log(`node marked DOWN ${detectionMs} ms after its session was killed`);
    expect(detectionMs).toBeLessThanOrEqual(3_000);
    expect(store.view((v) => v.nodes.get(nodeId))?.status.message).toBe("heartbeat failure");
  }, 60_000);
});
