/** What simulated clients and nodes say to each other (outside Raft). */
import type { NodeId } from "../src/index.ts";
import type { KvInput, KvOutput } from "./kv-history.ts";

export interface ClientRequest {
  readonly client: number;
  readonly seq: number;
  readonly attempt: number;
  readonly input: KvInput;
}

export type ClientReply =
  | { readonly client: number; readonly seq: number; readonly kind: "done"; readonly output: KvOutput }
  /** Not served here; try `leaderHint` (0 when unknown). The op may still happen if forwarded. */
  | { readonly client: number; readonly seq: number; readonly kind: "redirect"; readonly leaderHint: NodeId };
