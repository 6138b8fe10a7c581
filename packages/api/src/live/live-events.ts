import type { ChangeAction, ObjectOf } from "@shoal/store";

/** Kinds streamed as object deltas. */
export const LIVE_KINDS = ["node", "service", "task"] as const;
export type LiveKind = (typeof LIVE_KINDS)[number];

/** One object's change, stamped with the store version (Raft index) it was applied at. */
export interface ObjectDelta<K extends LiveKind> {
  readonly version: number;
  readonly timeMs: number;
  readonly action: ChangeAction;
  readonly id: string;
  /** The new state; the last state for a delete. */
  readonly object: ObjectOf<K>;
}

/** A line for an event feed. */
export interface LiveEvent {
  readonly version: number;
  readonly timeMs: number;
  readonly kind: LiveKind;
  readonly action: ChangeAction;
  readonly id: string;
  readonly name: string;
  readonly actor?: string;
}

export interface SubscribeRequest {
  /** `nodes`, `services`, `tasks`, `events`, or one object: `node:<id>`, `service:<id>`, `task:<id>`. */
  readonly rooms: readonly string[];
  /**
   * The store version the client's data is at (a list's `version`, or the last delta's): every
   * change after it is sent. Absent = from now.
   */
  readonly fromVersion?: number;
}

export type SubscribeResult =
  | { readonly ok: true; readonly version: number; readonly rooms: readonly string[] }
  | {
      readonly ok: false;
      readonly code: "forbidden" | "unauthenticated" | "resync-required" | "invalid-argument";
      readonly message: string;
      readonly version: number;
    };

/** Tells the client its data can no longer be patched: refetch, then subscribe from the new version. */
export interface ResyncNotice {
  readonly reason: string;
  readonly version: number;
}

export interface ServerToClientEvents {
  "node.updated": (delta: ObjectDelta<"node">) => void;
  "service.updated": (delta: ObjectDelta<"service">) => void;
  "task.updated": (delta: ObjectDelta<"task">) => void;
  event: (event: LiveEvent) => void;
  resync: (notice: ResyncNotice) => void;
  /** Credentials stopped working (token revoked, user removed): the server disconnects. */
  denied: (notice: { code: string; message: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: SubscribeResult) => void) => void;
  unsubscribe: (
    request: { rooms: readonly string[] },
    ack: (result: { rooms: readonly string[] }) => void,
  ) => void;
}
