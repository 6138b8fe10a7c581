/** Test helpers: a dispatcher on a real store (LocalLog) with a fake clock, and fake agent calls. */
import type { AssignmentsMessage, NodeCallContext, SessionMessage } from "@shoal/rpc";
import { DEFAULT_CLUSTER_SPEC, type Node, type Store, type Task, TaskState } from "@shoal/store";
import { createTestStore, makeNode, makeService, makeTask } from "@shoal/store/testing";
import { advanceTime, FakeClock, settleLoops } from "../orchestrator/testing/fake-clock.ts";
import { Dispatcher } from "./dispatcher.ts";
import type { DispatcherLimits } from "./dispatcher-settings.ts";

export const WIRE_DESCRIPTION = {
  hostname: "worker-1",
  os: "linux",
  architecture: "x86_64",
  nano_cpus: 2_000_000_000,
  memory_bytes: 4 * 1024 ** 3,
  engine_version: "20.10.24",
  engine_labels: { zone: "a" },
};

export class DispatcherKit {
  readonly clock = new FakeClock();
  readonly store: Store;
  readonly errors: { error: unknown; what: string }[] = [];
  dispatcher: Dispatcher;

  constructor(private readonly limits: Partial<DispatcherLimits> = {}) {
    this.store = createTestStore({ seed: 7 }).store;
    this.dispatcher = this.newDispatcher();
  }

  newDispatcher(): Dispatcher {
    return new Dispatcher(this.store, {
      clock: this.clock,
      self: { nodeId: "manager1", addr: "127.0.0.1:2377" },
      limits: this.limits,
      random: () => 0.5,
      onError: (error, what) => this.errors.push({ error, what }),
    });
  }

  async createCluster(heartbeatPeriodMs = 1_000): Promise<void> {
    await this.store.update((tx) =>
      tx.create("cluster", {
        id: this.store.newId(),
        spec: { ...DEFAULT_CLUSTER_SPEC, dispatcher: { heartbeatPeriodMs } },
        rootCa: {
          caCertPem: "ROOT PEM",
          caKeyPem: "KEY",
          caCertHash: "h",
          joinTokens: { worker: "w", manager: "m" },
        },
        unlockKeys: [],
      }),
    );
  }

  async addNodes(count: number, state: Node["status"]["state"] = "unknown"): Promise<string[]> {
    const ids = Array.from({ length: count }, () => this.store.newId());
    await this.store.batch((tx) => {
      for (const [i, id] of ids.entries()) {
        const node = makeNode(id, `host-${i}`);
        tx.create("node", { ...node, status: { ...node.status, state } });
      }
    });
    return ids;
  }

  async addService(name = "web"): Promise<string> {
    const id = this.store.newId();
    await this.store.update((tx) =>
      tx.create("service", {
        ...makeService(id, name),
        spec: { ...makeService(id, name).spec, labels: { tier: "front" } },
      }),
    );
    return id;
  }

  /** A task of `serviceId` assigned to `nodeId` (observed ASSIGNED, desired RUNNING). */
  async addTask(serviceId: string, nodeId: string, slot = 1, state = TaskState.Assigned): Promise<string> {
    const id = this.store.newId();
    const task = makeTask(id, serviceId, slot);
    await this.store.update((tx) =>
      tx.create("task", {
        ...task,
        nodeId,
        desiredState: TaskState.Running,
        status: { state, message: "assigned", timestampMs: 0 },
      }),
    );
    return id;
  }

  node(id: string): Node | undefined {
    return this.store.view((v) => v.nodes.get(id));
  }

  task(id: string): Task | undefined {
    return this.store.view((v) => v.tasks.get(id));
  }

  /** Lets every loop run until nothing changes and no timer is due (time stands still). */
  settle(): Promise<void> {
    return settleLoops(this.clock, () => this.store.version, "the dispatcher");
  }

  /** Moves time forward by `ms`, firing timers at their due times and settling after each. */
  advance(ms: number): Promise<void> {
    return advanceTime(this.clock, ms, () => this.settle());
  }
}

/** One agent's calls, as gRPC would make them after authorizing its certificate. */
export class FakeAgent {
  readonly sessionMessages: SessionMessage[] = [];
  readonly assignmentMessages: AssignmentsMessage[] = [];
  sessionEnd: Promise<unknown> | undefined;
  assignmentsEnd: Promise<unknown> | undefined;
  private readonly cancel = new AbortController();

  constructor(
    private readonly kit: DispatcherKit,
    readonly nodeId: string,
  ) {}

  context(): NodeCallContext {
    return {
      peer: { nodeId: this.nodeId, role: "swarm-worker", clusterId: "c" },
      remote: "ipv4:10.77.0.11:40000",
      signal: this.cancel.signal,
    };
  }

  get sessionId(): string {
    return this.sessionMessages[0]?.session_id ?? "";
  }

  /** Opens the session stream (it runs in the background; `sessionEnd` settles when it ends). */
  openSession(): void {
    this.sessionEnd = settle(
      this.kit.dispatcher.session(
        { description: WIRE_DESCRIPTION, session_id: "" },
        this.context(),
        async (m) => {
          this.sessionMessages.push(m);
        },
      ),
    );
  }

  openAssignments(): void {
    this.assignmentsEnd = settle(
      this.kit.dispatcher.assignments({ session_id: this.sessionId }, this.context(), async (m) => {
        this.assignmentMessages.push(m);
      }),
    );
  }

  heartbeat(): Promise<{ period_ms: number }> {
    return this.kit.dispatcher.heartbeat({ session_id: this.sessionId }, this.context());
  }

  report(updates: { taskId: string; state: TaskState; message?: string }[]): Promise<void> {
    return this.kit.dispatcher.updateTaskStatus(
      {
        session_id: this.sessionId,
        updates: updates.map((u) => ({
          task_id: u.taskId,
          status_json: JSON.stringify({ state: u.state, message: u.message ?? "", timestampMs: 5 }),
        })),
      },
      this.context(),
    );
  }

  hangUp(): void {
    this.cancel.abort();
  }
}

/** The outcome of a call that runs in the background: "ok", or the error's code and message. */
function settle(promise: Promise<void>): Promise<unknown> {
  return promise.then(
    () => "ok",
    (err: { code?: string; message?: string }) => `${err.code}: ${err.message}`,
  );
}
