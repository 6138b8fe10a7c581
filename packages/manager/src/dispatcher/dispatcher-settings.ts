/**
 * The dispatcher's timing and bounds. The heartbeat period is a cluster setting
 * (`cluster.spec.dispatcher.heartbeatPeriodMs`); the grace multiplier is read from the same place
 * when the cluster carries one, else the default here. Everything else is a named limit of the
 * component, validated when it is built.
 */
import type { Cluster } from "@shoal/store";

/** Heartbeat period when no cluster object exists yet (1 s: swarm uses 5 s). */
export const DEFAULT_HEARTBEAT_PERIOD_MS = 1_000;
/**
 * A node is DOWN once this many periods pass without a heartbeat. 2.5 × 1 s = 2.5 s, plus one
 * sweep and one write, stays under 3 s; an agent sends within one period, so one late heartbeat
 * is tolerated.
 */
export const DEFAULT_HEARTBEAT_GRACE_MULTIPLIER = 2.5;
/** The period handed to an agent is the configured one minus up to this fraction (spreads load). */
export const HEARTBEAT_JITTER_FRACTION = 0.25;

export interface DispatcherLimits {
  /** How often expired heartbeat deadlines are looked for, as a fraction of the period's ms... */
  readonly deadlineSweepFraction: number;
  /** ...but never less often than this. */
  readonly deadlineSweepMsMax: number;
  /** Node and task status writes wait this long for company before one store.batch(). */
  readonly writeGatherMs: number;
  /** Writes pending at once; callers past it are refused (UNAVAILABLE) until the writer drains. */
  readonly writesPendingMax: number;
  /** Wait before writes that lost a race or failed are tried again. */
  readonly writeRetryMs: number;
  /** Changes in one assignments message (rpc's ASSIGNMENT_CHANGES_MAX at most). */
  readonly assignmentChangesMax: number;
  /** JSON characters in one assignments message (under gRPC's 4 MiB default receive limit). */
  readonly assignmentCharsMax: number;
  /** Changes queued for one assignments stream; a stream further behind is ended (the agent resyncs). */
  readonly assignmentQueueMax: number;
}

export const DEFAULT_DISPATCHER_LIMITS: DispatcherLimits = Object.freeze({
  deadlineSweepFraction: 0.1,
  deadlineSweepMsMax: 250,
  writeGatherMs: 20,
  writesPendingMax: 100_000,
  writeRetryMs: 100,
  assignmentChangesMax: 10_000,
  assignmentCharsMax: 3 * 1024 * 1024,
  assignmentQueueMax: 50_000,
});

export function resolveDispatcherLimits(overrides: Partial<DispatcherLimits> = {}): DispatcherLimits {
  const limits = { ...DEFAULT_DISPATCHER_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`dispatcher: ${name} must be > 0 (got ${value})`);
  }
  if (limits.deadlineSweepFraction > 1)
    throw new RangeError("dispatcher: deadlineSweepFraction must be <= 1");
  if (limits.assignmentChangesMax > 10_000)
    throw new RangeError("dispatcher: assignmentChangesMax must be <= 10000");
  return limits;
}

export interface HeartbeatSettings {
  readonly periodMs: number;
  readonly graceMultiplier: number;
}

/** The heartbeat settings a cluster object asks for (defaults without one). */
export function heartbeatSettings(cluster: Cluster | undefined): HeartbeatSettings {
  const dispatcher = cluster?.spec.dispatcher as
    | { heartbeatPeriodMs?: number; heartbeatGraceMultiplier?: number }
    | undefined;
  const periodMs = dispatcher?.heartbeatPeriodMs ?? DEFAULT_HEARTBEAT_PERIOD_MS;
  const multiplier = dispatcher?.heartbeatGraceMultiplier;
  return {
    periodMs,
    graceMultiplier:
      typeof multiplier === "number" && multiplier >= 1 ? multiplier : DEFAULT_HEARTBEAT_GRACE_MULTIPLIER,
  };
}

/** How long after a heartbeat (or a registration, or a leader's start) a node stays alive. */
export function graceMs(settings: HeartbeatSettings): number {
  return Math.ceil(settings.periodMs * settings.graceMultiplier);
}

/** The period an agent is told: the configured one minus a random share, never longer. */
export function jitteredPeriodMs(periodMs: number, random: () => number): number {
  const jitter = Math.floor(periodMs * HEARTBEAT_JITTER_FRACTION * random());
  return Math.max(1, periodMs - jitter);
}
