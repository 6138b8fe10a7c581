import { type Change, type Node, type ReadView, type Task, TaskState } from "@shoal/store";
import { NodeInfo, SERVICE_FAILURE_WINDOW_MS } from "./node-info.ts";
import { Pipeline } from "./pipeline.ts";
import { scheduleGroup } from "./schedule-group.ts";
import { schedulePinned } from "./schedule-pinned.ts";
import { groupTasks } from "./task-group.ts";
import { isTaskHeld, isTaskPinned, isTaskSchedulable, taskLoad } from "./task-load.ts";

/** What one scheduling pass decided; the loop writes it (re-checking each task in the transaction). */
export interface Decisions {
  /** Task id → node id. */
  readonly assignments: Map<string, string>;
  /** Task id → the new PENDING message (only where it changed). */
  readonly messages: Map<string, string>;
}

/** The message of an assigned task. */
export const ASSIGNED_MESSAGE = "scheduler assigned task to node";
/** The message of a task assigned to the node it was created for (swarm's wording). */
export const PINNED_ASSIGNED_MESSAGE = "scheduler confirmed task can run on preassigned node";

/**
 * The scheduler's model of the cluster: nodes with what their tasks reserve, and the tasks waiting
 * for a node. Pure: built from a store view, updated by store changes, asked for decisions with a
 * time the caller gives. Rebuilding it from the store gives the same model (failures included:
 * they are read from failed tasks' timestamps).
 */
export class SchedulerState {
  readonly nodes = new Map<string, NodeInfo>();
  /** Invariant: each held task is in the tasks of exactly this node's NodeInfo (when it exists). */
  private readonly taskNode = new Map<string, string>();
  /** Tasks waiting for a node (PENDING, unassigned, desired at most RUNNING). */
  readonly unassigned = new Map<string, Task>();
  /**
   * Tasks waiting for the node they were created for (PENDING, `nodeId` set, desired at most
   * RUNNING: global tasks, rebalance replacements). They hold nothing on that node until assigned.
   * Invariant: disjoint from `unassigned` and from `taskNode`.
   */
  readonly pinned = new Map<string, Task>();
  private readonly pipeline = new Pipeline();

  static fromView(view: ReadView, nowMs: number): SchedulerState {
    const state = new SchedulerState();
    for (const node of view.nodes.all()) state.putNode(node);
    for (const task of view.tasks.all()) {
      state.putTask(task);
      const failedAtMs = task.status.timestampMs;
      if (isFailed(task) && task.nodeId !== "" && nowMs - failedAtMs <= SERVICE_FAILURE_WINDOW_MS) {
        state.nodes.get(task.nodeId)?.recordFailure(task.serviceId, failedAtMs);
      }
    }
    return state;
  }

  /** Applies one store change made at `timeMs`; says whether it may change a decision. */
  handleChange(change: Change, timeMs: number): boolean {
    if (change.kind === "node") {
      if (change.action === "delete") this.removeNode(change.object.id);
      else this.putNode(change.object);
      return true;
    }
    if (change.kind !== "task") return false;
    const task = change.object;
    if (change.action === "delete") {
      const held = this.releaseTask(task.id);
      const waiting = this.unassigned.delete(task.id);
      return this.pinned.delete(task.id) || waiting || held;
    }
    const old = change.old;
    if (old !== undefined && !isFailed(old) && isFailed(task) && task.nodeId !== "") {
      this.nodes.get(task.nodeId)?.recordFailure(task.serviceId, timeMs);
    }
    this.putTask(task);
    return true;
  }

  /** How many tasks wait for a node (pinned or not). */
  get waitingCount(): number {
    return this.unassigned.size + this.pinned.size;
  }

  /** Every task waiting for a node, pinned or not (what a pass plans from). */
  waitingTasks(): Map<string, Task> {
    return new Map([...this.pinned, ...this.unassigned]);
  }

  /**
   * Places every waiting task it can: first the pinned ones, each checked against the filters for
   * its own node only (as swarm does, so they claim their node before others are spread), then the
   * unassigned ones group by group (service and spec version, in id order).
   */
  schedule(nowMs: number): Decisions {
    const assignments = new Map<string, string>();
    const messages = new Map<string, string>();
    for (const group of groupTasks(this.pinned.values())) {
      const d = schedulePinned(this.nodes, group, this.pipeline);
      for (const [taskId, nodeId] of d.assigned) {
        assignments.set(taskId, nodeId);
        this.taskNode.set(taskId, nodeId);
        this.pinned.delete(taskId);
      }
      for (const t of group.tasks) {
        const message = d.unplaced.get(t.id);
        if (message !== undefined && t.status.message !== message) messages.set(t.id, message);
      }
    }
    const nodes = [...this.nodes.values()];
    for (const group of groupTasks(this.unassigned.values())) {
      const d = scheduleGroup(nodes, group, nowMs, this.pipeline);
      for (const [taskId, nodeId] of d.assigned) {
        assignments.set(taskId, nodeId);
        this.taskNode.set(taskId, nodeId);
        this.unassigned.delete(taskId);
      }
      if (d.unplacedMessage === undefined) continue;
      for (const t of group.tasks) {
        if (!assignments.has(t.id) && t.status.message !== d.unplacedMessage)
          messages.set(t.id, d.unplacedMessage);
      }
    }
    return { assignments, messages };
  }

  /** Takes back a placement the store refused or skipped (the task changed meanwhile). */
  undoAssignment(taskId: string): void {
    this.releaseTask(taskId);
  }

  checkInvariants(): void {
    for (const info of this.nodes.values()) info.checkInvariants();
    for (const [taskId, nodeId] of this.taskNode) {
      const info = this.nodes.get(nodeId);
      if (info !== undefined && !info.tasks.has(taskId))
        throw new Error(`task ${taskId} missing on ${nodeId}`);
      if (this.pinned.has(taskId) || this.unassigned.has(taskId))
        throw new Error(`task ${taskId} both waiting and held on ${nodeId}`);
    }
    for (const taskId of this.pinned.keys()) {
      if (this.unassigned.has(taskId)) throw new Error(`task ${taskId} both pinned and unassigned`);
    }
  }

  private putNode(node: Node): void {
    const info = this.nodes.get(node.id);
    if (info === undefined) this.nodes.set(node.id, new NodeInfo(node));
    else info.setNode(node);
  }

  private removeNode(nodeId: string): void {
    const info = this.nodes.get(nodeId);
    if (info === undefined) return;
    for (const taskId of info.tasks.keys()) this.taskNode.delete(taskId);
    this.nodes.delete(nodeId);
  }

  private putTask(task: Task): void {
    if (isTaskHeld(task)) {
      const was = this.taskNode.get(task.id);
      if (was !== undefined && was !== task.nodeId) this.releaseTask(task.id);
      this.taskNode.set(task.id, task.nodeId);
      this.nodes.get(task.nodeId)?.addTask(task.id, taskLoad(task));
    } else {
      this.releaseTask(task.id);
    }
    this.unassigned.delete(task.id);
    this.pinned.delete(task.id);
    if (isTaskPinned(task)) this.pinned.set(task.id, task);
    else if (isTaskSchedulable(task)) this.unassigned.set(task.id, task);
  }

  /** Frees what the task held on its node; says whether it held anything. */
  private releaseTask(taskId: string): boolean {
    const nodeId = this.taskNode.get(taskId);
    if (nodeId === undefined) return false;
    this.taskNode.delete(taskId);
    this.nodes.get(nodeId)?.removeTask(taskId);
    return true;
  }
}

function isFailed(task: Task): boolean {
  return task.status.state === TaskState.Failed || task.status.state === TaskState.Rejected;
}
