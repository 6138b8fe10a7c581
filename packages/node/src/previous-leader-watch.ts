/**
 * After an election, the manager that led before is the node most likely to be gone: it lost
 * leadership because the others stopped hearing from it. A new dispatcher gives every node a
 * full heartbeat grace period from its own start (2.5 s) before marking it DOWN; for the previous
 * leader's node this watch asks it for a shorter one (`PREVIOUS_LEADER_GRACE_MS`), so that
 * node's tasks are replaced sooner when it really died. A live previous leader (a leadership
 * transfer, a short blip) re-registers its agent well within that time and stays READY.
 * When the previous leader's cluster port refuses connections, its process is gone (the agent
 * runs in the same process): the grace shrinks to `DEAD_LEADER_GRACE_MS`.
 */
import type { ClusterState, DispatcherEndpoint } from "@shoal/manager";
import type { Logger } from "@shoal/raft";
import { raftMembers } from "./internal-procedures.ts";
import { portRefuses } from "./port-refuses.ts";

/** How long the previous leader's node has to register with the new leader's dispatcher. */
export const PREVIOUS_LEADER_GRACE_MS = 1_500;
/** The grace when the previous leader's cluster port refuses connections (its process died). */
export const DEAD_LEADER_GRACE_MS = 100;
/** How long the refused-connection probe may take; past it the full grace stands. */
const PROBE_TIMEOUT_MS = 300;
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

  private maybeSuspect(raftId: number, untilMs: number, graceMs = PREVIOUS_LEADER_GRACE_MS): void {
    const member = raftMembers(this.state).find((m) => m.raftId === raftId);
    const dispatcher = this.endpoint.current;
    if (!this.state.leadership.current.isLeader || member === undefined) return;
    if (dispatcher?.suspect(member.nodeId, graceMs)) {
      this.logger.info("the previous leader's node must register soon or be marked down", {
        node: member.nodeId,
        graceMs,
      });
      if (graceMs > DEAD_LEADER_GRACE_MS) this.shortenIfDead(raftId, member.addr, untilMs);
      return;
    }
    if (Date.now() > untilMs) {
      this.logger.debug("previous leader watch: gave up", {
        raftId,
        nodeId: member.nodeId,
        dispatcher: !!dispatcher,
      });
      return;
    }
    this.timer = setTimeout(() => this.maybeSuspect(raftId, untilMs, graceMs), SUSPECT_RETRY_MS);
    this.timer.unref();
  }

  /** Probes the previous leader's cluster port; a refusal means its process (and agent) died. */
  private shortenIfDead(raftId: number, addr: string, untilMs: number): void {
    void portRefuses(addr, PROBE_TIMEOUT_MS).then((refused) => {
      if (!refused) return;
      this.logger.info("the previous leader's cluster port refuses connections: its process is gone", {
        addr,
      });
      this.maybeSuspect(raftId, untilMs, DEAD_LEADER_GRACE_MS);
    });
  }
}
