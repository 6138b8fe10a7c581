import type { NodeRole, Service, ServiceSpec, Store, Task } from "@shoal/store";
import { DEFAULT_CLUSTER_SPEC, TaskState } from "@shoal/store";
import { createTestStore, makeNode, makeServiceSpec } from "@shoal/store/testing";
import type { LoopTiming } from "../manager-loop.ts";
import { type Orchestrators, startOrchestrators } from "../orchestrators.ts";
import { advanceTime, FakeClock, settleLoops } from "./fake-clock.ts";
import { TestAgent } from "./test-agent.ts";

/** Test timing: every tick as soon as the fake clock's due timers fire. */
export const TEST_TIMING: LoopTiming = { gapMs: 0, delayMsMax: 0, retryDelayMs: 0 };

/**
 * Test helper: a real store on a local log, a fake clock wired to both the store and the
 * orchestrators, a TestAgent, and the orchestrators (started with start()).
 */
export class Harness {
  readonly clock = new FakeClock();
  readonly store: Store;
  readonly agent: TestAgent;
  orchestrators: Orchestrators | undefined;
  readonly errors: unknown[] = [];
  private nodeCount = 0;

  constructor() {
    this.store = createTestStore({ clock: () => this.clock.nowMs() }).store;
    this.agent = new TestAgent(this.store, this.clock);
  }

  static async create(): Promise<Harness> {
    const h = new Harness();
    await h.store.update((tx) =>
      tx.create("cluster", {
        spec: DEFAULT_CLUSTER_SPEC,
        rootCa: {
          caCertPem: "test",
          caKeyPem: "test",
          caCertHash: "00",
          joinTokens: { worker: "SWMTKN-1-w", manager: "SWMTKN-1-m" },
        },
        unlockKeys: [],
      }),
    );
    return h;
  }

  /** Starts a fresh set of orchestrators (a new leader) on the store. */
  start(): void {
    this.orchestrators = startOrchestrators({
      store: this.store,
      clock: this.clock,
      timing: TEST_TIMING,
      onError: (e) => this.errors.push(e),
    });
  }

  async stop(): Promise<void> {
    await this.orchestrators?.stop();
    this.orchestrators = undefined;
  }

  /** Lets every loop run until nothing changes and no timer is due (time stands still). */
  settle(): Promise<void> {
    return settleLoops(this.clock, () => this.store.version, "the loops");
  }

  /** Moves time forward by `ms`, firing timers at their due times and settling after each. */
  advance(ms: number): Promise<void> {
    return advanceTime(this.clock, ms, () => this.settle());
  }

  /** Agent and orchestrators in turn until the cluster is quiet. */
  async converge(rounds = 6): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await this.settle();
      await this.agent.step();
    }
    await this.settle();
  }

  async addNode(
    options: { hostname?: string; role?: NodeRole; labels?: Record<string, string> } = {},
  ): Promise<string> {
    const id = this.store.newId();
    const hostname = options.hostname ?? `node-${++this.nodeCount}`;
    const base = makeNode(id, hostname, options.role);
    await this.store.update((tx) =>
      tx.create("node", { ...base, spec: { ...base.spec, labels: options.labels ?? {} } }),
    );
    return id;
  }

  async createService(name: string, change: (spec: ServiceSpec) => ServiceSpec = (s) => s): Promise<string> {
    const spec = change(makeServiceSpec(name, 1));
    const { value } = await this.store.update((tx) => tx.create("service", { spec }));
    return value;
  }

  async updateService(id: string, change: (service: Service) => Service): Promise<void> {
    await this.store.update((tx) => {
      const service = tx.services.get(id);
      if (service === undefined) throw new Error(`no service ${id}`);
      tx.update("service", change(service));
    });
  }

  service(id: string): Service {
    const service = this.store.view((v) => v.services.get(id));
    if (service === undefined) throw new Error(`no service ${id}`);
    return service;
  }

  tasks(serviceId: string): Task[] {
    return this.store.view((v) => v.tasks.byService(serviceId));
  }

  /** Tasks that hold their slot (desired RUNNING or READY), sorted by slot then node. */
  runnable(serviceId: string): Task[] {
    return this.tasks(serviceId)
      .filter((t) => t.desiredState <= TaskState.Running)
      .sort((a, b) => a.slot - b.slot || a.nodeId.localeCompare(b.nodeId));
  }

  running(serviceId: string): Task[] {
    return this.runnable(serviceId).filter((t) => t.status.state === TaskState.Running);
  }
}
