/** The agent's session against scripted dispatchers over real gRPC and TLS on 127.0.0.1. */
import { X509Certificate } from "node:crypto";
import {
  type AssignmentsMessage,
  addCaService,
  addDispatcherService,
  type DispatcherHandlers,
  RpcError,
  RpcServer,
  type SessionMessage,
  TlsMaterialSource,
} from "@shoal/rpc";
import {
  createTestSwarm,
  nodeMaterial,
  recordingLogger,
  type TestSwarm,
  testCaHandlers,
} from "@shoal/rpc/testing";
import type { NodeDescription } from "@shoal/store";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AssignmentMessage } from "../session-interface.ts";
import { AgentSession } from "./agent-session.ts";

let swarm: TestSwarm;
beforeAll(async () => {
  swarm = await createTestSwarm();
});

const DESCRIPTION: NodeDescription = {
  hostname: "w1",
  platform: { os: "linux", arch: "x86_64" },
  resources: { nanoCpus: 1e9, memoryBytes: 1024 },
  engine: { version: "20.10", labels: {} },
};

interface Scripted {
  readonly server: RpcServer;
  readonly sessions: string[];
  heartbeats: number;
  /** Refuse new sessions with UNAVAILABLE (a manager going away). */
  refuse?: boolean;
  /** What the session stream sends after its first message, then it ends (or stays open). */
  afterOpen?: (send: (m: SessionMessage) => Promise<void>) => Promise<void>;
  assignments?: DispatcherHandlers["assignments"];
}

const open: { close: () => Promise<unknown> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function manager(name: string, periodMs = 1_000): Promise<Scripted> {
  const server = new RpcServer({
    listen: "127.0.0.1:0",
    tls: new TlsMaterialSource(await nodeMaterial(swarm, name, "swarm-manager")),
    isRemoved: () => false,
    clusterId: swarm.clusterId,
    logger: recordingLogger(),
  });
  const scripted: Scripted = { server, sessions: [], heartbeats: 0 };
  addCaService(server, testCaHandlers(swarm));
  addDispatcherService(server, {
    session: async (request, context, send) => {
      if (scripted.refuse) throw new RpcError("UNAVAILABLE", `${name} is going away`);
      const id = `${name}-s${scripted.sessions.length + 1}`;
      scripted.sessions.push(request.description?.hostname ?? "none");
      await send({ session_id: id, node_json: "", managers: [], root_ca_pem: "" });
      if (scripted.afterOpen) return scripted.afterOpen(send);
      await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
    },
    heartbeat: async () => {
      scripted.heartbeats++;
      return { period_ms: periodMs };
    },
    assignments: (request, context, send) =>
      scripted.assignments ? scripted.assignments(request, context, send) : Promise.resolve(),
    updateTaskStatus: async () => {},
  });
  await server.start();
  open.push({ close: () => server.stop(50) });
  return scripted;
}

async function workerTls(): Promise<TlsMaterialSource> {
  return new TlsMaterialSource(await nodeMaterial(swarm, "worker1", "swarm-worker"));
}

function session(managers: string[], tls: TlsMaterialSource, errors: unknown[] = []): AgentSession {
  const s = new AgentSession({
    managers,
    tls,
    clusterId: swarm.clusterId,
    describeNode: async () => DESCRIPTION,
    limits: { connectDelayMsMin: 10, connectDelayMsMax: 50, sessionOpenTimeoutMs: 300 },
    onError: (e) => errors.push(e),
  });
  open.push({ close: () => s.stop() });
  return s;
}

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("AgentSession", () => {
  it("registers with its description and heartbeats at the period the dispatcher returns", async () => {
    const m = await manager("m1", 50);
    const s = session([m.server.address], await workerTls());
    s.start();
    await until(() => s.sessionId !== "", "a session");
    expect(m.sessions).toEqual(["w1"]);
    // Six beats well within 2 s proves the 50 ms period was taken (the default is 1 s); never more
    // than one per period proves it is not beating faster. Counted over elapsed time, so a loaded
    // machine that delays timers does not fail the test.
    const start = m.heartbeats;
    const startedAt = Date.now();
    await until(() => m.heartbeats - start >= 6, "six heartbeats", 2_000);
    const elapsedMs = Date.now() - startedAt;
    expect(m.heartbeats - start).toBeLessThanOrEqual(Math.ceil(elapsedMs / 50) + 2);
  });

  it("stays with the manager it chose when a session ends, and moves on round the list the session sent when that manager fails", async () => {
    const b = await manager("m2");
    const c = await manager("m3");
    b.afterOpen = async (send) => {
      if (b.sessions.length > 1) {
        // The second session ends too, and this manager refuses new ones from now on.
        b.refuse = true;
        return;
      }
      await send({
        session_id: "m2-s1",
        node_json: "",
        managers: [
          { node_id: "m3", addr: c.server.address, weight: 10 },
          { node_id: "m2", addr: b.server.address, weight: 1 },
        ],
        root_ca_pem: "",
      });
      // Leadership moves: the stream ends, and the agent opens a new session here.
    };
    const s = session(["127.0.0.1:1", b.server.address], await workerTls());
    s.start();
    await until(() => c.sessions.length === 1, "a session with the manager the list named");
    expect(b.sessions).toHaveLength(2);
    expect(s.picker.addresses).toEqual([c.server.address, b.server.address]);
    await until(() => s.sessionId.startsWith("m3"), "the new session");
  });

  it("moves on from a manager that refuses the session (a follower answering UNAVAILABLE)", async () => {
    const follower = await manager("m6");
    follower.afterOpen = undefined;
    const leader = await manager("m7");
    const refusing = new RpcServer({
      listen: "127.0.0.1:0",
      tls: new TlsMaterialSource(await nodeMaterial(swarm, "m8", "swarm-manager")),
      isRemoved: () => false,
      logger: recordingLogger(),
    });
    addDispatcherService(refusing, {
      session: async () => {
        throw new RpcError("UNAVAILABLE", "this manager is not the leader");
      },
      heartbeat: async () => ({ period_ms: 1_000 }),
      assignments: async () => {},
      updateTaskStatus: async () => {},
    });
    await refusing.start();
    open.push({ close: () => refusing.stop(50) });
    const s = session([refusing.address, leader.server.address], await workerTls());
    s.start();
    await until(() => s.sessionId.startsWith("m7"), "a session with the next manager", 5_000);
  });

  it("asks again after a sequence gap: the next stream starts with a complete set", async () => {
    const m = await manager("m4");
    let calls = 0;
    m.assignments = async (_request, _context, send) => {
      calls++;
      const scripts: AssignmentsMessage[][] = [
        [
          { type: "COMPLETE", applies_to: 0, results_in: 1, changes: [] },
          { type: "INCREMENTAL", applies_to: 3, results_in: 4, changes: [] },
        ],
        [
          { type: "COMPLETE", applies_to: 0, results_in: 1, changes: [] },
          { type: "INCREMENTAL", applies_to: 1, results_in: 2, changes: [] },
        ],
      ];
      for (const message of scripts[calls - 1] ?? []) await send(message);
    };
    const s = session([m.server.address], await workerTls());
    s.start();
    const got: string[] = [];
    const controller = new AbortController();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        for await (const message of s.assignments(controller.signal)) got.push(summary(message));
      } catch (err) {
        got.push(`error ${(err as { code: string }).code}`);
      }
    }
    expect(got).toEqual(["complete 1", "error ABORTED", "complete 1", "incremental 2"]);
  });

  it("renews its certificate, keeps its identity, and reconnects with the new one", async () => {
    const m = await manager("m5");
    const tls = await workerTls();
    const s = session([m.server.address], tls);
    s.start();
    await until(() => s.sessionId !== "", "a session");
    const before = new X509Certificate(tls.current.certChainPem);
    await s.renewCertificate();
    const after = new X509Certificate(tls.current.certChainPem);
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect(after.subject).toBe(before.subject);
    await until(() => m.sessions.length === 2, "a session over a new connection");
  });

  it("schedules renewal between 50 % and 80 % of the certificate's life", async () => {
    const tls = await workerTls();
    const s = session(["127.0.0.1:1"], tls);
    const leaf = new X509Certificate(tls.current.certChainPem);
    const from = Date.parse(leaf.validFrom);
    const life = Date.parse(leaf.validTo) - from;
    const at = (s as unknown as { renewal: { nextRenewalMs(): number } }).renewal.nextRenewalMs();
    expect((at - from) / life).toBeGreaterThanOrEqual(0.5 - 1e-6);
    expect((at - from) / life).toBeLessThanOrEqual(0.8 + 1e-6);
  });
});

function summary(message: AssignmentMessage): string {
  return `${message.type} ${message.sequence}`;
}
