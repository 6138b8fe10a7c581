/**
 * Raft timing of every manager. Swarm ticks once a second (elections take ~10 s); Shoal ticks
 * every 100 ms with the same tick counts, so a follower notices a dead leader after 1–2 s
 * (electionTick randomised in [10, 20) ticks) and failover completes in about a second or two.
 * The cluster object records the same values (`spec.raft`) so operators can read them.
 */
export const RAFT_TICK_MS = 100;
export const RAFT_ELECTION_TICK = 10;
export const RAFT_HEARTBEAT_TICK = 1;
/** Entries between Raft snapshots, and entries kept after one for slow followers. */
export const RAFT_SNAPSHOT_EVERY_ENTRIES = 10_000;
export const RAFT_COMPACTION_KEEP_ENTRIES = 500;
