import type { Service, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import type { NodeInfo } from "../../scheduler/node-info.ts";
import { Pipeline } from "../../scheduler/pipeline.ts";
import { parsePlacement, type SpreadDescriptor } from "../../scheduler/placement.ts";
import { taskLoad } from "../../scheduler/task-load.ts";
import { isNodeLost } from "../node-availability.ts";
import { findMove, type Move } from "./move-search.ts";
import { readRebalanceSlots } from "./rebalance-slots.ts";

/** Named limit: a replacement not RUNNING this long after it was created counts as failed. */
export const REBALANCE_START_TIMEOUT_MS = 5 * 60 * 1_000;

export interface RebalanceInput {
  readonly service: Service;
  /** Every task of the service. */
  readonly tasks: readonly Task[];
  /**
   * The scheduler's model of the cluster (`SchedulerState.fromView(view, nowMs).nodes`). The plan
   * applies its moves (and, while a delay runs, the next one) to it, so services planned after
   * this one see them.
   */
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly nowMs: number;
  /** When this rebalance started: replacements created since then are its own. */
  readonly startedAtMs: number;
  /** Default REBALANCE_START_TIMEOUT_MS. */
  readonly startTimeoutMs?: number;
}

/** What the rebalancer should do next for one service; a pure function of its input. */
export interface RebalancePlan {
  /** Replacements to create now, each pinned to its target node (the next batch). */
  readonly moves: readonly Move[];
  /** Old tasks whose replacement is RUNNING, and replacements whose target node was lost. */
  readonly stopNow: readonly Task[];
  /** Replacements not RUNNING yet (withdrawn when the rebalance pauses). */
  readonly pending: readonly Task[];
  /** Replacements of this rebalance that failed or did not start in time: the rebalance pauses. */
  readonly failures: readonly Task[];
  /** Moves in flight (replacements not RUNNING yet). */
  readonly inFlight: number;
  /** Nothing in flight, nothing to stop, and no move would make the spread more even. */
  readonly balanced: boolean;
  /** When to look again (a delay or a start timeout ends), if waiting on time. */
  readonly wakeAtMs: number | undefined;
}

/**
 * Plans the next step of a service's rebalance, honouring its update config: at most
 * `parallelism` moves in flight (0 = no limit), the next batch `delayMs` after the last
 * replacement started running. Moves are always start-first: the old task is stopped only once
 * its replacement runs, so the running count never drops below the replica count.
 */
export function planRebalance(input: RebalanceInput): RebalancePlan {
  const { service, nodes, nowMs } = input;
  const config = service.spec.updateConfig;
  const slots = readRebalanceSlots(service, input.tasks, input.startedAtMs);
  const stopNow: Task[] = [];
  const pending: Task[] = [];
  const stuck: Task[] = [];
  const startTimeoutMs = input.startTimeoutMs ?? REBALANCE_START_TIMEOUT_MS;
  let timeoutAtMs = Number.POSITIVE_INFINITY;
  let lastStartMs = Number.NEGATIVE_INFINITY;
  for (const move of slots.moves) {
    if (isNodeLost(nodes.get(move.fresh.nodeId)?.node)) {
      // The target went down, drained or away before the move ended: withdraw the replacement.
      stopNow.push(move.fresh);
      continue;
    }
    // The slot counts where it is going: the old task leaves the model, and the replacement is in
    // it on its target even while the scheduler has not yet assigned it (the scheduler's model
    // holds a pinned task only from ASSIGNED on).
    for (const old of move.old) nodes.get(old.nodeId)?.removeTask(old.id);
    nodes.get(move.fresh.nodeId)?.addTask(move.fresh.id, taskLoad(move.fresh));
    if (move.fresh.status.state === TaskState.Running) {
      stopNow.push(...move.old);
      lastStartMs = Math.max(lastStartMs, move.fresh.status.timestampMs);
    } else {
      pending.push(move.fresh);
      const deadlineMs = move.fresh.createdAtMs + startTimeoutMs;
      if (nowMs >= deadlineMs) stuck.push(move.fresh);
      else timeoutAtMs = Math.min(timeoutAtMs, deadlineMs);
    }
  }
  for (const task of input.tasks) {
    if (task.createdAtMs >= input.startedAtMs && task.status.state === TaskState.Running)
      lastStartMs = Math.max(lastStartMs, task.status.timestampMs);
  }
  const failures = [...slots.failures, ...stuck];
  const base = { stopNow, pending, failures, inFlight: pending.length };
  const spread = spreadOf(service);
  if (failures.length > 0 || spread === undefined) {
    return { ...base, moves: [], balanced: false, wakeAtMs: undefined };
  }
  const room = config.parallelism === 0 ? Number.POSITIVE_INFINITY : config.parallelism - pending.length;
  const allowedAtMs = lastStartMs + config.delayMs;
  const canMove = room > 0 && nowMs >= allowedAtMs;
  const movable = byNode(slots.movable);
  const search = { serviceId: service.id, nodes, spread, pipeline: new Pipeline(), nowMs };
  const moves: Move[] = [];
  let waiting = false;
  if (canMove) {
    for (let move = findMove(search, movable); move !== undefined; move = findMove(search, movable)) {
      moves.push(move);
      if (moves.length >= room) break;
    }
  } else if (room > 0) {
    // Only to know whether there is anything left to wait for.
    waiting = findMove(search, movable) !== undefined;
  }
  return {
    ...base,
    moves,
    balanced: pending.length === 0 && stopNow.length === 0 && moves.length === 0 && !waiting,
    wakeAtMs: earliest(waiting ? allowedAtMs : undefined, timeoutAtMs),
  };
}

function earliest(a: number | undefined, b: number): number | undefined {
  const atMs = Math.min(a ?? Number.POSITIVE_INFINITY, b);
  return Number.isFinite(atMs) ? atMs : undefined;
}

/** The service's spread preferences; undefined when its placement does not parse. */
function spreadOf(service: Service): readonly SpreadDescriptor[] | undefined {
  try {
    return parsePlacement(service.spec.taskTemplate.placement).spread;
  } catch {
    return undefined;
  }
}

function byNode(tasks: readonly Task[]): Map<string, Task[]> {
  const out = new Map<string, Task[]>();
  for (const task of tasks) {
    const list = out.get(task.nodeId);
    if (list === undefined) out.set(task.nodeId, [task]);
    else list.push(task);
  }
  return out;
}
