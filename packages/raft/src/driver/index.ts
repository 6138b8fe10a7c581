export { RaftDriver } from "./driver.ts";
export { DriverError, type DriverErrorCode } from "./driver-error.ts";
export { DEFAULT_DRIVER_SETTINGS, type DriverOptions, type DriverSettings } from "./driver-options.ts";
export { type ProposalId, unwrapCommand, wrapCommand } from "./envelope.ts";
export type { DurableLog, LogStorage, RaftNode, StateMachine } from "./ports.ts";
