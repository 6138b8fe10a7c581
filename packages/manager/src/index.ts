// @shoal/manager: leader-only loops over the replicated store.
// Each loop lives in its own folder; add one export line per public module.
export * from "./loop/clock.ts";
export * from "./loop/debounce.ts";
export * from "./scheduler/index.ts";
export * from "./allocator/index.ts";
export * from "./orchestrator/manager-loop.ts";
export * from "./orchestrator/orchestrator-options.ts";
export * from "./orchestrator/orchestrators.ts";
export * from "./orchestrator/replicated/replicated-orchestrator.ts";
export * from "./orchestrator/rebalance/rebalancer.ts";
export * from "./orchestrator/global/global-orchestrator.ts";
export * from "./orchestrator/restart/restart-supervisor.ts";
export * from "./orchestrator/restart/restart-policy.ts";
export * from "./orchestrator/update/update-supervisor.ts";
export * from "./orchestrator/task-reaper/task-reaper.ts";
export * from "./orchestrator/constraint-enforcer/constraint-enforcer.ts";
export * from "./control/control-error.ts";
export * from "./control/control-context.ts";
export * from "./control/service-spec-input.ts";
export * from "./control/services.ts";
export * from "./control/tasks.ts";
export * from "./control/nodes.ts";
export * from "./control/networks.ts";
export * from "./control/secrets.ts";
export * from "./control/configs.ts";
export * from "./control/cluster.ts";
