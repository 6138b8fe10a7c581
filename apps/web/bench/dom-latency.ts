/**
 * Matches committed changes with what the page showed: a failure is on the services page once
 * its service's count shows at most the tasks left running after it (counts only go down in the
 * benchmark), and on the tasks view once its row shows "failed".
 */
import type { ProbeRecords } from "./dom-probe.ts";
import type { CommittedFailure } from "./task-failures.ts";

export interface DomLatencies {
  /** Commit → DOM, ms, ascending. */
  readonly latencies: number[];
  /** Commit → the delta's arrival on the page's socket, ms, ascending (the server's share). */
  readonly arrivals: number[];
  /** Changes the page never showed. */
  readonly missing: number;
}

export function domLatencies(
  committed: readonly CommittedFailure[],
  shown: ProbeRecords,
  serviceNames: ReadonlyMap<string, string>,
  by: "count" | "task-state",
): DomLatencies {
  const latencies: number[] = [];
  const arrivals: number[] = [];
  const firstArrival = new Map<string, number>();
  for (const [id, at] of shown.taskDeltas) if (!firstArrival.has(id)) firstArrival.set(id, at);
  let missing = 0;
  for (const change of committed) {
    const arrived = firstArrival.get(change.taskId);
    if (arrived !== undefined) arrivals.push(Math.max(0, arrived - change.committedAtMs));
    const at = by === "count" ? countShownAt(change, shown, serviceNames) : stateShownAt(change, shown);
    if (at === undefined) missing++;
    else latencies.push(Math.max(0, at - change.committedAtMs));
  }
  return { latencies: latencies.sort((a, b) => a - b), arrivals: arrivals.sort((a, b) => a - b), missing };
}

function countShownAt(
  change: CommittedFailure,
  shown: ProbeRecords,
  serviceNames: ReadonlyMap<string, string>,
): number | undefined {
  const name = serviceNames.get(change.serviceId);
  return shown.replicas.find(([n, running]) => n === name && running <= change.runningAfter)?.[2];
}

function stateShownAt(change: CommittedFailure, shown: ProbeRecords): number | undefined {
  return shown.taskStates.find(([id, state]) => id === change.taskId && state === "failed")?.[2];
}

/** The value at quantile `q` (0..1) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
