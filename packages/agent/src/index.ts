export { Agent, type AgentOptions } from "./agent.ts";
export { type AgentLimits, DEFAULT_AGENT_LIMITS, resolveAgentLimits } from "./agent-limits.ts";
export { type ControllerStep, isForward, nextStep } from "./controller/next-step.ts";
export { AgentError, type AgentErrorCode, isAgentError } from "./errors.ts";
export { DockerExecutor, type DockerExecutorOptions } from "./executor/docker/docker-executor.ts";
export { connectEngine, engineAddressFromEnv } from "./executor/docker/engine-connection.ts";
export { nodeDescriptionFromInfo } from "./executor/docker/node-description.ts";
export * from "./executor/docker/task-labels.ts";
export type {
  ContainerObservation,
  Executor,
  ExitResult,
  LogOptions,
  LogRecord,
  NodeIdentity,
} from "./executor/executor.ts";
export * from "./logs/index.ts";
export * from "./network/index.ts";
export * from "./session/index.ts";
export type {
  AssignmentChange,
  AssignmentMessage,
  AssignmentSource,
  ServiceInfo,
  StatusReporter,
  TaskAssignment,
  TaskStatusUpdate,
} from "./session-interface.ts";
export { StatusBatcher } from "./status-batcher.ts";
export { TaskFiles, type TaskFilesOptions } from "./task-files/task-files.ts";
