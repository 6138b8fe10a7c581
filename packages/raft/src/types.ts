/**
 * The data Raft exchanges with its caller and its peers. Plain objects only: everything here can
 * be encoded by codec.ts, persisted by the WAL and sent by a transport.
 */

/** A member's id in the Raft group: a positive integer. 0 means "nobody". */
export type NodeId = number;
export const NO_NODE: NodeId = 0;

export enum EntryType {
  Normal = 0,
  /** data is an encoded ConfChange (codec.encodeConfChange). */
  ConfChange = 1,
}

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be on disk before any message that depends on it is sent. */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
}

export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: NO_NODE, commit: 0 });

/**
 * The membership. During a joint configuration `votersOutgoing` is non-empty and a decision needs
 * a majority of both `voters` and `votersOutgoing`.
 */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  /** The old voters while in a joint configuration; empty otherwise. */
  readonly votersOutgoing: readonly NodeId[];
  /** Voters that become learners when the joint configuration is left. */
  readonly learnersNext: readonly NodeId[];
  /** Leave the joint configuration automatically once it is committed. */
  readonly autoLeave: boolean;
}

export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: Uint8Array;
}

export enum ConfChangeType {
  AddNode = 0,
  RemoveNode = 1,
  AddLearner = 2,
}

export interface ConfChangeSingle {
  readonly type: ConfChangeType;
  readonly nodeId: NodeId;
}

/**
 * One membership change. A single change to voters is applied directly ("one at a time"); several
 * changes, or transition "explicit"/"joint", go through a joint configuration.
 * transition: "auto" picks simple when possible, joint otherwise (leaving automatically);
 * "implicit" forces joint, left automatically; "explicit" forces joint, left by an empty change.
 */
export interface ConfChange {
  readonly transition: "auto" | "implicit" | "explicit";
  readonly changes: readonly ConfChangeSingle[];
  /** Opaque to Raft: the caller's own data (e.g. the new member's address). */
  readonly context: Uint8Array;
}

export enum MessageType {
  Hup = 0, // local: start an election
  Beat = 1, // local: leader sends heartbeats
  Prop = 2, // proposal (local, or forwarded by a follower)
  App = 3,
  AppResp = 4,
  Vote = 5,
  VoteResp = 6,
  PreVote = 7,
  PreVoteResp = 8,
  Snap = 9,
  SnapStatus = 10, // local: report of a snapshot send
  Heartbeat = 11,
  HeartbeatResp = 12,
  Unreachable = 13, // local
  TransferLeader = 14,
  TimeoutNow = 15,
  ReadIndex = 16,
  ReadIndexResp = 17,
  CheckQuorum = 18, // local
}

export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  /** App: term of the entry at `index`; Vote/PreVote: candidate's last log term. */
  readonly logTerm: number;
  /** App: index of the entry before `entries`; AppResp: highest matched (or rejected) index. */
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly snapshot?: Snapshot;
  readonly reject: boolean;
  /** AppResp rejections: the follower's hint for where to probe next. */
  readonly rejectHint: number;
  /** ReadIndex / Heartbeat context, or campaign type for votes. */
  readonly context: Uint8Array;
}

/** A linearizable read: once `index` has been applied, a read with `requestCtx` may be served. */
export interface ReadState {
  readonly index: number;
  readonly requestCtx: Uint8Array;
}

export enum Role {
  Follower = 0,
  PreCandidate = 1,
  Candidate = 2,
  Leader = 3,
}

export interface SoftState {
  readonly leader: NodeId;
  readonly role: Role;
}

/**
 * A batch of work for the caller. Duties, in order (see README):
 * 1. persist `hardState`, `entries` and `snapshot` (fsync when `mustSync`);
 * 2. send `messages` (only after step 1);
 * 3. apply `snapshot` then `committedEntries` to the state machine; for a ConfChange entry call
 *    applyConfChange();
 * 4. call advance(ready).
 */
export interface Ready {
  readonly softState?: SoftState;
  readonly hardState?: HardState;
  readonly readStates: readonly ReadState[];
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly mustSync: boolean;
}

export enum SnapshotStatus {
  Finish = 0,
  Failure = 1,
}

/** Injected randomness, so one seed replays a run exactly. */
export interface Rng {
  /** An integer in [0, n). */
  intn(n: number): number;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
