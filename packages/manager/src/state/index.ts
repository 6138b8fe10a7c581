export { ClusterState, type ClusterStateOptions, type DurableLogChoice } from "./cluster-state.ts";
export { Leadership, type LeadershipListener, type LeadershipState, NO_LEADERSHIP } from "./leadership.ts";
export { type DurableState, MemoryDurableLog } from "./memory-durable-log.ts";
