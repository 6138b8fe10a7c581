/**
 * How the simulator builds a Raft node: the one place that knows the core's constructor and
 * the configuration every simulated node runs with.
 */
import type { MemoryStorage } from "../src/core/memory-storage.ts";
import { RawNode } from "../src/core/raw-node.ts";
import { DEFAULT_CONFIG, type Logger, type NodeId } from "../src/index.ts";
import type { Prng } from "./prng.ts";

export type RaftHandle = RawNode;

export interface RaftTuning {
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function startRaft(
  id: NodeId,
  storage: MemoryStorage,
  applied: number,
  peers: readonly NodeId[],
  rng: Prng,
  tuning: RaftTuning,
): RaftHandle {
  const config = {
    ...DEFAULT_CONFIG,
    id,
    storage,
    applied,
    electionTick: 10,
    heartbeatTick: 1,
    checkQuorum: tuning.checkQuorum,
    preVote: tuning.preVote,
    maxSizePerMsgBytes: tuning.maxSizePerMsgBytes,
    maxInflightMsgs: tuning.maxInflightMsgs,
    rng: rng.fork(),
    logger: silent,
  };
  return peers.length > 0 ? RawNode.bootstrap(config, peers) : new RawNode(config);
}
