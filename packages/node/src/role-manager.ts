/**
 * The role manager, a leader-only component: carries out role changes through Raft membership.
 * Every pass (each `ROLE_MANAGER_PERIOD_MS`):
 * - a learner whose log caught up with the leader's commit index becomes a voter;
 * - a node whose spec says worker but that is still a Raft member is demoted: the leader first
 *   hands leadership to a caught-up voter when it is the one being demoted (the next leader's
 *   role manager finishes the job); otherwise the member is removed from Raft and the node's
 *   certificate role becomes worker (the node then renews its certificate and drops its
 *   manager component);
 * - the managers' `leader` and `reachability` fields are kept true (written only when they change).
 */
import type { ClusterState, LeaderComponent } from "@shoal/manager";
import { ConfChangeType, type Logger } from "@shoal/raft";
import type { Node } from "@shoal/store";

export const ROLE_MANAGER_PERIOD_MS = 200;

export class RoleManager implements LeaderComponent {
  readonly name = "role-manager";
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly state: ClusterState,
    private readonly reachable: () => ReadonlySet<number>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.pass()).catch((err) => this.logError(err));
    }, ROLE_MANAGER_PERIOD_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private logError(err: unknown): void {
    if (!this.stopped) this.logger.warn("role manager: pass failed; retrying", { error: String(err) });
  }

  private async pass(): Promise<void> {
    if (this.stopped || !this.state.leadership.current.isLeader) return;
    await this.promoteCaughtUpLearners();
    await this.carryOutDemotions();
    await this.refreshManagerStatus();
  }

  private async promoteCaughtUpLearners(): Promise<void> {
    const status = this.state.raftStatus();
    for (const learner of status.confState.learners) {
      const pr = status.progress?.get(learner);
      if (!pr || pr.match < status.commit) continue;
      this.logger.info("role manager: learner caught up; making it a voter", { raftId: learner });
      await this.state.proposeConfChange({
        transition: "auto",
        changes: [{ type: ConfChangeType.AddNode, nodeId: learner }],
        context: new Uint8Array(0),
      });
      return; // one membership change at a time
    }
  }

  private async carryOutDemotions(): Promise<void> {
    const status = this.state.raftStatus();
    const members = new Set([...status.confState.voters, ...status.confState.learners]);
    const demoted = this.state.store.view((v) =>
      v.nodes.all().filter((n) => n.spec.role === "worker" && n.managerStatus !== undefined),
    );
    for (const node of demoted) {
      const raftId = node.managerStatus!.raftId;
      if (raftId === status.id) {
        const to = this.transferTarget();
        if (to !== undefined) {
          this.logger.info("role manager: this leader is being demoted; transferring leadership", { to });
          this.state.transferLeadership(to);
        }
        return;
      }
      if (members.has(raftId)) {
        this.logger.info("role manager: removing a demoted manager from Raft", { node: node.id, raftId });
        await this.state.proposeConfChange({
          transition: "auto",
          changes: [{ type: ConfChangeType.RemoveNode, nodeId: raftId }],
          context: new Uint8Array(0),
        });
      }
      await this.state.store.update((tx) => {
        const current = tx.nodes.get(node.id);
        if (current) tx.update("node", { ...current, role: "worker", managerStatus: undefined });
      });
      return;
    }
  }

  /** The caught-up voter (other than this node) with the highest match index. */
  private transferTarget(): number | undefined {
    const status = this.state.raftStatus();
    const reachable = this.reachable();
    let best: { id: number; match: number } | undefined;
    for (const id of status.confState.voters) {
      const pr = status.progress?.get(id);
      if (id === status.id || !pr || !reachable.has(id)) continue;
      if (!best || pr.match > best.match) best = { id, match: pr.match };
    }
    return best?.id;
  }

  private async refreshManagerStatus(): Promise<void> {
    const status = this.state.raftStatus();
    const reachable = this.reachable();
    const stale = this.state.store.view((v) =>
      v.nodes.all().filter((n) => n.managerStatus !== undefined && this.differs(n, status.id, reachable)),
    );
    if (stale.length === 0) return;
    await this.state.store.update((tx) => {
      for (const node of stale) {
        const current = tx.nodes.get(node.id);
        if (!current?.managerStatus) continue;
        tx.update("node", { ...current, managerStatus: this.wanted(current, status.id, reachable) });
      }
    });
  }

  private wanted(node: Node, self: number, reachable: ReadonlySet<number>): Node["managerStatus"] {
    const ms = node.managerStatus!;
    const leader = ms.raftId === self;
    return { ...ms, leader, reachability: leader || reachable.has(ms.raftId) ? "reachable" : "unreachable" };
  }

  private differs(node: Node, self: number, reachable: ReadonlySet<number>): boolean {
    const want = this.wanted(node, self, reachable)!;
    return (
      want.leader !== node.managerStatus!.leader || want.reachability !== node.managerStatus!.reachability
    );
  }
}
