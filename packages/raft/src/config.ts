import type { Storage } from "./storage.ts";
import type { Logger, NodeId, Rng } from "./types.ts";

/** How a Raft node is built. Every limit is named, unit last, and validated by validateConfig. */
export interface Config {
  readonly id: NodeId;
  /** Ticks without hearing from a leader before a follower campaigns; randomised in [e, 2e). */
  readonly electionTick: number;
  /** Ticks between leader heartbeats; must be < electionTick. */
  readonly heartbeatTick: number;
  readonly storage: Storage;
  /** The last index the caller has applied (on restart). */
  readonly applied: number;
  /** Max bytes of entry data in one append message (at least one entry is always sent). */
  readonly maxSizePerMsgBytes: number;
  /** Max append messages in flight to one follower in replicate state. */
  readonly maxInflightMsgs: number;
  /** Max bytes of committed entries handed out in one Ready. */
  readonly maxCommittedSizePerReadyBytes: number;
  /** Max bytes of uncommitted entries the leader accepts before dropping proposals. */
  readonly maxUncommittedEntriesBytes: number;
  /** Max bytes of one proposal's data; larger ones are refused with "proposal-too-large". */
  readonly maxProposalBytes: number;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  /** "safe": ReadIndex confirms leadership with a heartbeat round; "lease": relies on check-quorum. */
  readonly readOnlyOption: "safe" | "lease";
  /** Followers forward proposals to the leader unless this is set. */
  readonly disableProposalForwarding: boolean;
  readonly rng: Rng;
  readonly logger: Logger;
}

export const DEFAULT_CONFIG = {
  electionTick: 10,
  heartbeatTick: 1,
  applied: 0,
  maxSizePerMsgBytes: 1024 * 1024,
  maxInflightMsgs: 256,
  maxCommittedSizePerReadyBytes: 8 * 1024 * 1024,
  maxUncommittedEntriesBytes: 64 * 1024 * 1024,
  maxProposalBytes: 1536 * 1024,
  checkQuorum: true,
  preVote: true,
  readOnlyOption: "safe",
  disableProposalForwarding: false,
} as const satisfies Partial<Config>;

/** Checks every limit of a Config; throws a RangeError naming the bad field and what it must be. */
export function validateConfig(c: Config): void {
  const bad = (what: string): never => {
    throw new RangeError(`invalid raft config: ${what}`);
  };
  if (!Number.isSafeInteger(c.id) || c.id <= 0) bad(`id must be a positive integer (was ${c.id})`);
  if (!Number.isSafeInteger(c.heartbeatTick) || c.heartbeatTick <= 0) bad("heartbeatTick must be > 0");
  if (!Number.isSafeInteger(c.electionTick) || c.electionTick <= c.heartbeatTick) {
    bad("electionTick must be an integer > heartbeatTick");
  }
  if (!Number.isSafeInteger(c.applied) || c.applied < 0) bad("applied must be >= 0");
  if (!Number.isSafeInteger(c.maxInflightMsgs) || c.maxInflightMsgs <= 0) bad("maxInflightMsgs must be > 0");
  for (const k of [
    "maxSizePerMsgBytes",
    "maxCommittedSizePerReadyBytes",
    "maxUncommittedEntriesBytes",
    "maxProposalBytes",
  ] as const) {
    if (!(c[k] > 0)) bad(`${k} must be > 0`);
  }
  if (c.readOnlyOption !== "safe" && c.readOnlyOption !== "lease")
    bad('readOnlyOption must be "safe" or "lease"');
  if (c.readOnlyOption === "lease" && !c.checkQuorum) bad('readOnlyOption "lease" requires checkQuorum');
}
