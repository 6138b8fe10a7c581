/**
 * The agent's session with the dispatcher, over rpc's DispatcherClient: it registers the node,
 * heartbeats at the period the dispatcher returns, follows the manager list the session stream
 * sends (a session that ends is opened again on the same manager, which relays it to the leader
 * if it does not lead; when a manager cannot be reached it moves on round the list), serves the
 * agent's assignments (complete set, then numbered changes; a gap ends the stream and the agent
 * asks again, which resyncs) and its status reports, and renews the node certificate in time.
 */
import type { KeyFileEncryption, Rng } from "@shoal/ca";
import {
  type ClientStreamCall,
  DispatcherClient,
  type EndpointsMessage,
  type SubscribeLogsMessage,
  type TlsMaterialSource,
} from "@shoal/rpc";
import type { Node, NodeDescription } from "@shoal/store";
import { sleep } from "../abortable-sleep.ts";
import type { LogChannel, PublishLogsBatch } from "../logs/log-channel.ts";
import type {
  AssignmentMessage,
  AssignmentSource,
  StatusReporter,
  TaskStatusUpdate,
} from "../session-interface.ts";
import { decodeAssignmentsMessage } from "./assignment-decoding.ts";
import { CertificateRenewal } from "./certificate-renewal.ts";
import { ManagerPicker } from "./manager-picker.ts";
import { resolveSessionLimits, type SessionLimits } from "./session-limits.ts";
import { nodeDescriptionToWire } from "./wire-description.ts";

/** Status updates per UpdateTaskStatus call (rpc's TASK_STATUS_UPDATES_MAX). */
const STATUS_UPDATES_PER_CALL_MAX = 1_000;

export interface AgentSessionOptions {
  /** Managers ("host:port") to dial first; the dispatcher's list replaces them once connected. */
  readonly managers: readonly string[];
  /** The node's certificate, key and trust bundle (renewals reload it). */
  readonly tls: TlsMaterialSource;
  readonly clusterId?: string;
  /** What the node registers with (the Agent's describeNode); sent on every new session. */
  readonly describeNode: () => Promise<NodeDescription>;
  /** Where the node keeps its credentials: renewed ones are written there. */
  readonly certificateDir?: string;
  /** How a renewed key is stored in certificateDir (encrypted on an autolocked manager). */
  readonly keyFileEncryption?: () => KeyFileEncryption;
  readonly limits?: Partial<SessionLimits>;
  readonly rng?: Rng;
  readonly nowMs?: () => number;
  /** The node's own record, whenever the manager sends it (availability, labels, role). */
  readonly onNode?: (node: Node) => void;
  /** The manager addresses the dispatcher sent, heaviest (the leader) first, whenever they change. */
  readonly onManagers?: (addrs: readonly string[]) => void;
  /**
   * The roots the swarm's nodes should trust, whenever the dispatcher sends them (each new session,
   * and on change): two roots while a root CA rotation is in progress, then the new root alone.
   */
  readonly onRootCa?: (rootCaPem: string) => void;
  /** Failures the session recovered from (a dropped session, a failed renewal). */
  readonly onError?: (error: unknown) => void;
}

interface LiveSession {
  readonly client: DispatcherClient;
  readonly sessionId: string;
  readonly addr: string;
  readonly signal: AbortSignal;
}

export class AgentSession implements AssignmentSource, StatusReporter, LogChannel {
  readonly limits: SessionLimits;
  readonly picker: ManagerPicker;
  private readonly renewal: CertificateRenewal;
  private readonly stopper = new AbortController();
  private live: LiveSession | undefined;
  private endLive: ((reason: string) => void) | undefined;
  private readonly liveWaiters = new Set<() => void>();
  private done: Promise<unknown> = Promise.resolve();
  private started = false;
  private stopping: Promise<void> | undefined;
  private lastSessionId = "";
  /** Sessions opened so far (tests, logs). */
  sessionsOpened = 0;

  constructor(private readonly options: AgentSessionOptions) {
    this.limits = resolveSessionLimits(options.limits);
    this.picker = new ManagerPicker(options.managers);
    this.renewal = new CertificateRenewal({
      tls: options.tls,
      ...(options.clusterId ? { clusterId: options.clusterId } : {}),
      ...(options.certificateDir ? { certificateDir: options.certificateDir } : {}),
      ...(options.keyFileEncryption ? { keyFileEncryption: options.keyFileEncryption } : {}),
      rng: options.rng ?? { intn: (n) => Math.floor(Math.random() * n) },
      nowMs: options.nowMs ?? Date.now,
      retryDelayMs: this.limits.renewRetryDelayMs,
      managerAddr: () => this.live?.addr ?? this.picker.current(),
      renewed: () => this.reconnect("certificate renewed: reconnecting with the new certificate"),
      onError: (err) => this.options.onError?.(err),
    });
  }

  /** The open session's id (empty while none is open). */
  get sessionId(): string {
    return this.live?.sessionId ?? "";
  }

  /** Opens the session and keeps one open (and the certificate fresh) until stop(). */
  start(): void {
    if (this.started) throw new Error("the session was already started");
    this.started = true;
    const signal = this.stopper.signal;
    this.done = Promise.all([this.keepSession(signal), this.renewal.run(signal)]);
  }

  /** Ends the session (heartbeats stop: the manager marks the node down). Idempotent; waits. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopper.abort();
      this.endLive?.("stopped");
      this.wakeLiveWaiters();
      await this.done;
    })();
    return this.stopping;
  }

  /** Drops the current session; a new one is opened (with clients built afresh). */
  reconnect(reason: string): void {
    this.endLive?.(reason);
  }

  /** Renews the certificate now (for a role change), then reconnects. */
  renewCertificate(): Promise<void> {
    return this.renewal.renewNow();
  }

  async *assignments(signal: AbortSignal): AsyncGenerator<AssignmentMessage> {
    const live = await this.waitLive(signal);
    if (!live) return;
    const both = AbortSignal.any([signal, live.signal]);
    try {
      for await (const message of live.client.assignments(live.sessionId, { signal: both })) {
        yield decodeAssignmentsMessage(message);
      }
    } catch (err) {
      if (!both.aborted) throw err;
    }
  }

  async reportTaskStatuses(updates: readonly TaskStatusUpdate[], signal: AbortSignal): Promise<void> {
    const live = await this.waitLive(
      AbortSignal.any([signal, AbortSignal.timeout(this.limits.reportWaitMs)]),
    );
    if (!live) throw new Error("no session with a manager yet: the status batch will be sent again");
    for (let i = 0; i < updates.length; i += STATUS_UPDATES_PER_CALL_MAX) {
      const chunk = updates.slice(i, i + STATUS_UPDATES_PER_CALL_MAX);
      await live.client.updateTaskStatus(
        live.sessionId,
        chunk.map((u) => ({ task_id: u.taskId, status_json: JSON.stringify(u.status) })),
        // Statuses carry this clock's time; the manager needs "now" on it to know their age.
        { deadlineMs: this.limits.callDeadlineMs, sentAtMs: Date.now() },
      );
    }
  }

  async *logSubscriptions(signal: AbortSignal): AsyncGenerator<SubscribeLogsMessage> {
    const live = await this.waitLive(signal);
    if (!live) return;
    const both = AbortSignal.any([signal, live.signal]);
    try {
      yield* live.client.subscribeLogs(live.sessionId, { signal: both });
    } catch (err) {
      if (!both.aborted) throw err;
    }
  }

  /** The routing mesh's endpoint table for one session (COMPLETE first); ends with the session. */
  async *endpoints(signal: AbortSignal): AsyncGenerator<EndpointsMessage> {
    const live = await this.waitLive(signal);
    if (!live) return;
    const both = AbortSignal.any([signal, live.signal]);
    try {
      yield* live.client.endpoints(live.sessionId, { signal: both });
    } catch (err) {
      if (!both.aborted) throw err;
    }
  }

  async openLogPublisher(
    signal: AbortSignal,
  ): Promise<ClientStreamCall<PublishLogsBatch, unknown> | undefined> {
    const live = this.live;
    if (!live) return undefined;
    const call = live.client.publishLogs({ signal: AbortSignal.any([signal, live.signal]) });
    return {
      send: (message) => call.send({ ...message, session_id: live.sessionId }),
      finish: () => call.finish(),
      cancel: () => call.cancel(),
    };
  }

  /** The open session, waiting for one; undefined if `signal` aborts or the session stops first. */
  private async waitLive(signal: AbortSignal): Promise<LiveSession | undefined> {
    while (!this.live && !signal.aborted && !this.stopper.signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.liveWaiters.delete(wake);
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.liveWaiters.add(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
    return signal.aborted || this.stopper.signal.aborted ? undefined : this.live;
  }

  private wakeLiveWaiters(): void {
    for (const wake of [...this.liveWaiters]) wake();
  }

  private async keepSession(signal: AbortSignal): Promise<void> {
    let delayMs = this.limits.connectDelayMsMin;
    while (!signal.aborted) {
      const addr = this.picker.current();
      const opened = await this.runSession(addr, signal).catch((err: unknown) => {
        if (!signal.aborted) this.options.onError?.(err);
        return false;
      });
      if (signal.aborted) return;
      if (opened) {
        delayMs = this.limits.connectDelayMsMin;
      } else {
        this.picker.failed();
        await sleep(delayMs, signal);
        delayMs = Math.min(delayMs * 2, this.limits.connectDelayMsMax);
      }
    }
  }

  /** One session with one manager, until it fails or is dropped; true if it opened. */
  private async runSession(addr: string, stopSignal: AbortSignal): Promise<boolean> {
    const controller = new AbortController();
    const signal = AbortSignal.any([stopSignal, controller.signal]);
    const client = new DispatcherClient(addr, this.options.tls, {
      ...(this.options.clusterId ? { clusterId: this.options.clusterId } : {}),
    });
    let failure: Error | undefined;
    this.endLive = (reason) => {
      failure ??= new Error(reason);
      controller.abort();
    };
    try {
      const description = await this.options.describeNode().then(nodeDescriptionToWire, () => null);
      const stream = client.session({ description, sessionId: this.lastSessionId }, { signal });
      const openTimer = setTimeout(() => {
        this.endLive?.(
          `manager ${addr} did not open a session within ${this.limits.sessionOpenTimeoutMs} ms`,
        );
      }, this.limits.sessionOpenTimeoutMs);
      const first = await stream.next().finally(() => clearTimeout(openTimer));
      if (first.done) throw failure ?? new Error(`manager ${addr} ended the session before it opened`);
      const live: LiveSession = { client, sessionId: first.value.session_id, addr, signal };
      this.live = live;
      this.lastSessionId = live.sessionId;
      this.sessionsOpened++;
      this.handleSessionMessage(first.value);
      this.wakeLiveWaiters();
      const heartbeats = this.heartbeat(live).catch((err: unknown) => {
        if (!signal.aborted) this.endLive?.(`heartbeat to ${addr} failed: ${(err as Error).message}`);
      });
      try {
        for await (const message of stream) this.handleSessionMessage(message);
        if (!signal.aborted) failure ??= new Error(`manager ${addr} ended the session`);
      } catch (err) {
        if (!signal.aborted) failure ??= err as Error;
      }
      controller.abort();
      await heartbeats;
      if (failure && !stopSignal.aborted) this.options.onError?.(failure);
      return true;
    } finally {
      controller.abort();
      this.live = undefined;
      this.endLive = undefined;
      client.close();
    }
  }

  /** Heartbeats at the period the dispatcher returns, the first at once; throws on a failure. */
  private async heartbeat(live: LiveSession): Promise<void> {
    let periodMs = 0;
    while (!live.signal.aborted) {
      await sleep(periodMs, live.signal);
      if (live.signal.aborted) return;
      const deadlineMs = Math.max(this.limits.heartbeatDeadlineMsMin, periodMs);
      periodMs = (await live.client.heartbeat(live.sessionId, { deadlineMs })).period_ms;
    }
  }

  private handleSessionMessage(message: {
    node_json: string;
    managers: { addr: string; weight: number }[];
    root_ca_pem: string;
  }): void {
    if (message.root_ca_pem !== "") this.options.onRootCa?.(message.root_ca_pem);
    if (message.managers.length > 0) {
      const before = this.picker.addresses.join(",");
      this.picker.update(message.managers);
      const after = this.picker.addresses;
      if (after.join(",") !== before) this.options.onManagers?.(after);
    }
    if (message.node_json !== "" && message.node_json !== "null") {
      try {
        this.options.onNode?.(JSON.parse(message.node_json) as Node);
      } catch (err) {
        this.options.onError?.(err);
      }
    }
  }
}
