/**
 * Why a manager may not `swarm leave` without `--force`, in Docker's words: the last manager
 * erases the swarm's state; otherwise leaving may cost the remaining managers their quorum. The
 * numbers come from this manager's own view (its Raft configuration and the reachability the
 * leader records), so the answer needs no leader.
 */
import type { ManagerRole } from "./manager-role.ts";

const PREFIX = "You are attempting to leave the swarm on a node that is participating as a manager. ";
const RESTORE =
  "The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. " +
  "Use `--force` to suppress this message.";

export interface ManagerCounts {
  /** Voting managers that are reachable, this one included. */
  readonly reachable: number;
  readonly unreachable: number;
}

export function managerLeaveRefusal(counts: ManagerCounts | undefined): string {
  if (counts === undefined) return `${PREFIX}Doing so may lose the consensus of your cluster. ${RESTORE}`;
  const { reachable, unreachable } = counts;
  if (reachable === 1 && unreachable === 0) {
    return `${PREFIX}Removing the last manager erases all current state of the swarm. Use \`--force\` to ignore this message.`;
  }
  if (reachable - 2 <= unreachable) {
    return (
      `${PREFIX}Removing this node leaves ${reachable - 1} managers out of ${reachable + unreachable}. ` +
      `Without a Raft quorum your swarm will be inaccessible. ${RESTORE}`
    );
  }
  return `${PREFIX}${RESTORE}`;
}

/** Counts this manager's voters: itself and those the store records as reachable. */
export function managerCounts(role: ManagerRole | undefined, selfRaftId: number): ManagerCounts | undefined {
  if (role === undefined) return undefined;
  const voters = role.state.raftStatus().confState.voters;
  const reachableIds = role.state.store.view((v) =>
    v.nodes
      .all()
      .filter((n) => n.managerStatus?.reachability === "reachable")
      .map((n) => n.managerStatus!.raftId),
  );
  const reachable = voters.filter((id) => id === selfRaftId || reachableIds.includes(id)).length;
  return { reachable, unreachable: voters.length - reachable };
}
