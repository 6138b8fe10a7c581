/**
 * Runs control procedures on the leader: locally when this manager leads, otherwise forwarded
 * over rpc's control forwarding to the leader's address. Waits out an election (up to
 * `CONTROL_LEADER_WAIT_MS`) and retries a forward that reached a manager that no longer leads.
 * The forward handler on the leader runs what followers send. The actor (`user:alice`,
 * `token:alice/ci`) travels with a forwarded call and is stamped on every transaction the
 * procedure commits (`<actor> <procedure>`), so the audit log names the same actor whichever
 * manager took the call. A follower answers once its own replica shows the write
 * (forwarded-result.ts).
 */
import { formatActor, storeWithActor } from "@shoal/api";
import type { HistoryPage, HistoryRangeQuery } from "@shoal/api/history";
import { ControlError, type ControlErrorCode, systemClock } from "@shoal/manager";
import { ControlForwardingClient, type ForwardHandler, RpcError, type TlsMaterialSource } from "@shoal/rpc";
import { isInternalProcedure, type LeaderContext, PROCEDURES } from "./control-procedures.ts";
import { decodeForwardedResult, encodeForwardedResult, waitForApplied } from "./forwarded-result.ts";
import type { ManagerRole } from "./manager-role.ts";
import { NodeError } from "./node-error.ts";

/** Named limit: how long a call waits for a leader (an election, a forward to a new leader). */
export const CONTROL_LEADER_WAIT_MS = 8_000;
const RETRY_PAUSE_MS = 100;
const FORWARD_DEADLINE_MS = 10_000;
/** Longest actor string accepted from a forwarding manager. */
export const ACTOR_CHARS_MAX = 300;
const CONTROL_CODES = new Set<string>([
  "invalid-argument",
  "not-found",
  "already-exists",
  "failed-precondition",
  "conflict",
]);

export interface ControlRouterDeps {
  readonly manager: () => ManagerRole | undefined;
  readonly tls: () => TlsMaterialSource | undefined;
  readonly clusterId: () => string;
  /** This node's history export, while it keeps a history database. */
  readonly exportHistory: () => ((range: HistoryRangeQuery) => Promise<HistoryPage>) | undefined;
}

export class ControlRouter {
  private readonly clients = new Map<string, ControlForwardingClient>();

  constructor(private readonly deps: ControlRouterDeps) {}

  /** Runs `procedure` on the leader and returns its (JSON-safe) result. */
  async call(procedure: string, input: unknown, actor: string | undefined): Promise<unknown> {
    if (!Object.hasOwn(PROCEDURES, procedure)) {
      throw new NodeError("invalid-argument", `unknown procedure "${procedure}"`);
    }
    const deadline = Date.now() + CONTROL_LEADER_WAIT_MS;
    for (;;) {
      const manager = this.deps.manager();
      if (!manager) {
        throw new NodeError(
          "not-a-manager",
          "this node is not a manager: run the command on a manager node (or promote this one)",
        );
      }
      const { isLeader, leaderId } = manager.state.leadership.current;
      try {
        if (isLeader) return await this.runLocal(manager, procedure, input, actor);
        const addr = leaderId !== 0 ? manager.peerAddress(leaderId) : undefined;
        if (addr) return await this.forward(manager, addr, procedure, input, actor);
      } catch (error) {
        if (!isRetryable(error) || Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) {
        throw new NodeError(
          "no-leader",
          "no manager leads the swarm right now (an election is under way, or too few managers are reachable for a quorum): try again",
        );
      }
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    }
  }

  /** The leader's side of forwarding. */
  readonly forwardHandler: ForwardHandler = async (request) => {
    const manager = this.deps.manager();
    if (!manager?.state.leadership.current.isLeader) {
      return { ok: false, code: "not-leader", message: "this manager is not the leader" };
    }
    try {
      const input = request.payload_json === "" ? undefined : JSON.parse(request.payload_json);
      const actor = parseForwardedActor(request.actor_json);
      const result = await this.runLocal(manager, request.procedure, input, actor);
      return { ok: true, json: encodeForwardedResult(result, manager.state.store.version) };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        ok: false,
        code: typeof code === "string" ? code : "internal",
        message: error instanceof Error ? error.message : String(error),
      };
    }
  };

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async runLocal(
    manager: ManagerRole,
    procedure: string,
    input: unknown,
    actor: string | undefined,
  ): Promise<unknown> {
    const fn = PROCEDURES[procedure];
    if (!fn) throw new NodeError("invalid-argument", `unknown procedure "${procedure}"`);
    const store = manager.state.store;
    const ctx: LeaderContext = {
      // Internal procedures name their own actor (`node:<id>`).
      store:
        actor === undefined || isInternalProcedure(procedure)
          ? store
          : storeWithActor(store, formatActor(actor, procedure)),
      clock: systemClock,
      state: manager.state,
      reachableVoters: () => manager.reachableVoters(),
    };
    const exportHistory = this.deps.exportHistory();
    if (exportHistory !== undefined) Object.assign(ctx, { exportHistory });
    return fn(ctx, input);
  }

  private async forward(
    manager: ManagerRole,
    addr: string,
    procedure: string,
    input: unknown,
    actor: string | undefined,
  ): Promise<unknown> {
    const tls = this.deps.tls();
    if (!tls) throw new NodeError("not-in-swarm", "this node has no certificate");
    let client = this.clients.get(addr);
    if (!client) {
      client = new ControlForwardingClient(addr, tls, { clusterId: this.deps.clusterId() });
      this.clients.set(addr, client);
    }
    const result = await client.forward(
      { procedure, payload_json: JSON.stringify(input ?? null), actor_json: JSON.stringify(actor ?? null) },
      { deadlineMs: FORWARD_DEADLINE_MS },
    );
    if (result.ok) {
      const { value, appliedIndex } = decodeForwardedResult(result.json);
      await waitForApplied(manager.state.store, appliedIndex);
      return value;
    }
    if (CONTROL_CODES.has(result.code))
      throw new ControlError(result.code as ControlErrorCode, result.message);
    throw new ForwardedError(result.code, result.message);
  }
}

/** An error the leader returned with a code of its own (not a control API code). */
export class ForwardedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ForwardedError";
  }
}

/** The actor a follower sent (JSON string, or null for none); anything else is refused. */
function parseForwardedActor(json: string): string | undefined {
  const actor: unknown = json === "" ? null : JSON.parse(json);
  if (actor === null) return undefined;
  if (typeof actor !== "string" || actor.length === 0 || actor.length > ACTOR_CHARS_MAX) {
    throw new NodeError(
      "invalid-argument",
      `the forwarded actor must be a string of 1 to ${ACTOR_CHARS_MAX} characters`,
    );
  }
  return actor;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ForwardedError) return error.code === "not-leader" || error.code === "leadership-lost";
  if (error instanceof RpcError) return error.code === "UNAVAILABLE" || error.code === "DEADLINE_EXCEEDED";
  const code = (error as { code?: unknown }).code;
  // The driver's "leadership-lost" leaves the outcome unknown: the procedures are idempotent
  // enough (version-checked writes) for a retry on the next leader.
  return (
    code === "leadership-lost" ||
    code === "proposal-dropped" ||
    code === "proposal-failed" ||
    code === "stopped"
  );
}
