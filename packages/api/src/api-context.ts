import type { Clock, LogRequest, LogStream } from "@shoal/manager";
import type { Store } from "@shoal/store";
import type { ControlInput, ControlOutput, ControlProcedureName } from "./control/control-procedures.ts";
import type { HistoryReader } from "./history/history-reader.ts";
import type { NodeBootstrap } from "./node-bootstrap.ts";

/**
 * What the node daemon supplies to the API on every manager. The API never decides where a write
 * runs: it names a control procedure and the actor, and the node runs it.
 */
export interface ApiContext {
  /**
   * Runs a control procedure (`CONTROL_PROCEDURES`) on the leader: directly when this manager
   * leads (`createLocalControl(store, clock)` does exactly that), otherwise by forwarding it with
   * its input and actor. The actor must end up in the committed transaction (store `{ actor }`),
   * which is where the audit log reads it from. Rejects with the manager's ControlError (or
   * ApiError "unavailable" when no leader can be reached).
   */
  control<N extends ControlProcedureName>(
    procedure: N,
    input: ControlInput<N>,
    actor: string,
  ): Promise<ControlOutput<N>>;
  /** This manager's replica: reads that allow staleness (lists, inspects) and credential checks. */
  readonly store: Store;
  /** This manager's history database (audit log, events, stack revisions). */
  readonly history: HistoryReader;
  /** Session expiry, token expiry and login rate limits. */
  readonly clock: Clock;
  /**
   * The node this API runs in, for `swarm.status`, `swarm.init` and `swarm.join` (which work
   * before any swarm exists). Absent in tests and wherever the API is not served by a node.
   */
  readonly node?: NodeBootstrap;
  /**
   * A log subscription at the leader's broker (`services.logs`, `tasks.logs`, `stacks.logs`):
   * the leader's own, or forwarded by a follower. Failures reject with ApiError. Absent where no
   * broker is reachable (those procedures then answer "unavailable").
   */
  readonly logs?: (request: LogRequest, signal: AbortSignal) => LogStream;
}
