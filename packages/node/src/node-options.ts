/** What a node is started with, what swarm init/join take, and what `info()` returns. */
import type { Logger } from "@shoal/raft";
import { z } from "zod";
import type { NodeHttpOptions } from "./http/index.ts";

export const DEFAULT_LISTEN_ADDR = "0.0.0.0:2377";
export const DEFAULT_API_ADDR = "127.0.0.1:8080";

export interface StartNodeOptions {
  readonly dataDir: string;
  /** gRPC + mTLS between nodes ("host:port"); default 0.0.0.0:2377. */
  readonly listenAddr?: string;
  /** The address other nodes reach this one at; default: the listen address. */
  readonly advertiseAddr?: string;
  /** Where the HTTP API will listen (the API issue); default 127.0.0.1:8080. Recorded only. */
  readonly apiAddr?: string;
  /** The Docker Engine ("unix:///path" or "tcp://host:port"); default DOCKER_HOST or docker's socket. */
  readonly dockerHost?: string;
  /** Where the routing mesh listens for ingress-published ports; default 0.0.0.0 (tests: 127.0.0.N). */
  readonly meshListenHost?: string;
  /** The node's host name in the swarm; default the OS host name. */
  readonly hostname?: string;
  readonly logger: Logger;
  /** Serve the HTTP API, live updates and the UI handler on `apiAddr` (http/); absent = not served. */
  readonly http?: NodeHttpOptions;
  /**
   * Raft snapshots of a manager: every `everyEntries` entries, keeping `keepEntries` after one
   * for slow followers. Default 10,000 and 500; tests use small values to force snapshots.
   */
  readonly raftSnapshot?: { readonly everyEntries: number; readonly keepEntries: number };
}

const HostPort = z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "an address is host:port");

export const SwarmInitInput = z.object({
  advertiseAddr: HostPort.optional(),
  forceNewCluster: z.boolean().optional(),
  /** `--autolock`: managers' keys are encrypted with an unlock key they need after a restart. */
  autolock: z.boolean().optional(),
  /** An operator-supplied root CA (PEM certificate and key). */
  rootCa: z.object({ certPem: z.string().min(1), keyPem: z.string().min(1) }).optional(),
});
export type SwarmInitInput = z.infer<typeof SwarmInitInput>;

export const SwarmJoinInput = z.object({
  token: z.string().min(1, "a join token is required"),
  remoteAddr: HostPort,
  advertiseAddr: HostPort.optional(),
});
export type SwarmJoinInput = z.infer<typeof SwarmJoinInput>;

export interface NodeInfo {
  /** "locked": a manager whose keys are encrypted (autolock) and that waits for `swarm unlock`. */
  readonly swarm: "active" | "inactive" | "locked";
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: "manager" | "worker" | "";
  readonly raftId: number;
  readonly isLeader: boolean;
  readonly leaderRaftId: number;
  readonly listenAddr: string;
  readonly advertiseAddr: string;
  readonly managers: readonly { raftId: number; addr: string }[];
  readonly engineAvailable: boolean;
}
