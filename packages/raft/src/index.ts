export * from "./codec.ts";
// The Raft core (src/core).
export { type Config, DEFAULT_CONFIG, validateConfig } from "./config.ts";
export { checkInvariants } from "./core/invariants.ts";
export { EMPTY_CONF_STATE, MemoryStorage } from "./core/memory-storage.ts";
export { type ProgressStatus, RawNode, type Status } from "./core/raw-node.ts";
export * from "./driver/index.ts";
export * from "./errors.ts";
export type { Storage } from "./storage.ts";
export * from "./types.ts";
