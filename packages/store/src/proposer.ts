/**
 * How the store gets a transaction into the replicated log. The Raft driver implements it: it
 * proposes `data`, and once the entry is committed and applied (the driver calls
 * `store.applyCommitted(index, data)` for every committed entry, in order) it resolves with the
 * entry's index and what applyCommitted returned for it.
 */
export interface Proposer {
  propose(data: Uint8Array): Promise<{ index: number; result: unknown }>;
}
