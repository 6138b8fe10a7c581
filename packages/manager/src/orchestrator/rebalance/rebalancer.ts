import type { Change, Cluster, ReadView, RebalanceStatus, Service, Task, WriteTx } from "@shoal/store";
import { TaskState } from "@shoal/store";
import type { NodeInfo } from "../../scheduler/node-info.ts";
import { SchedulerState } from "../../scheduler/scheduler-state.ts";
import { ManagerLoop, setTimer } from "../manager-loop.ts";
import { takesNewTasks } from "../node-availability.ts";
import { type OrchestratorOptions, TASK_CHANGES_PER_TRANSACTION_MAX } from "../orchestrator-options.ts";
import { hasEnded, newTask } from "../task-lifecycle.ts";
import { mayRebalance } from "./rebalance-mode.ts";
import { planRebalance, type RebalancePlan } from "./rebalance-plan.ts";

/** Named limit: how long after the last node came up (or was activated) the rebalance starts. */
export const REBALANCE_SETTLE_MS = 10_000;

export interface RebalancerOptions extends OrchestratorOptions {
  /** Debounce of node arrivals (default REBALANCE_SETTLE_MS): a burst of nodes is one rebalance. */
  readonly settleMs?: number;
  /** A replacement not running this long after it was made pauses the rebalance. */
  readonly startTimeoutMs?: number;
}

/** What one tick reads in one consistent view. */
interface TickView {
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly cluster: Cluster | undefined;
  readonly services: readonly Service[];
  readonly tasks: ReadonlyMap<string, readonly Task[]>;
}

/**
 * Shoal only (swarm never does it, moby#24103): when a node becomes ready and active (joins,
 * comes back, or is activated from pause or drain), and once no other node did so for
 * `settleMs`, moves tasks of opted-in replicated services (`spec.rebalance`, else the cluster's
 * `orchestration.rebalance`) from the most loaded nodes to where the scheduler would put them,
 * until the spread is even. Start-first moves in batches of the update config's parallelism,
 * `delayMs` apart; a failed replacement pauses the service's rebalance (`rebalanceStatus`).
 * Progress is the tasks plus `service.rebalanceStatus`, so a new leader resumes where it stood.
 */
export class Rebalancer {
  private readonly loop: ManagerLoop;
  private readonly settleMs: number;
  /** Services whose rebalance is under way: plan them at the next tick. */
  private readonly dirty = new Set<string>();
  /** Services rebalancing: their task changes matter. */
  private readonly active = new Set<string>();
  /** A node came up and the settle period passed: look at every opted-in service. */
  private triggered = false;
  private cancelTrigger: (() => void) | undefined;
  private readonly wakeups = new Map<string, () => void>();

  constructor(private readonly options: RebalancerOptions) {
    this.settleMs = options.settleMs ?? REBALANCE_SETTLE_MS;
    if (!Number.isFinite(this.settleMs) || this.settleMs < 0)
      throw new RangeError(`rebalancer: settleMs must be >= 0 (got ${this.settleMs})`);
    this.loop = new ManagerLoop("rebalancer", options.store, this, options);
  }

  readonly kinds = ["node", "service", "task"] as const;

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.cancelTrigger?.();
    this.cancelTrigger = undefined;
    for (const cancel of this.wakeups.values()) cancel();
    this.wakeups.clear();
  }

  reconcileAll(view: ReadView): void {
    for (const service of view.services.all()) {
      if (service.rebalanceStatus?.state === "rebalancing") this.markActive(service.id);
    }
  }

  handleChange(change: Change): void {
    if (change.kind === "node") {
      // A target may have gone: moves in flight are looked at again.
      for (const id of this.active) this.dirty.add(id);
      const was = change.old;
      if (
        change.action !== "delete" &&
        takesNewTasks(change.object) &&
        (was === undefined || !takesNewTasks(was))
      )
        this.handleNodeUp();
    } else if (change.kind === "service") {
      if (change.action === "delete") this.forget(change.object.id);
      else if (change.object.rebalanceStatus?.state === "rebalancing") this.markActive(change.object.id);
      else if (
        change.old?.spec.rebalance !== change.object.spec.rebalance &&
        change.object.spec.rebalance === "auto"
      )
        this.handleNodeUp();
    } else if (change.kind === "task" && this.active.has(change.object.serviceId)) {
      const old = change.old;
      if (
        old?.status.state !== change.object.status.state ||
        old?.desiredState !== change.object.desiredState
      )
        this.dirty.add(change.object.serviceId);
    }
  }

  async tick(): Promise<void> {
    const nowMs = this.options.clock.nowMs();
    const triggered = this.triggered;
    this.triggered = false;
    const ids = [...this.dirty];
    this.dirty.clear();
    const view = this.read(triggered, ids, nowMs);
    if (view === undefined) return;
    for (const service of view.services) {
      try {
        await this.maybeRebalance(service, view, nowMs);
      } catch (error) {
        // Planning again is harmless (it starts from the store): mark the whole tick's work again.
        for (const id of ids) this.dirty.add(id);
        this.triggered ||= triggered;
        throw error;
      }
    }
  }

  /** The services to look at, and (only if there are any) the scheduler's model of the nodes. */
  private read(triggered: boolean, dirty: readonly string[], nowMs: number): TickView | undefined {
    return this.options.store.view((v) => {
      const cluster = v.clusters.all()[0];
      const services = new Map<string, Service>();
      if (triggered) for (const s of v.services.all()) if (mayRebalance(s, cluster)) services.set(s.id, s);
      for (const id of dirty) {
        const s = v.services.get(id);
        if (s === undefined) this.forget(id);
        else services.set(id, s);
      }
      if (services.size === 0) return undefined;
      const ordered = [...services.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      const tasks = new Map(ordered.map((s) => [s.id, v.tasks.byService(s.id)]));
      return { nodes: SchedulerState.fromView(v, nowMs).nodes, cluster, services: ordered, tasks };
    });
  }

  private async maybeRebalance(service: Service, view: TickView, nowMs: number): Promise<void> {
    this.cancelWake(service.id);
    const status = service.rebalanceStatus;
    const running = status?.state === "rebalancing";
    const startedAtMs = running ? status.startedAtMs : nowMs;
    const tasks = view.tasks.get(service.id) ?? [];
    const startTimeoutMs = this.options.startTimeoutMs;
    const plan = planRebalance({ service, tasks, nodes: view.nodes, nowMs, startedAtMs, startTimeoutMs });
    if (!running) {
      // A new rebalance (a node came up): only worth a status if there is something to move.
      if (plan.moves.length === 0 || !mayRebalance(service, view.cluster)) return;
      this.markActive(service.id);
      await this.apply(service, plan, {
        state: "rebalancing",
        startedAtMs,
        message: "rebalancing: a node came up",
      });
      return;
    }
    if (!mayRebalance(service, view.cluster)) {
      await this.pause(service, plan, "rebalance paused: turned off, or a rolling update took over");
    } else if (plan.failures.length > 0) {
      const failed = plan.failures[0] as Task;
      const what = hasEnded(failed) ? "ended before running" : "did not start in time";
      const why = `replacement task ${failed.id} on node ${failed.nodeId} ${what} (${failed.status.message})`;
      await this.pause(service, plan, `rebalance paused: ${why}`);
    } else if (plan.balanced) {
      this.active.delete(service.id);
      await this.apply(service, plan, {
        state: "completed",
        startedAtMs,
        completedAtMs: nowMs,
        message: "rebalance completed",
      });
    } else {
      await this.apply(service, plan, undefined);
      if (plan.wakeAtMs !== undefined) this.wakeAt(service.id, plan.wakeAtMs);
    }
  }

  /** Pausing withdraws replacements not running yet and finishes the moves whose replacement runs. */
  private async pause(service: Service, plan: RebalancePlan, message: string): Promise<void> {
    this.active.delete(service.id);
    const startedAtMs = service.rebalanceStatus?.startedAtMs ?? this.options.clock.nowMs();
    const withdrawn = { ...plan, moves: [], stopNow: [...plan.stopNow, ...plan.pending] };
    await this.apply(service, withdrawn, { state: "paused", startedAtMs, message });
  }

  /** Writes a plan: stops, replacements and the status, fenced on the service's version. */
  private async apply(
    service: Service,
    plan: RebalancePlan,
    status: RebalanceStatus | undefined,
  ): Promise<void> {
    const work: ((tx: WriteTx) => void)[] = [];
    for (const task of plan.stopNow) work.push((tx) => stopTask(tx, task));
    for (const move of plan.moves)
      work.push((tx) => this.createReplacement(tx, service, move.task, move.toNodeId));
    if (work.length === 0 && status === undefined) return;
    const chunks = Math.max(1, Math.ceil(work.length / TASK_CHANGES_PER_TRANSACTION_MAX));
    for (let i = 0; i < chunks; i++) {
      const chunk = work.slice(
        i * TASK_CHANGES_PER_TRANSACTION_MAX,
        (i + 1) * TASK_CHANGES_PER_TRANSACTION_MAX,
      );
      const last = i === chunks - 1;
      const { value: fenced } = await this.options.store.update((tx) => {
        const current = tx.services.get(service.id);
        if (current === undefined || current.version !== service.version) return false;
        for (const write of chunk) write(tx);
        if (last && status !== undefined) tx.update("service", { ...current, rebalanceStatus: status });
        return true;
      });
      if (!fenced) {
        // The service changed since it was read: plan again from the new state.
        this.dirty.add(service.id);
        this.loop.poke(0);
        return;
      }
    }
  }

  private createReplacement(tx: WriteTx, service: Service, task: Task, toNodeId: string): void {
    const current = tx.tasks.get(task.id);
    const node = tx.nodes.get(toNodeId);
    if (
      current === undefined ||
      current.version !== task.version ||
      node === undefined ||
      !takesNewTasks(node)
    )
      return;
    tx.create(
      "task",
      newTask(service, {
        slot: task.slot,
        nodeId: toNodeId,
        restartHistory: task.restartHistory,
        nowMs: this.options.clock.nowMs(),
        message: `moves task ${task.id} from node ${task.nodeId} (rebalance)`,
      }),
    );
  }

  private handleNodeUp(): void {
    this.cancelTrigger?.();
    this.cancelTrigger = setTimer(this.options.clock, this.settleMs, () => {
      this.cancelTrigger = undefined;
      this.triggered = true;
      this.loop.poke(0);
    });
  }

  private markActive(serviceId: string): void {
    this.active.add(serviceId);
    this.dirty.add(serviceId);
  }

  private forget(serviceId: string): void {
    this.active.delete(serviceId);
    this.dirty.delete(serviceId);
    this.cancelWake(serviceId);
  }

  private wakeAt(serviceId: string, atMs: number): void {
    const cancel = setTimer(this.options.clock, atMs - this.options.clock.nowMs(), () => {
      this.wakeups.delete(serviceId);
      this.dirty.add(serviceId);
      this.loop.poke(0);
    });
    this.wakeups.set(serviceId, cancel);
  }

  private cancelWake(serviceId: string): void {
    this.wakeups.get(serviceId)?.();
    this.wakeups.delete(serviceId);
  }
}

function stopTask(tx: WriteTx, task: Task): void {
  const current = tx.tasks.get(task.id);
  if (current === undefined || current.desiredState > TaskState.Running) return;
  tx.update("task", { ...current, desiredState: TaskState.Shutdown });
}
