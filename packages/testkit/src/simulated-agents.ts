/**
 * Every simulated agent of a cluster, fed by one watch on the leader's store (5,000 agents with a
 * watch each would cost more than the cluster they test). Tasks are routed to the agent of their
 * node. When a new leader takes over, `attach()` starts again from its store: every agent
 * resyncs from a fresh view and reports again what the new leader has not heard of.
 */
import type { Store } from "@shoal/store";
import {
  DEFAULT_SIMULATED_EXECUTOR_OPTIONS,
  SimulatedAgent,
  type SimulatedExecutorOptions,
} from "./simulated-agent.ts";
import { StatusReporter, type StatusReporterLimits } from "./status-reporter.ts";
import { TimerWheel } from "./timer-wheel.ts";

export interface SimulatedAgentsOptions extends Partial<Omit<SimulatedExecutorOptions, "nowMs">> {
  readonly reporter?: Partial<StatusReporterLimits>;
  /** Granularity of the agents' step timers. */
  readonly timerResolutionMs?: number;
}

export class SimulatedAgents {
  readonly reporter: StatusReporter;
  private readonly agents = new Map<string, SimulatedAgent>();
  private readonly wheel: TimerWheel;
  private readonly executor: SimulatedExecutorOptions;
  private store: Store | undefined;
  private watch: AbortController | undefined;
  /** Errors of the watch loop (a test should find this empty). */
  readonly errors: unknown[] = [];

  constructor(options: SimulatedAgentsOptions = {}) {
    this.executor = {
      ...DEFAULT_SIMULATED_EXECUTOR_OPTIONS,
      random: Math.random,
      ...options,
      nowMs: Date.now,
    };
    const e = this.executor;
    if (!(e.failureRate >= 0 && e.failureRate <= 1)) throw new RangeError("agents: failureRate in [0, 1]");
    if (!(e.stepLatencyMs >= 0 && e.jitterMs >= 0 && e.stopLatencyMs >= 0))
      throw new RangeError("agents: latencies must be >= 0");
    this.wheel = new TimerWheel(options.timerResolutionMs ?? 5);
    this.reporter = new StatusReporter(() => this.store, options.reporter);
  }

  /** Adds the agent of `nodeId` (its node object is the cluster's to create). */
  add(nodeId: string): SimulatedAgent {
    let agent = this.agents.get(nodeId);
    if (agent === undefined) {
      agent = new SimulatedAgent(nodeId, this.executor, this.wheel, this.reporter);
      this.agents.set(nodeId, agent);
    }
    return agent;
  }

  get(nodeId: string): SimulatedAgent | undefined {
    return this.agents.get(nodeId);
  }

  get nodeIds(): string[] {
    return [...this.agents.keys()];
  }

  /** Follows `store` (the new leader's) from now on; undefined = no leader for now. */
  attach(store: Store | undefined): void {
    if (store === this.store) return;
    this.watch?.abort();
    this.watch = undefined;
    this.store = store;
    if (store === undefined) return;
    const watch = new AbortController();
    this.watch = watch;
    void this.follow(store, watch.signal);
    this.reporter.flush();
  }

  /** Ends a running task as its container exiting would (0 → COMPLETE, else FAILED). */
  exitTask(taskId: string, exitCode: number): boolean {
    for (const agent of this.agents.values()) if (agent.exit(taskId, exitCode)) return true;
    return false;
  }

  stop(): void {
    this.watch?.abort();
    this.wheel.stop();
    this.reporter.stop();
  }

  private async follow(store: Store, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const { snapshot, changes } = store.viewAndWatch(signal, ["task"]);
        try {
          for (const [nodeId, agent] of this.agents) {
            for (const task of snapshot.tasks.byNode(nodeId)) agent.handleTask(task, true);
          }
        } finally {
          snapshot.close();
        }
        for await (const batch of changes) {
          for (const change of batch.changes) {
            if (change.kind !== "task") continue;
            const agent = this.agents.get(change.object.nodeId);
            if (agent === undefined) continue;
            if (change.action === "delete") agent.forget(change.object.id);
            else agent.handleTask(change.object);
          }
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        if ((error as { code?: string }).code !== "resync-required") this.errors.push(error);
      }
    }
  }
}
