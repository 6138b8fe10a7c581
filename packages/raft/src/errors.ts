/** Expected failures carry a code so callers can tell them apart without parsing messages. */
export type RaftErrorCode =
  | "compacted" // the requested index is older than the first index kept
  | "unavailable" // the requested entries are not (yet) in storage
  | "snapshot-temporarily-unavailable"
  | "proposal-dropped" // no leader known, or leadership is being transferred
  | "proposal-too-large" // over maxProposalBytes
  | "conf-change-pending" // a membership change is still in flight
  | "step-local-message" // a peer sent a message type that is only local
  | "decode" // a peer's bytes are malformed
  | "message-too-large" // a peer's frame is over the limit
  | "wal-corrupt" // a WAL record failed its checksum away from the tail
  | "wal-closed"
  | "wal-locked" // an encrypted record or snapshot, and no (or the wrong) key to open it
  | "snapshot-out-of-date" // a snapshot older than the one already stored
  | "conf-change-invalid"; // a membership change that cannot apply to the current configuration

export class RaftError extends Error {
  constructor(
    readonly code: RaftErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "RaftError";
  }
}

/** Always-on assertion for what must never happen (a programmer error, not an operating one). */
export function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`raft invariant violated: ${what}`);
}
