/**
 * After an election, the manager that led before is the node most likely to be gone: it lost
 * leadership because the others stopped hearing from it. A new dispatcher gives every node a
 * full heartbeat grace period from its own start (2.5 s) before marking it DOWN; for the previous
 * leader's node this watch asks it for a shorter one (`PREVIOUS_LEADER_GRACE_MS`), so that
 * node's tasks are replaced sooner when it really died. A live previous leader (a leadership
 * transfer, a short blip) re-registers its agent well within that time and stays READY.
 */
import type { ClusterState, DispatcherEndpoint } from "@shoal/manager";
import type { Logger } from "@shoal/raft";
import { raftMembers } from "./internal-procedures.ts";

/** How long the previous leader's node has to register with the new leader's dispatcher. */
export const PREVIOUS_LEADER_GRACE_MS = 1_500;
/** How long to keep trying while the new dispatcher starts (barrier, first pass over nodes). */
const SUSPECT_TRY_MS_MAX = 5_000;
const SUSPECT_RETRY_MS = 50;

export class PreviousLeaderWatch {
  private lastLeader = 0;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: ClusterState,
    private readonly endpoint: DispatcherEndpoint,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.unsubscribe = this.state.leadership.subscribe((s) => {
      if (s.isLeader && this.lastLeader !== 0 && this.lastLeader !== this.state.id) {
        this.maybeSuspect(this.lastLeader, Date.now() + SUSPECT_TRY_MS_MAX);
      }
      if (s.leaderId !== 0) this.lastLeader = s.leaderId;
    });
  }

  stop(): void {
    this.unsubscribe?.();
    clearTimeout(this.timer);
  }

  private maybeSuspect(raftId: number, untilMs: number): void {
    const nodeId = raftMembers(this.state).find((m) => m.raftId === raftId)?.nodeId;
    const dispatcher = this.endpoint.current;
    if (!this.state.leadership.current.isLeader || nodeId === undefined) return;
    if (dispatcher?.suspect(nodeId, PREVIOUS_LEADER_GRACE_MS)) {
      this.logger.info("the previous leader's node must register soon or be marked down", {
        node: nodeId,
        graceMs: PREVIOUS_LEADER_GRACE_MS,
      });
      return;
    }
    if (Date.now() > untilMs) {
      this.logger.debug("previous leader watch: gave up", { raftId, nodeId, dispatcher: !!dispatcher });
      return;
    }
    this.timer = setTimeout(() => this.maybeSuspect(raftId, untilMs), SUSPECT_RETRY_MS);
    this.timer.unref();
  }
}
