/**
 * The dispatcher: the leader's side of every agent's session. It registers nodes (READY, with
 * their description and address), keeps their heartbeat deadlines in memory and marks nodes DOWN
 * when they pass, streams each node's assignments (a complete set, then numbered changes), and
 * writes the task status agents report. Node and task writes from all sessions are gathered into
 * a few store transactions.
 *
 * Leader change: a new dispatcher starts with no deadlines and gives every node that is not DOWN
 * one full grace period from its own start. Nothing is written for them unless they stay silent.
 */
import type {
  AssignmentsMessage,
  AssignmentsRequest,
  DispatcherHandlers,
  EndpointsMessage,
  EndpointsRequest,
  HeartbeatRequest,
  HeartbeatResponse,
  NodeCallContext,
  PublishLogsRequest,
  SessionMessage,
  SessionRequest,
  SubscribeLogsMessage,
  SubscribeLogsRequest,
  UpdateTaskStatusRequest,
} from "@shoal/rpc";
import { RpcError } from "@shoal/rpc";
import { type ChangeBatch, type Cluster, type Store, StoreError } from "@shoal/store";
import { nodeTrustBundle } from "../ca-server/root-rotation.ts";
import { LogBroker } from "../logbroker/log-broker.ts";
import type { LogBrokerLimits } from "../logbroker/log-broker-limits.ts";
import type { Clock } from "../loop/clock.ts";
import { chunkChanges } from "./assignment-changes.ts";
import { AssignmentFanout } from "./assignment-fanout.ts";
import { BatchedWriter } from "./batched-writer.ts";
import {
  type DispatcherLimits,
  graceMs,
  type HeartbeatSettings,
  heartbeatSettings,
  jitteredPeriodMs,
  resolveDispatcherLimits,
} from "./dispatcher-settings.ts";
import { EndpointTable } from "./endpoint-table.ts";
import { HeartbeatDeadlines } from "./heartbeat-deadlines.ts";
import { type NodeSession, NodeSessions } from "./node-sessions.ts";
import { mergeNodePatch, type NodePatch, writeNodePatch } from "./node-status-writes.ts";
import { onManagerClock, parseStatusReports } from "./status-reports.ts";
import { mergeReport, type ReportedStatus, refuseReport, writeReport } from "./task-status-writes.ts";
import { hostOfPeer, type ManagerAddress, managerList, nodeDescriptionFromWire } from "./wire-node.ts";

export interface DispatcherOptions {
  readonly clock: Clock;
  /** This manager (the leader) as agents should dial it; listed first in every manager list. */
  readonly self?: ManagerAddress;
  readonly limits?: Partial<DispatcherLimits>;
  readonly logLimits?: Partial<LogBrokerLimits>;
  /** A number in [0, 1) for heartbeat jitter (seed it in tests). */
  readonly random?: () => number;
  /** Problems the dispatcher recovered from (a refused write, a foreign status report). */
  readonly onError?: (error: unknown, what: string) => void;
}

const ACTOR = "dispatcher";

export class Dispatcher implements DispatcherHandlers {
  readonly limits: DispatcherLimits;
  /** The term's log broker: agents serve its subscriptions over this dispatcher's sessions. */
  readonly logs: LogBroker;
  private readonly deadlines = new HeartbeatDeadlines();
  private readonly sessions = new NodeSessions();
  private readonly fanout: AssignmentFanout;
  private readonly endpointTable: EndpointTable;
  private readonly nodeWrites: BatchedWriter<NodePatch>;
  private readonly taskWrites: BatchedWriter<ReportedStatus>;
  private readonly stopper = new AbortController();
  private loops: Promise<unknown> = Promise.resolve();
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: DispatcherOptions,
  ) {
    this.limits = resolveDispatcherLimits(options.limits);
    this.logs = new LogBroker(store, {
      clock: options.clock,
      newId: () => store.newId(),
      ...(options.logLimits ? { limits: options.logLimits } : {}),
    });
    const onError = (what: string) => (err: unknown) => options.onError?.(err, what);
    this.fanout = new AssignmentFanout(store, this.limits.assignmentQueueMax, onError("assignments watch"));
    this.endpointTable = new EndpointTable(store, onError("endpoints watch"));
    const writer = { store, clock: options.clock, actor: ACTOR, gatherMs: this.limits.writeGatherMs };
    const bounds = { retryMs: this.limits.writeRetryMs, pendingMax: this.limits.writesPendingMax };
    this.nodeWrites = new BatchedWriter<NodePatch>({
      ...writer,
      ...bounds,
      name: "node status",
      write: writeNodePatch,
      onError: onError("node status write"),
    });
    this.taskWrites = new BatchedWriter<ReportedStatus>({
      ...writer,
      ...bounds,
      name: "task status",
      write: writeReport,
      onError: onError("task status write"),
    });
  }

  /** Store transactions the node and task writers committed (tests, metrics). */
  get transactionCount(): { nodes: number; tasks: number } {
    return { nodes: this.nodeWrites.transactions, tasks: this.taskWrites.transactions };
  }

  /** Nodes with an open session. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  start(): void {
    if (this.started) throw new Error("dispatcher: already started; make a new instance per leadership term");
    this.started = true;
    const signal = this.stopper.signal;
    this.nodeWrites.start();
    this.taskWrites.start();
    this.loops = Promise.all([
      this.fanout.run(signal),
      this.endpointTable.run(signal),
      this.followNodes(signal),
      this.sweepDeadlines(signal),
    ]);
  }

  /** Ends every session (agents reconnect to the next leader) and stops. Idempotent; waits. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const reason = new RpcError(
        "UNAVAILABLE",
        "dispatcher stopped: this manager no longer leads; dial another manager",
      );
      this.stopper.abort(reason);
      this.logs.stop();
      this.sessions.endAll(reason);
      this.fanout.closeAll(reason);
      await this.loops;
      await Promise.all([this.nodeWrites.stop(), this.taskWrites.stop()]);
    })();
    return this.stopping;
  }

  /**
   * Brings a node's heartbeat deadline forward to `withinMs` from now, unless it has a session
   * here: for a node the caller has reason to think is gone (the manager that led before this
   * one). A live node registers well within a heartbeat period, so it is not marked DOWN; a dead
   * one is, without waiting out the full grace a new dispatcher gives every node. Returns false
   * while the dispatcher does not track the node yet (call again).
   */
  suspect(nodeId: string, withinMs: number): boolean {
    if (this.sessions.current(nodeId)) return true;
    return this.deadlines.shorten(nodeId, this.options.clock.nowMs() + withinMs);
  }

  async session(
    request: SessionRequest,
    context: NodeCallContext,
    send: (m: SessionMessage) => Promise<void>,
  ) {
    this.assertRunning();
    const nodeId = context.peer.nodeId;
    if (!this.store.view((v) => v.nodes.get(nodeId))) throw removedNode(nodeId);
    const session = this.sessions.open(nodeId, this.store.newId());
    this.deadlines.extend(nodeId, this.options.clock.nowMs() + graceMs(this.settings()));
    const patch: NodePatch = { state: "ready", message: "", addr: hostOfPeer(context.remote) };
    await this.nodeWrites.enqueue(nodeId, (p) =>
      mergeNodePatch(
        p,
        request.description ? { ...patch, description: nodeDescriptionFromWire(request.description) } : patch,
      ),
    );
    const signal = AbortSignal.any([context.signal, session.signal]);
    const sent = { node: "", managers: "", root: "" };
    try {
      while (!signal.aborted) {
        const message = this.sessionMessage(session, sent);
        if (message) await send(message);
        await session.waitChanged(signal);
      }
    } finally {
      this.sessions.release(session);
    }
    if (session.endReason && !context.signal.aborted) throw session.endReason;
  }

  async heartbeat(request: HeartbeatRequest, context: NodeCallContext): Promise<HeartbeatResponse> {
    this.assertRunning();
    this.requireSession(context.peer.nodeId, request.session_id);
    const settings = this.settings();
    this.deadlines.extend(context.peer.nodeId, this.options.clock.nowMs() + graceMs(settings));
    return { period_ms: jitteredPeriodMs(settings.periodMs, this.options.random ?? Math.random) };
  }

  async assignments(
    request: AssignmentsRequest,
    context: NodeCallContext,
    send: (m: AssignmentsMessage) => Promise<void>,
  ): Promise<void> {
    this.assertRunning();
    const session = this.requireSession(context.peer.nodeId, request.session_id);
    const signal = AbortSignal.any([context.signal, session.signal]);
    const { subscription, complete } = this.fanout.subscribe(session.nodeId);
    let sequence = 0;
    const sendChanges = async (type: "COMPLETE" | "INCREMENTAL", changes: AssignmentsMessage["changes"]) => {
      await send({ type, applies_to: sequence, results_in: sequence + 1, changes });
      sequence++;
    };
    const { assignmentChangesMax: max, assignmentCharsMax: chars } = this.limits;
    try {
      const [first = [], ...rest] = chunkChanges(complete, max, chars);
      await sendChanges("COMPLETE", first);
      for (const chunk of rest) await sendChanges("INCREMENTAL", chunk);
      while (!signal.aborted) {
        const changes = await subscription.next(signal);
        for (const chunk of chunkChanges(changes, max, chars)) await sendChanges("INCREMENTAL", chunk);
      }
    } finally {
      this.fanout.unsubscribe(subscription);
    }
    if (session.endReason && !context.signal.aborted) throw session.endReason;
  }

  async updateTaskStatus(request: UpdateTaskStatusRequest, context: NodeCallContext): Promise<void> {
    this.assertRunning();
    const nodeId = context.peer.nodeId;
    this.requireSession(nodeId, request.session_id);
    const reports = onManagerClock(
      parseStatusReports(request.updates),
      request.sent_at_ms,
      this.options.clock.nowMs(),
    );
    const accepted = this.store.view((v) =>
      reports.filter(({ taskId, status }) => {
        const why = refuseReport(v.tasks.get(taskId), { nodeId, status });
        if (why === "not-owner") {
          this.options.onError?.(
            new RpcError(
              "PERMISSION_DENIED",
              `node ${nodeId} reported a status for task ${taskId}, which is not assigned to it`,
            ),
            "task status",
          );
        }
        return why === undefined;
      }),
    );
    await Promise.all(
      accepted.map(({ taskId, status }) =>
        this.taskWrites.enqueue(taskId, (p) => mergeReport(p, { nodeId, status })),
      ),
    );
  }

  /** The routing mesh's endpoint table, for as long as the node's session lasts. */
  async endpoints(
    request: EndpointsRequest,
    context: NodeCallContext,
    send: (m: EndpointsMessage) => Promise<void>,
  ): Promise<void> {
    this.assertRunning();
    const session = this.requireSession(context.peer.nodeId, request.session_id);
    await this.endpointTable.serve(AbortSignal.any([context.signal, session.signal]), send);
  }

  /** The node's log subscriptions to serve, for as long as its session lasts. */
  async subscribeLogs(
    request: SubscribeLogsRequest,
    context: NodeCallContext,
    send: (m: SubscribeLogsMessage) => Promise<void>,
  ): Promise<void> {
    this.assertRunning();
    const session = this.requireSession(context.peer.nodeId, request.session_id);
    await this.logs.serveNode(session.nodeId, AbortSignal.any([context.signal, session.signal]), send);
  }

  /** One subscription's lines from the node (it may publish only its own tasks). */
  async publishLogs(messages: AsyncIterable<PublishLogsRequest>, context: NodeCallContext): Promise<void> {
    this.assertRunning();
    await this.logs.publish(context.peer.nodeId, messages);
  }

  private settings(): HeartbeatSettings {
    return heartbeatSettings(this.store.view((v) => v.clusters.all()[0]));
  }

  private assertRunning(): void {
    if (!this.started || this.stopper.signal.aborted) {
      throw new RpcError(
        "UNAVAILABLE",
        "the dispatcher is not running on this manager; dial another manager",
      );
    }
  }

  private requireSession(nodeId: string, sessionId: string): NodeSession {
    const session = this.sessions.current(nodeId, sessionId);
    if (!session) {
      throw new RpcError(
        "NOT_FOUND",
        `session ${sessionId} is not open for node ${nodeId}; open a new session`,
      );
    }
    return session;
  }

  /** The next session message, with only what changed since `sent` (undefined: nothing did). */
  private sessionMessage(session: NodeSession, sent: { node: string; managers: string; root: string }) {
    const { node, managers, root } = this.store.view((v) => ({
      node: JSON.stringify(v.nodes.get(session.nodeId) ?? null),
      managers: managerList(v.nodes.byRole("manager"), this.options.self),
      // During a root rotation: old + new roots (nodes renew at once when it changes).
      root: ((cluster?: Cluster) => (cluster ? nodeTrustBundle(cluster) : ""))(v.clusters.all()[0]),
    }));
    const managersKey = JSON.stringify(managers);
    const first = sent.node === "";
    if (!first && node === sent.node && managersKey === sent.managers && root === sent.root) return undefined;
    const message: SessionMessage = {
      session_id: session.id,
      node_json: node !== sent.node ? node : "",
      managers: managersKey !== sent.managers ? managers : [],
      root_ca_pem: root !== sent.root ? root : "",
    };
    Object.assign(sent, { node, managers: managersKey, root });
    return message;
  }

  /** Node and cluster changes: deadlines for new nodes, removed nodes' sessions ended, updates pushed. */
  private async followNodes(signal: AbortSignal): Promise<void> {
    let first = true;
    while (!signal.aborted) {
      try {
        const { snapshot, changes } = this.store.viewAndWatch(signal, ["node", "cluster"]);
        const deadlineMs =
          this.options.clock.nowMs() + graceMs(heartbeatSettings(snapshot.clusters.all()[0]));
        for (const node of snapshot.nodes.all()) {
          if (node.status.state !== "down" && (first || !this.deadlines.has(node.id)))
            this.deadlines.extend(node.id, deadlineMs);
        }
        for (const session of this.sessions.all())
          if (!snapshot.nodes.get(session.nodeId)) this.removeNode(session.nodeId);
        first = false;
        for await (const batch of changes) this.handleNodeBatch(batch);
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof StoreError && err.code === "resync-required"))
          this.options.onError?.(err, "node watch");
        await this.options.clock.sleep(this.limits.writeRetryMs, signal);
      }
    }
  }

  private handleNodeBatch(batch: ChangeBatch): void {
    let everyone = false;
    for (const change of batch.changes) {
      if (change.kind === "cluster") {
        everyone ||= !change.old || nodeTrustBundle(change.old) !== nodeTrustBundle(change.object);
      } else if (change.kind === "node") {
        const node = change.object;
        if (change.action === "delete") {
          this.removeNode(node.id);
          everyone ||= node.role === "manager";
          continue;
        }
        if (change.action === "create" && node.status.state !== "down" && !this.deadlines.has(node.id)) {
          this.deadlines.extend(node.id, this.options.clock.nowMs() + graceMs(this.settings()));
        }
        this.sessions.current(node.id)?.markChanged();
        everyone ||= node.role === "manager" || change.old?.role === "manager";
      }
    }
    if (everyone) for (const session of this.sessions.all()) session.markChanged();
  }

  private removeNode(nodeId: string): void {
    this.deadlines.forget(nodeId);
    const reason = removedNode(nodeId);
    this.sessions.end(nodeId, reason);
    this.fanout.closeNode(nodeId, reason);
  }

  /** Marks nodes DOWN once their deadline passes (checked a few times per period). */
  private async sweepDeadlines(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const { periodMs } = this.settings();
      const sweepMs = Math.max(
        1,
        Math.min(periodMs * this.limits.deadlineSweepFraction, this.limits.deadlineSweepMsMax),
      );
      await this.options.clock.sleep(sweepMs, signal);
      if (signal.aborted) return;
      for (const nodeId of this.deadlines.takeExpired(this.options.clock.nowMs())) this.markDown(nodeId);
    }
  }

  private markDown(nodeId: string): void {
    const reason = new RpcError("UNAVAILABLE", `node ${nodeId} missed its heartbeats; open a new session`);
    this.sessions.end(nodeId, reason);
    this.fanout.closeNode(nodeId, reason);
    this.nodeWrites.post(nodeId, (p) => mergeNodePatch(p, { state: "down", message: "heartbeat failure" }));
  }
}

function removedNode(nodeId: string): RpcError {
  return new RpcError(
    "PERMISSION_DENIED",
    `node ${nodeId} is not part of the swarm (it was removed); join again with a join token`,
  );
}
