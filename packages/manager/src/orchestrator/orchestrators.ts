import { ConstraintEnforcer } from "./constraint-enforcer/constraint-enforcer.ts";
import { GlobalOrchestrator } from "./global/global-orchestrator.ts";
import type { OrchestratorOptions } from "./orchestrator-options.ts";
import { Rebalancer } from "./rebalance/rebalancer.ts";
import { ReplicatedOrchestrator } from "./replicated/replicated-orchestrator.ts";
import { RestartSupervisor } from "./restart/restart-supervisor.ts";
import { TaskReaper } from "./task-reaper/task-reaper.ts";
import { UpdateSupervisor } from "./update/update-supervisor.ts";

/** The running orchestrator loops of one leader term. */
export interface Orchestrators {
  /** Stops every loop and waits for them. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts every orchestrator loop on the store: replicated, global, restart supervisor, rolling
 * updater, task reaper, constraint enforcer. Call when this manager becomes leader; stop() when
 * it loses leadership (the next leader's loops resume from the store).
 */
export function startOrchestrators(options: OrchestratorOptions): Orchestrators {
  const loops = [
    new ReplicatedOrchestrator(options),
    new GlobalOrchestrator(options),
    new RestartSupervisor(options),
    new UpdateSupervisor(options),
    new TaskReaper(options),
    new ConstraintEnforcer(options),
    new Rebalancer(options),
  ];
  for (const loop of loops) loop.start();
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= Promise.all(loops.map((l) => l.stop())).then(() => undefined);
      return stopping;
    },
  };
}
