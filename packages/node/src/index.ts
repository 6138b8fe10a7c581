// @shoal/node: one node process (see README.md).
export { checkDockerEngine } from "./agent-role.ts";
export { type DataDirLayout, dataDirLayout } from "./data-dir.ts";
export * from "./http/index.ts";
export { jsonLogger, type LogLevel, SILENT_LOGGER } from "./json-logger.ts";
export { NodeError, type NodeErrorCode } from "./node-error.ts";
export * from "./node-options.ts";
export { checkDemotion, failuresTolerated, quorumOf } from "./quorum.ts";
export * from "./raft-timing.ts";
export { ShoalNode } from "./shoal-node.ts";
export { type RunningNode, startNode } from "./start-node.ts";
