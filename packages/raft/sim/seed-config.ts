/**
 * What one seed simulates: cluster size, clients, keys, fault rate and Raft options, all drawn
 * from the seed so a seed names a whole scenario.
 */
import type { CheckBudget } from "./linearizability.ts";
import { Prng } from "./prng.ts";

export interface SimOptions {
  /** The deliberately broken variant: leaders answer reads from local state, without ReadIndex. */
  readonly unsafeStaleReads: boolean;
  /** Lines of trace kept in memory (the newest). */
  readonly traceLinesMax: number;
  /** Return the kept trace for every seed, not only failing ones (`--trace`). */
  readonly traceAll: boolean;
  readonly checkBudget: CheckBudget;
  /** Overrides the per-seed step count (for quick tests). */
  readonly steps?: number;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = {
  unsafeStaleReads: false,
  traceLinesMax: 400,
  traceAll: false,
  checkBudget: { stepsMax: 5_000_000 },
};

export interface SeedConfig {
  readonly seed: number;
  readonly nodes: 3 | 5;
  readonly clients: number;
  readonly keys: number;
  /** Simulated steps; a Raft tick is `tickSteps` steps. */
  readonly steps: number;
  readonly tickSteps: number;
  /** Mean steps between nemesis actions. */
  readonly faultEverySteps: number;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  /** Small limits split appends, so a follower can hold part of what the leader sent. */
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
  /** Members a membership change may add over the run. */
  readonly extraNodesMax: number;
}

export function seedConfig(seed: number, options: SimOptions): SeedConfig {
  const rng = new Prng(seed ^ 0x5eed);
  return {
    seed,
    nodes: rng.chance(0.5) ? 3 : 5,
    clients: rng.between(2, 5),
    keys: rng.between(1, 3),
    steps: options.steps ?? 3_000,
    tickSteps: 10,
    faultEverySteps: rng.between(30, 150),
    checkQuorum: rng.chance(0.8),
    preVote: rng.chance(0.8),
    maxSizePerMsgBytes: rng.pick([1, 64, 4096]),
    maxInflightMsgs: rng.pick([1, 4, 16]),
    extraNodesMax: 3,
  };
}

export function describeSeedConfig(c: SeedConfig): string {
  return (
    `seed ${c.seed}: ${c.nodes} nodes, ${c.clients} clients, ${c.keys} keys, ${c.steps} steps, ` +
    `fault every ~${c.faultEverySteps} steps, checkQuorum ${c.checkQuorum}, preVote ${c.preVote}, ` +
    `maxSizePerMsg ${c.maxSizePerMsgBytes} B, maxInflight ${c.maxInflightMsgs}`
  );
}
