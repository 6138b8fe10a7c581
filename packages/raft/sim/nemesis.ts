/**
 * The nemesis: at random moments it partitions the network (both ways or one way), changes the
 * network's weather (loss, duplication, delay, reordering), crashes nodes with or without losing
 * unsynced writes, changes membership, transfers leadership, and compacts logs at odd moments.
 */
import {
  type ConfChangeSingle,
  ConfChangeType,
  type ConfState,
  type NodeId,
  RaftError,
} from "../src/index.ts";
import type { Prng } from "./prng.ts";
import { CALM_NETWORK, type NetworkFaults, type SimNetwork } from "./sim-network.ts";
import type { SimNode } from "./sim-node.ts";

/** What the nemesis may do to the cluster. */
export interface Cluster {
  readonly rng: Prng;
  readonly network: SimNetwork;
  readonly nodes: ReadonlyMap<NodeId, SimNode>;
  readonly conf: ConfState;
  readonly extraNodesLeft: number;
  log(text: string): void;
  leader(): SimNode | undefined;
  crash(id: NodeId, loseUnsynced: boolean, downSteps: number): void;
  healAfter(steps: number): void;
  /** An empty, booted node that is not yet a member (created if needed); returns its id. */
  addNode(): NodeId;
}

type Action = (c: Cluster) => void;

const ACTIONS: readonly [Action, number][] = [
  [partition, 3],
  [oneWay, 2],
  [isolateLeader, 2],
  [heal, 2],
  [weather, 3],
  [crash, 3],
  [changeMembership, 3],
  [transferLeadership, 2],
  [compact, 3],
];
const WEIGHT_TOTAL = ACTIONS.reduce((n, [, w]) => n + w, 0);

export function actAtRandom(c: Cluster): void {
  let roll = c.rng.intn(WEIGHT_TOTAL);
  for (const [action, weight] of ACTIONS) {
    if (roll < weight) {
      action(c);
      return;
    }
    roll -= weight;
  }
}

function upNodes(c: Cluster): SimNode[] {
  return [...c.nodes.values()].filter((n) => n.alive);
}

function shuffle<T>(rng: Prng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.intn(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Nodes worth partitioning: those up (a stopped, removed node no longer matters). */
function upIds(c: Cluster): NodeId[] {
  return upNodes(c).map((n) => n.id);
}

function partition(c: Cluster): void {
  const ids = shuffle(c.rng, upIds(c));
  if (ids.length < 2) return;
  const cut = c.rng.between(1, ids.length - 1);
  c.network.partition(ids.slice(0, cut), ids.slice(cut));
  c.log(`nemesis: partition [${ids.slice(0, cut).join(",")}] | [${ids.slice(cut).join(",")}]`);
  c.healAfter(c.rng.between(50, 800));
}

function oneWay(c: Cluster): void {
  const ids = upIds(c);
  if (ids.length < 2) return;
  const cuts: string[] = [];
  for (let k = c.rng.between(1, 3); k > 0; k--) {
    const [from, to] = shuffle(c.rng, [...ids]);
    c.network.block(from!, to!);
    cuts.push(`${from}↛${to}`);
  }
  c.log(`nemesis: one-way ${cuts.join(" ")}`);
  c.healAfter(c.rng.between(50, 800));
}

function isolateLeader(c: Cluster): void {
  const leader = c.leader();
  if (leader === undefined) return;
  const rest = upIds(c).filter((id) => id !== leader.id);
  c.network.partition([leader.id], rest);
  c.log(`nemesis: isolate leader ${leader.id}`);
  c.healAfter(c.rng.between(50, 800));
}

function heal(c: Cluster): void {
  c.network.heal();
  c.log("nemesis: heal");
}

function weather(c: Cluster): void {
  const rng = c.rng;
  const f: NetworkFaults = { ...CALM_NETWORK };
  const kind = rng.pick(["calm", "lossy", "duplicating", "slow", "reordering", "chaos"] as const);
  if (kind === "lossy" || kind === "chaos") f.lossRate = rng.pick([0.02, 0.1, 0.3]);
  if (kind === "duplicating" || kind === "chaos") f.duplicateRate = rng.pick([0.05, 0.2, 0.5]);
  if (kind === "slow" || kind === "chaos") {
    f.delayStepsMin = rng.between(1, 10);
    f.delayStepsMax = f.delayStepsMin + rng.between(5, 40);
  }
  if (kind === "reordering" || kind === "chaos") {
    f.spikeRate = rng.pick([0.05, 0.2, 0.5]);
    f.spikeDelayStepsMax = f.delayStepsMax + rng.between(20, 300);
  }
  c.network.faults = f;
  c.log(
    `nemesis: network ${kind} loss ${f.lossRate} dup ${f.duplicateRate} delay ${f.delayStepsMin}-${f.delayStepsMax}` +
      ` spikes ${f.spikeRate}×${f.spikeDelayStepsMax}`,
  );
}

function crash(c: Cluster): void {
  const up = upNodes(c);
  if (up.length === 0) return;
  const down = c.nodes.size - up.length;
  // Keep a majority up most of the time, so the run makes progress between outages.
  if (down + 1 > Math.floor((c.nodes.size - 1) / 2) && !c.rng.chance(0.1)) return;
  const leader = c.leader();
  const victim = leader !== undefined && c.rng.chance(0.4) ? leader : c.rng.pick(up);
  c.crash(victim.id, c.rng.chance(0.5), c.rng.between(20, 600));
}

function compact(c: Cluster): void {
  const up = upNodes(c);
  if (up.length === 0) return;
  const leader = c.leader();
  const node = leader !== undefined && c.rng.chance(0.5) ? leader : c.rng.pick(up);
  const done = node.compact(c.rng.pick([0, 0, 1, 3, 10]));
  if (done !== undefined) c.log(`nemesis: n${node.id} ${done}`);
}

function transferLeadership(c: Cluster): void {
  const leader = c.leader();
  const voters = c.conf.voters.filter((id) => id !== leader?.id);
  if (leader === undefined || voters.length === 0) return;
  const to = c.rng.pick(voters);
  c.log(`nemesis: transfer leadership ${leader.id} → ${to}`);
  leader.raftHandle.transferLeadership(to);
}

/** Adds a learner, promotes it, removes a voter; sometimes two at once through a joint config. */
function changeMembership(c: Cluster): void {
  const leader = c.leader();
  const conf = c.conf;
  if (leader === undefined || conf.votersOutgoing.length > 0) return;
  const rng = c.rng;
  const changes: ConfChangeSingle[] = [];
  const learner = conf.learners[0];
  if (learner !== undefined) {
    changes.push({ type: ConfChangeType.AddNode, nodeId: learner });
    if (conf.voters.length >= 3 && rng.chance(0.3)) {
      changes.push({ type: ConfChangeType.RemoveNode, nodeId: rng.pick(conf.voters) });
    }
  } else if (conf.voters.length < 5 && c.extraNodesLeft > 0 && rng.chance(0.6)) {
    changes.push({ type: ConfChangeType.AddLearner, nodeId: c.addNode() });
  } else if (conf.voters.length > 3) {
    changes.push({ type: ConfChangeType.RemoveNode, nodeId: rng.pick(conf.voters) });
  } else {
    return;
  }
  const transition = changes.length > 1 ? rng.pick(["auto", "implicit"] as const) : "auto";
  const what = changes.map((ch) => `${ConfChangeType[ch.type]} ${ch.nodeId}`).join(", ");
  try {
    leader.raftHandle.proposeConfChange({ transition, changes, context: new Uint8Array(0) });
    c.log(`nemesis: n${leader.id} proposes ${what} (${transition})`);
  } catch (e) {
    if (!(e instanceof RaftError)) throw e;
    c.log(`nemesis: n${leader.id} refuses ${what}: ${e.code}`);
  }
}
