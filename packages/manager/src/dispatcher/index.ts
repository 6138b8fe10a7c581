export * from "../logbroker/index.ts";
export * from "./assignment-changes.ts";
export { AssignmentFanout, AssignmentSubscription } from "./assignment-fanout.ts";
export { Dispatcher, type DispatcherOptions } from "./dispatcher.ts";
export { DispatcherEndpoint, dispatcherComponent } from "./dispatcher-endpoint.ts";
export * from "./dispatcher-settings.ts";
export { HeartbeatDeadlines } from "./heartbeat-deadlines.ts";
export {
  FOLLOWER_WEIGHT,
  hostOfPeer,
  LEADER_WEIGHT,
  type ManagerAddress,
  managerList,
  nodeDescriptionFromWire,
} from "./wire-node.ts";
