/** Operating errors the agent expects and reports; anything else is a bug. */
export type AgentErrorCode =
  | "ENGINE_UNREACHABLE"
  | "IMAGE_NOT_FOUND"
  | "INVALID_TEMPLATE"
  | "CONTAINER_CREATE_FAILED"
  | "NETWORK_ATTACH_FAILED"
  | "TASK_FILES_UNAVAILABLE"
  | "CONTAINER_START_FAILED"
  | "CONTAINER_UNHEALTHY"
  | "CONTAINER_GONE"
  | "ASSIGNMENT_SEQUENCE_GAP"
  | "TOO_MANY_TASKS"
  | "TASK_NOT_FOUND"
  | "INVALID_CONFIG";

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AgentError";
  }
}

export function isAgentError(err: unknown, code?: AgentErrorCode): err is AgentError {
  return err instanceof AgentError && (code === undefined || err.code === code);
}

/** A failed assertion: a programmer error, never an operating one. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`agent invariant violated: ${message}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
