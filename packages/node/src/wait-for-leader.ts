/** Waits (bounded) until a manager's leadership satisfies a condition. */
import type { ClusterState, LeadershipState } from "@shoal/manager";
import { NodeError } from "./node-error.ts";

export const LEADER_WAIT_MS = 15_000;

export async function waitForLeader(
  state: ClusterState,
  predicate: (s: LeadershipState) => boolean,
  timeoutMs = LEADER_WAIT_MS,
): Promise<LeadershipState> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await state.leadership.when(predicate, signal);
  } catch {
    throw new NodeError(
      "no-leader",
      `no Raft leader after ${timeoutMs} ms: check that a quorum of managers runs`,
    );
  }
}
