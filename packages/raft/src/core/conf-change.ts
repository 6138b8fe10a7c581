/**
 * Computes the next membership configuration from a ConfChange (confchange/confchange.go's design):
 * simple changes alter one voter at a time; joint changes enter C(old,new) and are left later.
 * Works on copies: the tracker is only replaced once the new configuration is checked.
 */
import { RaftError } from "../errors.ts";
import {
  type ConfChange,
  type ConfChangeSingle,
  ConfChangeType,
  type ConfState,
  type NodeId,
} from "../types.ts";
import type { Progress } from "./progress.ts";
import {
  checkTrackerConfig,
  cloneTrackerConfig,
  type ProgressTracker,
  type TrackerConfig,
} from "./tracker.ts";

export type ConfigAndProgress = [TrackerConfig, Map<NodeId, Progress>];

function invalid(what: string): never {
  throw new RaftError("conf-change-invalid", what);
}

/** An empty "auto" change leaves a joint configuration. */
export function isLeaveJoint(cc: ConfChange): boolean {
  return cc.transition === "auto" && cc.changes.length === 0;
}

/** Whether cc enters a joint configuration, and whether that is left automatically. */
export function entersJoint(cc: ConfChange): { joint: boolean; autoLeave: boolean } {
  if (cc.transition !== "auto" || cc.changes.length > 1) {
    return { joint: true, autoLeave: cc.transition !== "explicit" };
  }
  return { joint: false, autoLeave: false };
}

export class ConfChanger {
  constructor(
    private readonly tracker: ProgressTracker,
    private readonly lastIndex: number,
  ) {}

  /** The configuration after applying cc to the current one. Throws "conf-change-invalid". */
  change(cc: ConfChange): ConfigAndProgress {
    if (isLeaveJoint(cc)) return this.leaveJoint();
    const { joint, autoLeave } = entersJoint(cc);
    return joint ? this.enterJoint(autoLeave, cc.changes) : this.simple(cc.changes);
  }

  enterJoint(autoLeave: boolean, ccs: readonly ConfChangeSingle[]): ConfigAndProgress {
    const [cfg, prs] = this.copy();
    if (cfg.outgoing.size > 0) invalid("the configuration is already joint");
    if (cfg.incoming.size === 0) invalid("cannot make a zero-voter configuration joint");
    for (const id of cfg.incoming) cfg.outgoing.add(id);
    this.apply(cfg, prs, ccs);
    cfg.autoLeave = autoLeave;
    return this.checked(cfg, prs);
  }

  leaveJoint(): ConfigAndProgress {
    const [cfg, prs] = this.copy();
    if (cfg.outgoing.size === 0) invalid("cannot leave a joint configuration: not joint");
    for (const id of cfg.learnersNext) {
      cfg.learners.add(id);
      this.replace(prs, id, prs.get(id)!, true);
    }
    cfg.learnersNext.clear();
    for (const id of cfg.outgoing) {
      if (!cfg.incoming.has(id) && !cfg.learners.has(id)) prs.delete(id);
    }
    cfg.outgoing.clear();
    cfg.autoLeave = false;
    return this.checked(cfg, prs);
  }

  simple(ccs: readonly ConfChangeSingle[]): ConfigAndProgress {
    const [cfg, prs] = this.copy();
    if (cfg.outgoing.size > 0) invalid("cannot apply a simple change in a joint configuration");
    this.apply(cfg, prs, ccs);
    const before = this.tracker.config.incoming;
    let changed = 0;
    for (const id of before) if (!cfg.incoming.has(id)) changed++;
    for (const id of cfg.incoming) if (!before.has(id)) changed++;
    if (changed > 1) invalid("more than one voter changed without entering a joint configuration");
    return this.checked(cfg, prs);
  }

  /** Builds the configuration described by a ConfState from an empty one (on start or snapshot). */
  restore(cs: ConfState): ConfigAndProgress {
    const outgoing = cs.votersOutgoing.map((id) => ({ type: ConfChangeType.AddNode, nodeId: id }));
    const incoming: ConfChangeSingle[] = [
      ...cs.voters.map((id) => ({ type: ConfChangeType.AddNode, nodeId: id })),
      ...cs.learners.map((id) => ({ type: ConfChangeType.AddLearner, nodeId: id })),
      ...cs.learnersNext.map((id) => ({ type: ConfChangeType.AddLearner, nodeId: id })),
    ];
    if (outgoing.length === 0) {
      let result: ConfigAndProgress = this.copy();
      for (const c of incoming)
        result = new ConfChanger(trackerOf(this.tracker, result), this.lastIndex).simple([c]);
      return result;
    }
    // Build the outgoing config one voter at a time, then enter joint with the incoming changes.
    let result: ConfigAndProgress = this.copy();
    for (const c of outgoing)
      result = new ConfChanger(trackerOf(this.tracker, result), this.lastIndex).simple([c]);
    const changer = new ConfChanger(trackerOf(this.tracker, result), this.lastIndex);
    // The incoming voters replace the outgoing ones: remove those not kept, then add.
    const removals = cs.votersOutgoing
      .filter((id) => !cs.voters.includes(id))
      .map((id) => ({ type: ConfChangeType.RemoveNode, nodeId: id }));
    return changer.enterJoint(cs.autoLeave, [...removals, ...incoming]);
  }

  private copy(): ConfigAndProgress {
    const prs = new Map<NodeId, Progress>();
    for (const [id, pr] of this.tracker.progress) prs.set(id, pr);
    return [cloneTrackerConfig(this.tracker.config), prs];
  }

  private apply(cfg: TrackerConfig, prs: Map<NodeId, Progress>, ccs: readonly ConfChangeSingle[]): void {
    for (const cc of ccs) {
      if (cc.nodeId === 0) continue;
      switch (cc.type) {
        case ConfChangeType.AddNode:
          this.makeVoter(cfg, prs, cc.nodeId);
          break;
        case ConfChangeType.AddLearner:
          this.makeLearner(cfg, prs, cc.nodeId);
          break;
        case ConfChangeType.RemoveNode:
          this.remove(cfg, prs, cc.nodeId);
          break;
        default:
          invalid(`unknown conf change type ${String(cc.type)}`);
      }
    }
    if (cfg.incoming.size === 0) invalid("removed all voters");
  }

  private makeVoter(cfg: TrackerConfig, prs: Map<NodeId, Progress>, id: NodeId): void {
    const pr = prs.get(id);
    if (!pr) {
      this.initProgress(cfg, prs, id, false);
      return;
    }
    this.replace(prs, id, pr, false);
    cfg.learners.delete(id);
    cfg.learnersNext.delete(id);
    cfg.incoming.add(id);
  }

  private makeLearner(cfg: TrackerConfig, prs: Map<NodeId, Progress>, id: NodeId): void {
    const pr = prs.get(id);
    if (!pr) {
      this.initProgress(cfg, prs, id, true);
      return;
    }
    if (pr.isLearner) return;
    // Remove as a voter, keeping the progress, then add as a learner (or learnerNext when joint).
    this.remove(cfg, prs, id);
    prs.set(id, pr);
    if (cfg.outgoing.has(id)) {
      cfg.learnersNext.add(id);
    } else {
      this.replace(prs, id, pr, true);
      cfg.learners.add(id);
    }
  }

  private remove(cfg: TrackerConfig, prs: Map<NodeId, Progress>, id: NodeId): void {
    if (!prs.has(id)) return;
    cfg.incoming.delete(id);
    cfg.learners.delete(id);
    cfg.learnersNext.delete(id);
    if (!cfg.outgoing.has(id)) prs.delete(id);
  }

  private initProgress(cfg: TrackerConfig, prs: Map<NodeId, Progress>, id: NodeId, isLearner: boolean): void {
    if (isLearner) cfg.learners.add(id);
    else cfg.incoming.add(id);
    // Next = lastIndex so that the first append probes; a new member counts as recently active so
    // that check-quorum does not depose the leader before the member had a chance to answer.
    const pr = this.tracker.newProgress(Math.max(this.lastIndex, 1), isLearner);
    pr.recentActive = true;
    prs.set(id, pr);
  }

  /** Progress objects are shared with the live tracker: change the learner flag on a copy. */
  private replace(prs: Map<NodeId, Progress>, id: NodeId, pr: Progress, isLearner: boolean): void {
    if (pr.isLearner === isLearner) return;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(pr)) as Progress, pr, { isLearner });
    prs.set(id, copy);
  }

  private checked(cfg: TrackerConfig, prs: Map<NodeId, Progress>): ConfigAndProgress {
    checkTrackerConfig(cfg, prs);
    return [cfg, prs];
  }
}

function trackerOf(base: ProgressTracker, [cfg, prs]: ConfigAndProgress): ProgressTracker {
  const t = Object.create(Object.getPrototypeOf(base)) as ProgressTracker;
  Object.assign(t, base, { config: cfg, progress: prs });
  return t;
}
