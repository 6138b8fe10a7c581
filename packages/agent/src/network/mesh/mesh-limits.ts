import { AgentError } from "../../errors.ts";

/** The routing mesh's bounds. Units last. */
export interface MeshLimits {
  /** A backend that has not accepted the connection by then counts as failed; the next one is tried. */
  connectTimeoutMs: number;
  /** Backends tried for one client connection before it is closed. */
  connectAttemptsMax: number;
  /** Open TCP connections per published port; past it new clients are closed at once. */
  connectionsPerPortMax: number;
  /** A UDP flow (one client address:port) with no datagram either way for this long is closed. */
  udpFlowIdleMs: number;
  /** Live UDP flows per published port; past it datagrams from new clients are dropped. */
  udpFlowsPerPortMax: number;
}

export const DEFAULT_MESH_LIMITS: Readonly<MeshLimits> = Object.freeze({
  connectTimeoutMs: 2_000,
  connectAttemptsMax: 3,
  connectionsPerPortMax: 10_000,
  udpFlowIdleMs: 30_000,
  udpFlowsPerPortMax: 10_000,
});

export function resolveMeshLimits(partial: Partial<MeshLimits> = {}): MeshLimits {
  const limits = { ...DEFAULT_MESH_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new AgentError("INVALID_CONFIG", `mesh limit ${name} must be a positive integer, got ${value}`);
    }
  }
  return limits;
}
