/**
 * One manager: its replicated cluster state (Raft + store) and the leader-only components, which
 * run while this manager leads. Start order: the Raft node, then the runner that follows
 * leadership; stop order: the runner (components stopped and awaited), then the Raft node.
 */

import type { LeaderComponentFactory } from "./leader/leader-component.ts";
import { leaderComponents } from "./leader/leader-components.ts";
import { LeaderRunner, type LeaderRunnerOptions } from "./leader/leader-runner.ts";
import type { Clock } from "./loop/clock.ts";
import { systemClock } from "./loop/clock.ts";
import type { LoopTiming } from "./orchestrator/manager-loop.ts";
import { ClusterState, type ClusterStateOptions } from "./state/cluster-state.ts";

export interface ManagerOptions extends ClusterStateOptions {
  readonly clock?: Clock;
  readonly timing?: Partial<LoopTiming>;
  /** Replaces the default leader components (allocator, scheduler, orchestrators). */
  readonly components?: (state: ClusterState, clock: Clock) => LeaderComponentFactory[];
  readonly onError?: (error: unknown, component: string) => void;
  readonly runner?: Omit<LeaderRunnerOptions, "onError">;
}

export class Manager {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly state: ClusterState,
    readonly runner: LeaderRunner,
  ) {}

  /** Opens the durable state and builds the manager; nothing runs until start(). */
  static async open(options: ManagerOptions): Promise<Manager> {
    const state = await ClusterState.open(options);
    const clock = options.clock ?? systemClock;
    const factories =
      options.components?.(state, clock) ??
      leaderComponents({ store: state.store, clock, timing: options.timing, onError: options.onError });
    const runner = new LeaderRunner(state, factories, { ...options.runner, onError: options.onError });
    return new Manager(state, runner);
  }

  get id(): number {
    return this.state.id;
  }

  start(): void {
    this.state.start();
    this.runner.start();
  }

  /** Stops the leader components (awaited), then the Raft node. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.runner.stop();
      await this.state.stop();
    })();
    return this.stopping;
  }
}
