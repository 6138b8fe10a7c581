/** Expected allocation failures; the control API turns them into user errors. */
export type AllocationErrorCode =
  | "port-conflict" // an explicit published port is taken by another service
  | "ports-exhausted" // no free port left in the dynamic range
  | "addresses-exhausted" // a network's subnet is full
  | "subnets-exhausted" // the address pools have no free subnet left
  | "invalid-subnet"; // a subnet that does not parse or overlaps another network's

export class AllocationError extends Error {
  constructor(
    readonly code: AllocationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AllocationError";
  }
}
