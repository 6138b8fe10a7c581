import type { ChangeBatch, ReadView, Service, Store, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { type Clock, systemClock } from "../loop/clock.ts";
import {
  DEFAULT_DEBOUNCE_LIMITS,
  type DebounceLimits,
  debounce,
  validateDebounceLimits,
} from "../loop/debounce.ts";
import { SessionLoop } from "../loop/session-loop.ts";
import { MAX_NODE_ADDRESSES } from "./address-pool.ts";
import { AllocationError } from "./allocation-error.ts";
import { type AllocatorConfig, AllocatorState, isTaskDead } from "./allocator-state.ts";
import { fenceOnCluster } from "./reserve-ports.ts";

export interface AllocatorOptions extends AllocatorConfig {
  readonly clock?: Clock;
  readonly debounce?: Partial<DebounceLimits>;
  /** Told about allocation failures (a full subnet, no free port) and recovered errors. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The allocator loop (leader only): networks get subnets, services their published ports and
 * VIPs, NEW tasks an address per network, then PENDING, nodes their slot among the networks'
 * node addresses (`networkAddressIndex`). Reconciles from a consistent view, then
 * consumes the store watch in debounced batches. Frees what deleted or dead objects held. A
 * refused write, or a watch that fell behind, makes it start again from a fresh view.
 */
export class Allocator {
  private readonly loop: SessionLoop;
  private readonly clock: Clock;
  private readonly limits: DebounceLimits;
  private state: AllocatorState | undefined;
  private reportedNodesWaiting = false;

  constructor(
    private readonly store: Store,
    private readonly options: AllocatorOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.limits = { ...DEFAULT_DEBOUNCE_LIMITS, ...options.debounce };
    validateDebounceLimits(this.limits);
    this.loop = new SessionLoop((signal) => this.session(signal), {
      clock: this.clock,
      retryDelayMs: this.limits.gapMs,
      onError: (e) => this.options.onError?.(e),
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  get model(): AllocatorState | undefined {
    return this.state;
  }

  private async session(signal: AbortSignal): Promise<void> {
    const { snapshot, changes } = this.store.viewAndWatch(signal, ["network", "service", "task", "node"]);
    this.state = AllocatorState.fromView(snapshot, this.options);
    snapshot.close();
    await this.pass(this.state);
    for await (const batches of debounce(changes, this.limits, this.clock)) {
      if (signal.aborted) return;
      this.handleBatches(this.state, batches);
      await this.pass(this.state);
    }
  }

  private handleBatches(state: AllocatorState, batches: readonly ChangeBatch[]): void {
    for (const batch of batches) {
      for (const c of batch.changes) {
        if (c.kind === "network") {
          if (c.action === "delete") state.removeNetwork(c.object.id);
          else state.putNetwork(c.object);
        } else if (c.kind === "service") {
          if (c.action === "delete") state.removeService(c.object.id);
          else state.putService(c.object);
        } else if (c.kind === "task") {
          if (c.action === "delete") state.removeTask(c.object.id);
          else state.putTask(c.object);
        } else if (c.kind === "node") {
          if (c.action === "delete") state.removeNode(c.object.id);
          else state.putNode(c.object);
        }
      }
    }
  }

  /** Allocates whatever the store shows unallocated, in one transaction batch. */
  private async pass(state: AllocatorState): Promise<void> {
    const nowMs = this.clock.nowMs();
    const failures: unknown[] = [];
    const result = await this.store.batch((tx) => {
      let wrote = false;
      const attempt = <T>(fn: () => T): T | undefined => {
        try {
          return fn();
        } catch (e) {
          if (!(e instanceof AllocationError)) throw e;
          failures.push(e);
          return undefined;
        }
      };
      const services = new Map<string, Service>();
      let wrotePorts = false;
      // The transaction may read changes the watch has not delivered yet: take them in first.
      for (const n of tx.networks.all()) state.putNetwork(n);
      for (const s of tx.services.all()) state.putService(s);
      let nodesWaiting = 0;
      for (const n of tx.nodes.all()) {
        if (state.putNode(n)) continue;
        if (state.nodeIndexes.isFull) {
          nodesWaiting++;
          continue;
        }
        const allocated = attempt(() => state.allocateNode(n));
        if (allocated !== undefined) {
          tx.update("node", allocated);
          wrote = true;
        }
      }
      // Told once per stretch of time the slots are full, not on every pass.
      if (nodesWaiting > 0 && !this.reportedNodesWaiting) {
        failures.push(nodeSlotsFull(nodesWaiting));
      }
      this.reportedNodesWaiting = nodesWaiting > 0;
      for (const n of tx.networks.all()) {
        if (n.ipam.length > 0) continue;
        const allocated = attempt(() => state.allocateNetwork(n));
        if (allocated !== undefined) {
          tx.update("network", allocated);
          wrote = true;
        }
      }
      for (const s of tx.services.all()) {
        let service: Service = s;
        if (!state.isServiceAllocated(s)) {
          const endpoint = attempt(() => state.allocateService(s));
          if (endpoint === undefined) continue;
          service = { ...s, endpoint };
          tx.update("service", service);
          wrote = true;
          wrotePorts ||= endpoint.ports.length > 0;
        }
        services.set(s.id, service);
      }
      for (const t of newTasks(tx)) {
        const service = services.get(t.serviceId);
        if (service === undefined) continue;
        const allocated = attempt(() => state.allocateTask(t, service, nowMs));
        if (allocated === undefined) continue;
        tx.update("task", allocated);
        wrote = true;
      }
      if (wrotePorts) fenceOnCluster(tx);
      return wrote;
    });
    for (const f of failures) this.options.onError?.(f);
    if (result.errors.length > 0) throw result.errors[0];
  }
}

function nodeSlotsFull(waiting: number): AllocationError {
  return new AllocationError(
    "addresses-exhausted",
    `${waiting} node${waiting === 1 ? "" : "s"} get no address on overlay networks: all ${MAX_NODE_ADDRESSES} node addresses are held; remove nodes that left the swarm (node rm)`,
  );
}

function newTasks(view: Pick<ReadView, "tasks">): Task[] {
  return view.tasks
    .byObservedState(TaskState.New)
    .filter((t) => !isTaskDead(t) && t.desiredState <= TaskState.Running);
}
