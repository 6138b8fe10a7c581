/** The session's waits and bounds, units last. */
export interface SessionLimits {
  /** Backoff between attempts to open a session: doubles from min to max. */
  readonly connectDelayMsMin: number;
  readonly connectDelayMsMax: number;
  /** A session whose first message does not arrive in this time is given up (next manager). */
  readonly sessionOpenTimeoutMs: number;
  /** A heartbeat that takes longer than this fails (and the session is opened again elsewhere)... */
  readonly heartbeatDeadlineMsMin: number;
  /** Deadline of status reports and other unary calls. */
  readonly callDeadlineMs: number;
  /** How long a status report waits for a session before it is refused (the batcher retries it). */
  readonly reportWaitMs: number;
  /** Backoff after a failed certificate renewal. */
  readonly renewRetryDelayMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = Object.freeze({
  connectDelayMsMin: 100,
  connectDelayMsMax: 5_000,
  sessionOpenTimeoutMs: 5_000,
  heartbeatDeadlineMsMin: 1_000,
  callDeadlineMs: 10_000,
  reportWaitMs: 2_000,
  renewRetryDelayMs: 30_000,
});

export function resolveSessionLimits(overrides: Partial<SessionLimits> = {}): SessionLimits {
  const limits = { ...DEFAULT_SESSION_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`session limit ${name} must be a positive integer`);
  }
  if (limits.connectDelayMsMin > limits.connectDelayMsMax) {
    throw new RangeError("session limit connectDelayMsMin must not exceed connectDelayMsMax");
  }
  return limits;
}
