/**
 * One manager's replicated cluster state: a Raft node (RawNode run by a RaftDriver) whose state
 * machine is the Store. Committed entries are applied to the store in log order
 * (store.apply = applyCommitted at the entry's index); a store write resolves with the store's
 * apply result; Raft snapshots carry store.snapshot(). Leadership is
 * observable, and `leaderBarrier()` tells a new leader when its store holds everything committed.
 */
import {
  type ConfChange,
  type Config,
  type ConfState,
  DEFAULT_CONFIG,
  type DriverOptions,
  type Logger,
  MemoryStorage,
  type NodeId,
  RaftDriver,
  RawNode,
  type Rng,
  type Status,
} from "@shoal/raft";
import type { Transport } from "@shoal/raft/transport";
import { openWal, type RecordCipher, type Wal } from "@shoal/raft/wal";
import { type ApplyResult, DEFAULT_PROPOSAL_BYTES_MAX, Store, type StoreOptions } from "@shoal/store";
import { Leadership } from "./leadership.ts";
import type { DurableState, MemoryDurableLog } from "./memory-durable-log.ts";
import { ObservedRaftNode } from "./observed-raft-node.ts";

/** Where the Raft log lives: the on-disk WAL in `walDir` (encrypted with `cipher` when given), or a simulated disk in memory. */
export type DurableLogChoice =
  | { readonly walDir: string; readonly cipher?: RecordCipher }
  | { readonly memory: MemoryDurableLog };

export interface ClusterStateOptions {
  /** This manager's Raft id (> 0); the transport's id must match. */
  readonly id: NodeId;
  /** The first members of a brand-new cluster (this one included); ignored on restart. */
  readonly initialMembers: readonly NodeId[];
  readonly transport: Transport;
  readonly log: DurableLogChoice;
  readonly logger?: Logger;
  /** Randomness for election timeouts (seed it in simulation). */
  readonly rng?: Rng;
  /** Raft core settings (electionTick, heartbeatTick, limits). */
  readonly raft?: Partial<Omit<Config, "id" | "storage" | "applied" | "rng" | "logger">>;
  /** Driver settings (tickMs, snapshotEveryEntries, proposalsPendingMax, ...). */
  readonly driver?: Partial<
    Omit<
      DriverOptions<ApplyResult>,
      "node" | "storage" | "log" | "transport" | "stateMachine" | "logger" | "applied" | "confState"
    >
  >;
  /** Store settings (ids, clock, history limits); the proposer is this cluster state. */
  readonly store?: Omit<StoreOptions, "proposer">;
}

/**
 * Bytes the driver adds to every proposal (its envelope: three varints of at most 8 bytes, see
 * @shoal/raft's driver/envelope.ts), plus slack. The store's transactions must leave room for it
 * under Raft's maxProposalBytes, or a full-size transaction is refused by Raft on every retry.
 */
export const PROPOSAL_ENVELOPE_BYTES_MAX = 64;

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export class ClusterState {
  readonly id: NodeId;
  readonly store: Store;
  readonly leadership = new Leadership();
  private readonly driver: RaftDriver<ApplyResult>;
  private readonly raw: RawNode;
  private readonly wal: Wal | undefined;
  private readonly transport: Transport;
  private stopping: Promise<void> | undefined;

  private constructor(options: ClusterStateOptions, store: Store, wal: Wal | undefined, state: DurableState) {
    this.id = options.id;
    this.store = store;
    this.wal = wal;
    this.transport = options.transport;
    const logger = options.logger ?? SILENT;
    const storage = new MemoryStorage();
    if (state.snapshot) {
      storage.applySnapshot(state.snapshot);
      store.restore(state.snapshot.data);
    }
    storage.setHardState(state.hardState);
    storage.append(state.entries);
    const applied = state.snapshot?.metadata.index ?? 0;
    const config: Config = {
      ...DEFAULT_CONFIG,
      // Writes are made on the leader only: a deposed leader's loops must not have their
      // transactions (built from a stale view) forwarded to the next leader.
      disableProposalForwarding: true,
      ...options.raft,
      id: options.id,
      storage,
      applied,
      rng: options.rng ?? { intn: (n) => Math.floor(Math.random() * n) },
      logger,
    };
    const fresh = state.hardState.term === 0 && state.entries.length === 0 && !state.snapshot;
    // A fresh node with no initial members joins an existing cluster: the leader adds it and
    // sends it the log (or a snapshot).
    const bootstrap = fresh && options.initialMembers.length > 0;
    const raw = bootstrap ? RawNode.bootstrap(config, [...options.initialMembers]) : new RawNode(config);
    this.raw = raw;
    const node = new ObservedRaftNode(raw, (s) => this.leadership.set(s));
    this.driver = new RaftDriver<ApplyResult>({
      ...options.driver,
      node,
      storage,
      log: wal ?? ("memory" in options.log ? options.log.memory : neverLog()),
      transport: options.transport,
      // The store is the state machine: apply() = applyCommitted(entry.index, command).
      stateMachine: store,
      logger,
      applied,
      confState: storage.initialState().confState,
      onFatal: (err) => {
        this.leadership.set({ isLeader: false, leaderId: 0, term: this.leadership.current.term });
        options.driver?.onFatal?.(err);
      },
    });
  }

  /** Loads the durable state (WAL or memory), restores the store from it and builds the node. */
  static async open(options: ClusterStateOptions): Promise<ClusterState> {
    if (options.transport.id !== options.id)
      throw new RangeError("cluster state: transport id must equal id");
    const raftMax = options.raft?.maxProposalBytes ?? DEFAULT_CONFIG.maxProposalBytes;
    const store = new Store({
      ...options.store,
      proposalBytesMax: Math.min(
        options.store?.proposalBytesMax ?? DEFAULT_PROPOSAL_BYTES_MAX,
        raftMax - PROPOSAL_ENVELOPE_BYTES_MAX,
      ),
    });
    let opened: ClusterState;
    if ("walDir" in options.log) {
      const { cipher } = options.log;
      const { wal, state } = await openWal(options.log.walDir, {
        logger: options.logger ?? SILENT,
        ...(cipher ? { cipher } : {}),
      });
      opened = new ClusterState(options, store, wal, state);
    } else {
      opened = new ClusterState(options, store, undefined, options.log.memory.load());
    }
    store.setProposer(opened);
    return opened;
  }

  /** Starts ticking and talking to peers. */
  start(): void {
    this.driver.start();
  }

  /** Stops the node, closes the transport and the WAL; leadership reads "not leader". Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.driver.stop();
      this.leadership.set({ isLeader: false, leaderId: 0, term: this.leadership.current.term });
      await this.transport.close();
      await this.wal?.close();
    })();
    return this.stopping;
  }

  /** The Raft index this manager has applied. */
  get appliedIndex(): number {
    return this.driver.appliedIndex;
  }

  /**
   * Proposes a store transaction; resolves once it is applied here. Rejects with a RaftError
   * "proposal-dropped" on a follower (writes go to the leader) or a DriverError.
   */
  propose(data: Uint8Array): Promise<ApplyResult> {
    return this.driver.propose(data);
  }

  /**
   * Resolves once this manager's store has applied every entry committed before the call
   * (a ReadIndex round). A new leader calls it before starting its loops, so they reconcile from
   * a store that holds every write of the previous leaders.
   */
  async leaderBarrier(): Promise<void> {
    await this.driver.read();
  }

  /**
   * Proposes a Raft membership change (on the leader); resolves with the new ConfState once it
   * is applied here. `cc.context` carries a new member's "host:port".
   */
  proposeConfChange(cc: ConfChange): Promise<ConfState> {
    return this.driver.proposeConfChange(cc);
  }

  /** The Raft node's status: term, commit, membership, and every member's progress on the leader. */
  raftStatus(): Status {
    return this.raw.status();
  }

  /** Hands leadership to `to` (used by tests and by demotion). */
  transferLeadership(to: NodeId): void {
    this.driver.transferLeadership(to);
  }
}

function neverLog(): never {
  throw new Error("cluster state: no durable log");
}
