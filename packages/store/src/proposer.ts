/**
 * How the store gets a transaction into the replicated log. `@shoal/raft`'s RaftDriver satisfies
 * it as it is (`new RaftDriver<ApplyResult>({ stateMachine: store, ... })`): it proposes `data`,
 * calls the store's apply for every committed entry in log order on every manager, and resolves
 * the proposal, on the manager that made it, with what apply returned for that entry (an
 * ApplyResult, whose `version` is the entry's index).
 */
export interface Proposer {
  propose(data: Uint8Array): Promise<unknown>;
}
