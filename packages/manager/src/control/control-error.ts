/**
 * What went wrong in a control API call. The API layer maps codes to its own (tRPC) codes:
 * invalid-argument → BAD_REQUEST, not-found → NOT_FOUND, already-exists and conflict → CONFLICT,
 * failed-precondition → PRECONDITION_FAILED.
 */
export type ControlErrorCode =
  | "invalid-argument" // the input is malformed or names something that cannot be used
  | "not-found" // the object named does not exist
  | "already-exists" // the name is taken
  | "failed-precondition" // the object is not in a state that allows the call
  | "conflict"; // the object changed since the caller read it (version mismatch)

/** An expected failure of a control API call: the message says what was wrong and what to do. */
export class ControlError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

export function isControlError(error: unknown): error is ControlError {
  return error instanceof ControlError;
}
