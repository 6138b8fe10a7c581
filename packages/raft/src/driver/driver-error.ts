/** Expected failures of a driver request; the caller decides whether to retry. */
export type DriverErrorCode =
  /** This node stopped being (or following) the leader the request went to. The outcome of a
   * proposal is unknown: it may still commit under the next leader. */
  | "leadership-lost"
  /** Not applied within requestTimeoutMs; outcome unknown for proposals. */
  | "timeout"
  /** Too many requests already waiting (proposalsPendingMax / readsPendingMax). */
  | "busy"
  /** The driver was stopped or failed. */
  | "stopped";

export class DriverError extends Error {
  constructor(
    readonly code: DriverErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DriverError";
  }
}
