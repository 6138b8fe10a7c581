import type { Change, Node, ReadView, Service, Task, WriteTx } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { ManagerLoop, setTimer } from "../manager-loop.ts";
import { isNodeLost } from "../node-availability.ts";
import { type OrchestratorOptions, TASK_CHANGES_PER_TRANSACTION_MAX } from "../orchestrator-options.ts";
import { nodeFitsService } from "../placement-constraints.ts";
import {
  endedWhileWanted,
  hasEnded,
  isGlobal,
  isRunnable,
  mayBeRunning,
  newTask,
  slotKeyOf,
} from "../task-lifecycle.ts";
import {
  CONSTRAINT_REJECTION_MESSAGE,
  conditionAllowsRestart,
  hasAttemptsLeft,
  nextHistory,
  restartReleaseAtMs,
} from "./restart-policy.ts";

/**
 * Replaces tasks in their slot. A task that ends while desired RUNNING is replaced per its
 * restart policy (condition, delay, maxAttempts in window); the attempts are kept on the
 * replacement (`restartHistory`), so they survive a leader change. Replicated tasks on a node
 * that is down, drained or gone are replaced elsewhere at once, uncounted. A replacement that
 * must wait (restart delay, or the slot's old task still stopping in a stop-first update) is
 * created desired READY and released to RUNNING here when its time comes.
 */
export class RestartSupervisor {
  private readonly loop: ManagerLoop;
  /** Tasks to look at: ended, on a lost node, or waiting desired READY. */
  private readonly candidates = new Set<string>();
  /** Nodes whose tasks to look at. */
  private readonly nodes = new Set<string>();
  /** Slots given a replacement in the transaction being built (one per slot). */
  private readonly replacedSlots = new Set<string>();
  /** A task stopped: replacements waiting desired READY may go. */
  private checkWaiting = false;
  /** Release timers of tasks waiting out a restart delay, by task id. */
  private readonly releaseTimers = new Map<string, () => void>();

  constructor(private readonly options: OrchestratorOptions) {
    this.loop = new ManagerLoop("restart-supervisor", options.store, this, options);
  }

  readonly kinds = ["task", "node"] as const;

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    for (const cancel of this.releaseTimers.values()) cancel();
    this.releaseTimers.clear();
  }

  reconcileAll(view: ReadView): void {
    for (const task of view.tasks.byDesiredState(TaskState.Ready)) this.candidates.add(task.id);
    for (const task of view.tasks.byDesiredState(TaskState.Running)) {
      if (hasEnded(task)) this.candidates.add(task.id);
    }
    for (const node of view.nodes.all()) if (isNodeLost(node)) this.nodes.add(node.id);
  }

  handleChange(change: Change): void {
    if (change.kind === "node") {
      if (change.action === "delete" || isNodeLost(change.object)) this.nodes.add(change.object.id);
      return;
    }
    if (change.kind !== "task") return;
    const task = change.object;
    if (change.action === "delete") {
      this.releaseTimers.get(task.id)?.();
      this.releaseTimers.delete(task.id);
    }
    if (change.action !== "delete" && (task.desiredState === TaskState.Ready || endedWhileWanted(task))) {
      this.candidates.add(task.id);
    }
    // A task of a slot stopped: a replacement waiting for it may go.
    if (change.action === "delete" || hasEnded(task) || !isRunnable(task)) this.checkWaiting = true;
  }

  async tick(): Promise<void> {
    const store = this.options.store;
    const lostNodes = [...this.nodes];
    this.nodes.clear();
    if (lostNodes.length > 0 || this.checkWaiting) {
      this.checkWaiting = false;
      store.view((view) => {
        for (const nodeId of lostNodes) for (const t of view.tasks.byNode(nodeId)) this.candidates.add(t.id);
        for (const t of view.tasks.byDesiredState(TaskState.Ready)) this.candidates.add(t.id);
      });
    }
    const ids = [...this.candidates];
    this.candidates.clear();
    for (let i = 0; i < ids.length; i += TASK_CHANGES_PER_TRANSACTION_MAX) {
      const chunk = ids.slice(i, i + TASK_CHANGES_PER_TRANSACTION_MAX);
      try {
        this.replacedSlots.clear();
        await store.update((tx) => {
          for (const id of chunk) this.maybeReplace(tx, id);
        });
      } catch (error) {
        for (const id of ids.slice(i)) this.candidates.add(id);
        throw error;
      }
    }
  }

  private maybeReplace(tx: WriteTx, taskId: string): void {
    const task = tx.tasks.get(taskId);
    if (task === undefined) return;
    if (task.desiredState === TaskState.Ready) {
      this.maybeRelease(tx, task);
      return;
    }
    if (task.desiredState !== TaskState.Running) return;
    const service = tx.services.get(task.serviceId);
    if (service === undefined) return;
    const node = task.nodeId === "" ? undefined : tx.nodes.get(task.nodeId);
    const nodeLost = task.nodeId !== "" && isNodeLost(node);
    // Global tasks are not moved: the global orchestrator stops them when their node goes.
    if (isGlobal(service) && (nodeLost || node === undefined || !isGlobalNodeUsable(node, service))) return;
    // Another task holds the slot (start-first update, or a replacement made already): no new one.
    const slotKey = `${task.serviceId}/${slotKeyOf(task)}`;
    const others = slotTasks(tx, task).filter((t) => t.id !== task.id && isRunnable(t) && !hasEnded(t));
    if (this.replacedSlots.has(slotKey) || others.length > 0) {
      if (hasEnded(task)) tx.update("task", { ...task, desiredState: TaskState.Shutdown });
      return;
    }
    const rejected = task.status.message === CONSTRAINT_REJECTION_MESSAGE;
    if (!hasEnded(task)) {
      if (nodeLost) {
        this.replacedSlots.add(slotKey);
        this.replace(tx, task, { counted: false, delayed: false, sameNode: false });
      }
      return;
    }
    if (!rejected && !conditionAllowsRestart(task)) return;
    const nowMs = this.options.clock.nowMs();
    const counted = !rejected && !nodeLost;
    if (counted && !hasAttemptsLeft(task, nowMs)) return;
    this.replacedSlots.add(slotKey);
    this.replace(tx, task, { counted, delayed: counted, sameNode: isGlobal(service) });
  }

  private replace(
    tx: WriteTx,
    old: Task,
    how: { readonly counted: boolean; readonly delayed: boolean; readonly sameNode: boolean },
  ): void {
    const service = tx.services.get(old.serviceId);
    if (service === undefined) return;
    const nowMs = this.options.clock.nowMs();
    const spec = service.spec.taskTemplate;
    // The attempt, and the restart delay, count from when the task ended where that is known.
    const endedAtMs = how.counted ? endedAt(old, nowMs) : nowMs;
    const restartHistory = nextHistory(old, spec, endedAtMs, how.counted);
    const delayed = how.delayed && spec.restartPolicy.delayMs > 0;
    tx.update("task", { ...old, desiredState: TaskState.Shutdown });
    const id = tx.create(
      "task",
      newTask(service, {
        slot: old.slot,
        nodeId: how.sameNode ? old.nodeId : "",
        desiredState: delayed ? TaskState.Ready : TaskState.Running,
        restartHistory,
        nowMs,
        message: `replaces task ${old.id}`,
      }),
    );
    if (delayed) this.scheduleRelease(id, endedAtMs + spec.restartPolicy.delayMs);
  }

  /** Moves a task waiting desired READY to RUNNING once its delay passed and its slot is free. */
  private maybeRelease(tx: WriteTx, task: Task): void {
    const releaseAtMs = restartReleaseAtMs(task);
    if (releaseAtMs !== undefined && releaseAtMs > this.options.clock.nowMs()) {
      this.scheduleRelease(task.id, releaseAtMs);
      return;
    }
    const others = slotTasks(tx, task).filter((t) => t.id !== task.id);
    const busy = others.some((t) => mayBeRunning(t) && !isNodeLost(tx.nodes.get(t.nodeId)));
    if (busy) return;
    tx.update("task", { ...task, desiredState: TaskState.Running });
  }

  private scheduleRelease(taskId: string, atMs: number): void {
    if (this.releaseTimers.has(taskId)) return;
    const cancel = setTimer(this.options.clock, atMs - this.options.clock.nowMs(), () => {
      this.releaseTimers.delete(taskId);
      this.candidates.add(taskId);
      this.loop.poke(0);
    });
    this.releaseTimers.set(taskId, cancel);
  }
}

/** Every task of the same slot (replicated) or of the same service on the same node (global). */
export function slotTasks(view: Pick<WriteTx, "tasks">, task: Task): Task[] {
  if (task.slot > 0) return view.tasks.bySlot(task.serviceId, task.slot);
  if (task.nodeId === "") return [task];
  return view.tasks.byNode(task.nodeId).filter((t) => t.serviceId === task.serviceId);
}

/** A global task is restarted on its node only while the node is ready and still fits. */
function isGlobalNodeUsable(node: Node, service: Service): boolean {
  return node.status.state === "ready" && nodeFitsService(node, service);
}

/** How far back a reported end may move the start of a restart delay. */
const ENDED_BACKDATE_MAX_MS = 1_000;

/**
 * When the ended task ended: its status time (the dispatcher puts agents' reports on this
 * manager's clock) when that lies within the last ENDED_BACKDATE_MAX_MS, else now.
 */
function endedAt(task: Task, nowMs: number): number {
  const t = task.status.timestampMs;
  return t <= nowMs && t >= nowMs - ENDED_BACKDATE_MAX_MS ? t : nowMs;
}
