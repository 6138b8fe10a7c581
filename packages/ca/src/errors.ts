/**
 * Every expected failure of the CA is a CaError with a code; callers branch on the code and show
 * the message, which says what was wrong and what to do.
 */
export type CaErrorCode =
  /** A join token that is not `SWMTKN-1-<50 base36>-<25 base36>`. */
  | "INVALID_JOIN_TOKEN"
  /** The CA certificate fetched from a remote does not hash to the join token's digest. */
  | "CA_MISMATCH"
  /** An operator-supplied (or stored) root CA certificate or key that cannot be used. */
  | "INVALID_ROOT_CA"
  /** A certificate signing request that cannot be parsed, is badly signed, or has a weak key. */
  | "INVALID_CSR"
  /** A request to issue that breaks a limit (bad node ID, lifetime out of range, ...). */
  | "INVALID_ISSUE_REQUEST"
  /** A certificate and private key that do not belong together. */
  | "KEY_MISMATCH"
  /** Stored key material that cannot be read back. */
  | "INVALID_STORED_CREDENTIALS"
  /** A stored private key that is encrypted (autolock) and no, or the wrong, unlock key was given. */
  | "KEY_LOCKED"
  /** Text that is not an unlock key (SWMKEY-1-...). */
  | "INVALID_UNLOCK_KEY"
  /** A peer certificate that does not chain to the trust bundle, or is outside its validity. */
  | "PEER_UNTRUSTED"
  /** A peer certificate without a usable node ID, role or cluster ID. */
  | "PEER_MALFORMED"
  /** A peer whose role is not allowed on this connection. */
  | "PEER_ROLE_NOT_ALLOWED"
  /** A peer from another cluster (O differs). */
  | "PEER_WRONG_CLUSTER"
  /** A peer whose node has been removed from the swarm. */
  | "PEER_REMOVED";

export class CaError extends Error {
  override readonly name = "CaError";
  constructor(
    readonly code: CaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** For programmer errors only: what must never happen. Always on. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
