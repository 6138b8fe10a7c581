// @shoal/testkit: in-process clusters for tests and benchmarks.
export * from "./service-specs.ts";
export * from "./sim-cluster.ts";
export * from "./sim-manager.ts";
export * from "./sim-network.ts";
export * from "./simulated-agent.ts";
export * from "./simulated-agents.ts";
export * from "./slot-check.ts";
export * from "./slot-monitor.ts";
export * from "./status-reporter.ts";
export * from "./timer-wheel.ts";
export * from "./wait-for.ts";
