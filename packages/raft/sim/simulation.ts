/**
 * One seed, start to finish: builds the cluster and its clients, runs the step loop with the
 * nemesis active, then a calm phase (network healed, crashed nodes restarted) so pending client
 * operations settle, and finally checks the history for linearizability. Raft's invariants are
 * checked at every step; the first violation ends the seed.
 *
 * Everything random comes from the seed's Prng, and events are processed in (time, order), so
 * a seed replays exactly.
 */
import { type ConfState, type Message, MessageType, type NodeId, Role } from "../src/index.ts";
import type { ClientReply, ClientRequest } from "./client-protocol.ts";
import { EventQueue } from "./event-queue.ts";
import { Invariants, InvariantViolation } from "./invariants.ts";
import type { HistoryOp } from "./kv-history.ts";
import { actAtRandom, type Cluster } from "./nemesis.ts";
import { Prng } from "./prng.ts";
import type { SeedConfig, SimOptions } from "./seed-config.ts";
import { SimClient } from "./sim-client.ts";
import { CALM_NETWORK, SimNetwork } from "./sim-network.ts";
import { type NodeEnv, SimNode } from "./sim-node.ts";
import { Trace } from "./trace.ts";

type AgendaEvent =
  | { readonly kind: "request"; readonly to: NodeId; readonly req: ClientRequest }
  | { readonly kind: "reply"; readonly reply: ClientReply }
  | { readonly kind: "restart"; readonly id: NodeId; readonly incarnation: number }
  | { readonly kind: "heal" }
  | {
      readonly kind: "report";
      readonly from: NodeId;
      readonly to: NodeId;
      readonly snapshot: boolean;
      readonly ok: boolean;
    }
  | { readonly kind: "stop"; readonly id: NodeId };

const AGENDA_EVENTS_MAX = 100_000;
const NETWORK_INFLIGHT_MAX = 50_000;

export interface RunOutcome {
  /** Set when a Raft invariant broke or the core threw. */
  readonly failure: string | undefined;
  readonly history: readonly HistoryOp[];
  readonly trace: Trace;
  readonly stepsRun: number;
}

export class Simulation implements Cluster {
  readonly rng: Prng;
  readonly network: SimNetwork;
  readonly nodes = new Map<NodeId, SimNode>();
  conf: ConfState;
  extraNodesLeft: number;
  readonly trace: Trace;
  private readonly invariants = new Invariants();
  private readonly agenda = new EventQueue<AgendaEvent>(AGENDA_EVENTS_MAX);
  private readonly clients: SimClient[] = [];
  private readonly history: HistoryOp[] = [];
  private readonly removed = new Set<NodeId>();
  /** Every node that was ever in a configuration. */
  private readonly everMembers = new Set<NodeId>();
  private readonly phase = new Map<NodeId, number>();
  private confIndex = 0;
  private historyClock = 0;
  private now = 0;
  private nextId: NodeId;
  private readonly nodeEnv: NodeEnv;

  constructor(
    private readonly config: SeedConfig,
    options: SimOptions,
  ) {
    this.rng = new Prng(config.seed);
    this.network = new SimNetwork(this.rng.fork(), NETWORK_INFLIGHT_MAX);
    this.trace = new Trace(options.traceLinesMax);
    const initial = Array.from({ length: config.nodes }, (_, i) => i + 1);
    this.nextId = config.nodes + 1;
    this.extraNodesLeft = config.extraNodesMax;
    this.conf = { voters: initial, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
    for (const id of initial) this.everMembers.add(id);
    this.nodeEnv = {
      rng: this.rng,
      invariants: this.invariants,
      unsafeStaleReads: options.unsafeStaleReads,
      tuning: {
        checkQuorum: config.checkQuorum,
        preVote: config.preVote,
        maxSizePerMsgBytes: config.maxSizePerMsgBytes,
        maxInflightMsgs: config.maxInflightMsgs,
      },
      now: () => this.now,
      log: (text) => this.log(text),
      send: (m) => this.sendRaft(m),
      reply: (r) => this.agenda.schedule(this.now + this.rng.between(1, 5), { kind: "reply", reply: r }),
      onConfState: (id, index, cs) => this.onConfState(id, index, cs),
    };
    for (const id of initial) this.bootNode(id, initial);
    const keys = Array.from({ length: config.keys }, (_, i) => `k${i + 1}`);
    const settings = { keys, timeoutSteps: 150, attemptsMax: 8, thinkStepsMax: 20 };
    const clientEnv = {
      rng: this.rng,
      tick: () => ++this.historyClock,
      send: (to: NodeId, req: ClientRequest) =>
        this.agenda.schedule(this.now + this.rng.between(1, 5), { kind: "request", to, req }),
      servers: () => [...this.nodes.keys()].filter((id) => !this.removed.has(id)),
      log: (text: string) => this.log(text),
    };
    for (let c = 1; c <= config.clients; c++)
      this.clients.push(new SimClient(c, clientEnv, settings, this.history));
  }

  log(text: string): void {
    this.trace.log(this.now, text);
  }

  run(): RunOutcome {
    const { steps } = this.config;
    const faultsEnd = Math.floor(steps * 0.7);
    const clientsEnd = Math.floor(steps * 0.8);
    let failure: string | undefined;
    let now = 0;
    try {
      for (; now < steps; now++) {
        this.now = now;
        if (now < faultsEnd && this.rng.intn(this.config.faultEverySteps) === 0) actAtRandom(this);
        if (now === faultsEnd) this.calm();
        this.step(now < clientsEnd);
        if (now > clientsEnd && this.clients.every((c) => !c.busy)) break;
      }
    } catch (e) {
      failure =
        e instanceof InvariantViolation
          ? e.message
          : `core threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
      this.log(`FAILURE ${failure.split("\n")[0]}`);
    }
    this.trace.mix(this.network.counters.delivered);
    return { failure, history: this.history, trace: this.trace, stepsRun: now };
  }

  private step(clientsMayStart: boolean): void {
    const now = this.now;
    this.network.deliverDue(
      now,
      (m) => this.deliver(m),
      (m) => this.reportLater(m, false),
    );
    for (let e = this.agenda.popDue(now); e !== undefined; e = this.agenda.popDue(now)) this.handleEvent(e);
    for (const node of this.nodes.values()) {
      if (node.alive && (now + this.phase.get(node.id)!) % this.config.tickSteps === 0) node.tick();
    }
    for (const c of this.clients) c.onStep(now, clientsMayStart);
    for (const node of this.nodes.values()) node.handleReadies();
  }

  private handleEvent(e: AgendaEvent): void {
    switch (e.kind) {
      case "request": {
        const node = this.nodes.get(e.to);
        if (node?.alive) node.handleRequest(e.req);
        return;
      }
      case "reply":
        this.clients[e.reply.client - 1]!.onReply(this.now, e.reply);
        return;
      case "restart": {
        const node = this.nodes.get(e.id)!;
        if (node.alive || node.incarnation !== e.incarnation || this.removed.has(e.id)) return;
        this.log(`n${e.id} restarts`);
        node.restart();
        return;
      }
      case "heal":
        this.network.heal();
        this.log("network heals");
        return;
      case "report": {
        const node = this.nodes.get(e.from);
        if (!node?.alive) return;
        if (e.snapshot) node.reportSnapshot(e.to, e.ok);
        else node.reportUnreachable(e.to);
        return;
      }
      case "stop": {
        const node = this.nodes.get(e.id)!;
        if (node.alive) node.crash(false);
        this.log(`n${e.id} stops (removed)`);
        return;
      }
    }
  }

  private sendRaft(m: Message): void {
    if (m.to === m.from) throw new InvariantViolation(`node ${m.from} sent itself ${MessageType[m.type]}`);
    const dropped = this.network.send(m, this.now);
    if (dropped !== undefined) this.reportLater(m, dropped === "partition");
  }

  /** Tells a sender what became of a message, as a transport would: snapshots always, else sometimes. */
  private reportLater(m: Message, unreachable: boolean): void {
    if (m.type === MessageType.Snap) {
      this.agenda.schedule(this.now + 1, {
        kind: "report",
        from: m.from,
        to: m.to,
        snapshot: true,
        ok: false,
      });
    } else if (unreachable && this.rng.chance(0.3)) {
      this.agenda.schedule(this.now + 1, {
        kind: "report",
        from: m.from,
        to: m.to,
        snapshot: false,
        ok: false,
      });
    }
  }

  private deliver(m: Message): void {
    const node = this.nodes.get(m.to);
    if (node === undefined || !node.alive) {
      this.reportLater(m, true);
      return;
    }
    node.step(m);
    if (m.type === MessageType.Snap) {
      this.agenda.schedule(this.now + 1, {
        kind: "report",
        from: m.from,
        to: m.to,
        snapshot: true,
        ok: true,
      });
    }
  }

  private bootNode(id: NodeId, peers: readonly NodeId[]): SimNode {
    const node = new SimNode(id, this.nodeEnv);
    this.nodes.set(id, node);
    this.phase.set(id, this.rng.intn(this.config.tickSteps));
    node.boot(peers);
    return node;
  }

  private onConfState(id: NodeId, index: number, cs: ConfState): void {
    if (index <= this.confIndex) return;
    this.confIndex = index;
    this.conf = cs;
    const joint = cs.votersOutgoing.length > 0 ? ` outgoing [${cs.votersOutgoing.join(",")}]` : "";
    this.log(
      `conf at ${index} (n${id}): voters [${cs.voters.join(",")}] learners [${cs.learners.join(",")}]${joint}`,
    );
    const members = new Set([...cs.voters, ...cs.learners, ...cs.votersOutgoing]);
    for (const m of members) this.everMembers.add(m);
    for (const nid of this.nodes.keys()) {
      if (!members.has(nid) && this.everMembers.has(nid) && !this.removed.has(nid)) {
        this.removed.add(nid);
        this.agenda.schedule(this.now + this.rng.between(20, 300), { kind: "stop", id: nid });
      }
    }
  }

  // Cluster, for the nemesis.

  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.nodes.values()) {
      if (n.alive && n.role === Role.Leader && (best === undefined || n.term > best.term)) best = n;
    }
    return best;
  }

  crash(id: NodeId, loseUnsynced: boolean, downSteps: number): void {
    const node = this.nodes.get(id)!;
    const lost = node.crash(loseUnsynced);
    this.log(
      `nemesis: crash n${id}${loseUnsynced ? ` losing ${lost} unsynced writes` : ""}, down ${downSteps} steps`,
    );
    this.agenda.schedule(this.now + downSteps, { kind: "restart", id, incarnation: node.incarnation });
  }

  healAfter(steps: number): void {
    this.agenda.schedule(this.now + steps, { kind: "heal" });
  }

  addNode(): NodeId {
    const members = new Set([...this.conf.voters, ...this.conf.learners]);
    for (const [id, n] of this.nodes) {
      if (n.alive && !members.has(id) && !this.everMembers.has(id) && !this.removed.has(id)) return id;
    }
    const id = this.nextId++;
    this.extraNodesLeft--;
    this.bootNode(id, []);
    this.log(`n${id} boots empty, to join`);
    return id;
  }

  /** The end of the faults: heal the network, calm it, restart every crashed member. */
  private calm(): void {
    this.network.heal();
    this.network.faults = { ...CALM_NETWORK };
    this.log("calm: network healed, crashed nodes restart");
    for (const [id, n] of this.nodes) {
      if (!n.alive && !this.removed.has(id)) n.restart();
    }
  }
}
