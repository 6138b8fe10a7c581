import { AgentError } from "./errors.ts";

/** Every queue, batch, retry and wait the agent has, with its bound. Units last. */
export interface AgentLimits {
  /** A pull that has not finished by then is abandoned; the task is rejected if the image is absent. */
  imagePullTimeoutMs: number;
  /** Status updates wait this long for company before they are sent. */
  statusBatchGapMs: number;
  /** No status update waits longer than this to be sent. */
  statusBatchDelayMsMax: number;
  /** Updates per call to the reporter. */
  statusBatchMax: number;
  /** Backoff between failed reports: doubles from min to max. */
  statusRetryDelayMsMin: number;
  statusRetryDelayMsMax: number;
  /** Tasks the agent accepts in its assignment set. */
  tasksMax: number;
  /** Backoff between attempts to (re)open the engine's events stream. */
  eventsReconnectDelayMsMin: number;
  eventsReconnectDelayMsMax: number;
  /** Backoff between assignment sessions when one ends or fails. */
  sessionRetryDelayMsMin: number;
  sessionRetryDelayMsMax: number;
  /** Extra time, past a task's stop grace period, that a stop call may take before it is given up. */
  stopSlackMs: number;
  /** How long a task waits for a secret or config the manager has not sent yet before it is rejected. */
  taskFileWaitMs: number;
}

export const DEFAULT_AGENT_LIMITS: Readonly<AgentLimits> = Object.freeze({
  imagePullTimeoutMs: 60_000,
  statusBatchGapMs: 50,
  statusBatchDelayMsMax: 1_000,
  statusBatchMax: 100,
  statusRetryDelayMsMin: 100,
  statusRetryDelayMsMax: 5_000,
  tasksMax: 10_000,
  eventsReconnectDelayMsMin: 100,
  eventsReconnectDelayMsMax: 5_000,
  sessionRetryDelayMsMin: 100,
  sessionRetryDelayMsMax: 5_000,
  stopSlackMs: 10_000,
  taskFileWaitMs: 10_000,
});

/** Fills defaults and refuses limits that make no sense. */
export function resolveAgentLimits(overrides: Partial<AgentLimits> = {}): AgentLimits {
  const limits: AgentLimits = { ...DEFAULT_AGENT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new AgentError("INVALID_CONFIG", `agent limit ${name} must be a positive integer, got ${value}`);
    }
  }
  if (limits.statusBatchGapMs > limits.statusBatchDelayMsMax) {
    throw new AgentError("INVALID_CONFIG", "statusBatchGapMs must not exceed statusBatchDelayMsMax");
  }
  if (limits.statusRetryDelayMsMin > limits.statusRetryDelayMsMax) {
    throw new AgentError("INVALID_CONFIG", "statusRetryDelayMsMin must not exceed statusRetryDelayMsMax");
  }
  if (limits.eventsReconnectDelayMsMin > limits.eventsReconnectDelayMsMax) {
    throw new AgentError(
      "INVALID_CONFIG",
      "eventsReconnectDelayMsMin must not exceed eventsReconnectDelayMsMax",
    );
  }
  if (limits.sessionRetryDelayMsMin > limits.sessionRetryDelayMsMax) {
    throw new AgentError("INVALID_CONFIG", "sessionRetryDelayMsMin must not exceed sessionRetryDelayMsMax");
  }
  return limits;
}
