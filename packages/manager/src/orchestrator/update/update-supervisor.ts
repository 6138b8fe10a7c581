import type { Change, ReadView, Service, Task, UpdateConfig, UpdateStatus, WriteTx } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { ManagerLoop, setTimer } from "../manager-loop.ts";
import { isNodeLost } from "../node-availability.ts";
import { type OrchestratorOptions, TASK_CHANGES_PER_TRANSACTION_MAX } from "../orchestrator-options.ts";
import { isGlobal, newTask } from "../task-lifecycle.ts";
import { planUpdate, type UpdatePlan, type UpdateSlot, updateSlots } from "./update-plan.ts";

/** Update states in which the updater rolls tasks. */
const ROLLING = new Set<UpdateStatus["state"]>(["updating", "rollback_started"]);
/** Update states after which new dirty slots start a new update on their own. */
const FINISHED = new Set<UpdateStatus["state"] | undefined>([undefined, "completed", "rollback_completed"]);

/**
 * Rolling updates and rollbacks. For a service whose tasks are not all of its current spec it
 * replaces slots in batches of `parallelism` (0 = all), `delayMs` apart, stop-first (the new task
 * waits desired READY until the old one stopped) or start-first (the old task stops once the new
 * one runs); a new task that stops before RUNNING or within `monitorMs` is a failure, and once
 * failures / slots exceed `maxFailureRatio` the `failureAction` pauses, continues or rolls back
 * (spec and previousSpec swapped, rolled with the rollback config). Everything it needs to go on
 * is in the store (service.updateStatus and the tasks' specs), so a new leader resumes the update
 * where it stood. A new update (spec change) simply makes other slots dirty: it takes over.
 */
export class UpdateSupervisor {
  private readonly loop: ManagerLoop;
  private readonly dirty = new Set<string>();
  /** Services with an update in progress: only their task changes matter. */
  private readonly rolling = new Set<string>();
  /** When tasks that have since ended were seen RUNNING (for the monitor period). */
  private readonly runningSinceMs = new Map<string, number>();
  /** One pending wake-up per service. */
  private readonly wakeups = new Map<string, { atMs: number; cancel: () => void }>();

  constructor(private readonly options: OrchestratorOptions) {
    this.loop = new ManagerLoop("update-supervisor", options.store, this, options);
  }

  readonly kinds = ["service", "task", "node"] as const;

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    for (const w of this.wakeups.values()) w.cancel();
    this.wakeups.clear();
  }

  reconcileAll(view: ReadView): void {
    for (const service of view.services.all()) this.dirty.add(service.id);
  }

  handleChange(change: Change): void {
    if (change.kind === "service" && change.action !== "delete") this.dirty.add(change.object.id);
    else if (change.kind === "node") {
      if (change.action !== "create") for (const id of this.wakeups.keys()) this.dirty.add(id);
    } else if (change.kind === "task") {
      const task = change.object;
      if (change.action === "delete") {
        this.runningSinceMs.delete(task.id);
        return;
      }
      if (task.status.state === TaskState.Running) this.runningSinceMs.set(task.id, task.status.timestampMs);
      else if (change.old?.status.state === TaskState.Running) {
        this.runningSinceMs.set(task.id, change.old.status.timestampMs);
      }
      if (!this.rolling.has(task.serviceId)) return;
      if (change.old?.status.state !== task.status.state || change.old?.desiredState !== task.desiredState) {
        this.dirty.add(task.serviceId);
      }
    }
  }

  async tick(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const [i, id] of ids.entries()) {
      try {
        await this.maybeUpdate(id);
      } catch (error) {
        for (const rest of ids.slice(i)) this.dirty.add(rest);
        throw error;
      }
    }
  }

  private async maybeUpdate(serviceId: string): Promise<void> {
    const store = this.options.store;
    const nowMs = this.options.clock.nowMs();
    const found = store.view((view) => {
      const service = view.services.get(serviceId);
      if (service === undefined) return undefined;
      return { service, tasks: view.tasks.byService(serviceId), lost: lostSlotTest(view, service) };
    });
    this.cancelWake(serviceId);
    if (found === undefined) {
      this.rolling.delete(serviceId);
      return;
    }
    const { service, tasks } = found;
    const state = service.updateStatus?.state;
    if (ROLLING.has(state as UpdateStatus["state"])) this.rolling.add(serviceId);
    else this.rolling.delete(serviceId);
    if (state === "paused" || state === "rollback_paused") return;
    const rollingBack = state === "rollback_started";
    const config = rollingBack ? service.spec.rollbackConfig : service.spec.updateConfig;
    const startedAtMs = ROLLING.has(state as UpdateStatus["state"])
      ? (service.updateStatus?.startedAtMs ?? nowMs)
      : nowMs;
    const input = {
      service,
      tasks,
      config,
      nowMs,
      startedAtMs,
      runningSinceMs: this.runningSinceMs,
      skip: found.lost,
    };
    const plan = planUpdate(input);
    if (FINISHED.has(state)) {
      if (plan.dirty.length === 0) return;
      await this.setStatus(service, { state: "updating", startedAtMs: nowMs, message: "update in progress" });
      return;
    }
    if (
      plan.failures.length > 0 &&
      plan.failureRatio > config.maxFailureRatio &&
      config.failureAction !== "continue"
    ) {
      await this.handleFailure(service, plan, config, rollingBack);
      return;
    }
    if (plan.done) {
      await this.setStatus(service, {
        state: rollingBack ? "rollback_completed" : "completed",
        startedAtMs,
        completedAtMs: nowMs,
        message: rollingBack ? "rollback completed" : "update completed",
      });
      return;
    }
    await this.roll(service, plan, config);
    if (plan.wakeAtMs !== undefined) this.wakeAt(serviceId, plan.wakeAtMs);
  }

  private async handleFailure(
    service: Service,
    plan: UpdatePlan,
    config: UpdateConfig,
    rollingBack: boolean,
  ): Promise<void> {
    const nowMs = this.options.clock.nowMs();
    const failed = plan.failures[0]?.id ?? "";
    const why = `${plan.failures.length} of ${plan.slotCount} new tasks failed (over the ratio ${config.maxFailureRatio}), e.g. task ${failed}`;
    if (config.failureAction === "rollback" && !rollingBack && service.previousSpec !== undefined) {
      const previousSpec = service.previousSpec;
      await this.options.store.update((tx) => {
        const current = tx.services.get(service.id);
        if (current === undefined || current.version !== service.version) return;
        tx.update("service", {
          ...current,
          spec: previousSpec,
          previousSpec: current.spec,
          updateStatus: {
            state: "rollback_started",
            startedAtMs: nowMs,
            message: `update rolled back: ${why}`,
          },
        });
      });
      return;
    }
    await this.setStatus(service, {
      state: rollingBack ? "rollback_paused" : "paused",
      startedAtMs: service.updateStatus?.startedAtMs ?? nowMs,
      message: `${rollingBack ? "rollback" : "update"} paused: ${why}`,
    });
  }

  /** Replaces the next batch of slots and stops old tasks whose replacement runs. */
  private async roll(service: Service, plan: UpdatePlan, config: UpdateConfig): Promise<void> {
    const work: (() => (tx: WriteTx) => void)[] = [];
    for (const task of plan.stopNow) work.push(() => (tx) => stopTask(tx, task));
    for (const slot of plan.replaceNow) work.push(() => (tx) => this.replaceSlot(tx, service, slot, config));
    for (let i = 0; i < work.length; i += TASK_CHANGES_PER_TRANSACTION_MAX) {
      const chunk = work.slice(i, i + TASK_CHANGES_PER_TRANSACTION_MAX);
      await this.options.store.update((tx) => {
        const current = tx.services.get(service.id);
        if (current === undefined || current.version !== service.version) return;
        for (const make of chunk) make()(tx);
      });
    }
  }

  private replaceSlot(tx: WriteTx, service: Service, slot: UpdateSlot, config: UpdateConfig): void {
    const first = slot.old[0];
    if (first === undefined) return;
    const startFirst = config.order === "start-first";
    const nowMs = this.options.clock.nowMs();
    if (!startFirst) for (const old of slot.old) stopTask(tx, old);
    tx.create(
      "task",
      newTask(service, {
        slot: first.slot,
        nodeId: isGlobal(service) ? first.nodeId : "",
        desiredState: startFirst ? TaskState.Running : TaskState.Ready,
        nowMs,
        message: `updates task ${first.id}`,
      }),
    );
  }

  private async setStatus(service: Service, updateStatus: UpdateStatus): Promise<void> {
    await this.options.store.update((tx) => {
      const current = tx.services.get(service.id);
      if (current === undefined || current.version !== service.version) return;
      tx.update("service", { ...current, updateStatus });
    });
  }

  private wakeAt(serviceId: string, atMs: number): void {
    const cancel = setTimer(this.options.clock, atMs - this.options.clock.nowMs(), () => {
      this.wakeups.delete(serviceId);
      this.dirty.add(serviceId);
      this.loop.poke(0);
    });
    this.wakeups.set(serviceId, { atMs, cancel });
  }

  private cancelWake(serviceId: string): void {
    this.wakeups.get(serviceId)?.cancel();
    this.wakeups.delete(serviceId);
  }
}

function stopTask(tx: WriteTx, task: Task): void {
  const current = tx.tasks.get(task.id);
  if (current === undefined || current.desiredState > TaskState.Running) return;
  tx.update("task", { ...current, desiredState: TaskState.Shutdown });
}

/** Global slots whose node is gone, down or drained are the global orchestrator's, not the updater's. */
function lostSlotTest(view: ReadView, service: Service): ((slot: UpdateSlot) => boolean) | undefined {
  if (!isGlobal(service)) return undefined;
  const lost = new Set<string>();
  for (const slot of updateSlots(service, view.tasks.byService(service.id))) {
    const nodeId = slot.old[0]?.nodeId ?? "";
    if (isNodeLost(view.nodes.get(nodeId))) lost.add(slot.key);
  }
  return (slot) => lost.has(slot.key);
}
