export { DnsServer, type DnsServerOptions } from "./dns/dns-server.ts";
export { buildDnsServices, type DnsService, type DnsTable, indexNames } from "./dns/dns-table.ts";
export { parseResolvConf, readResolvConf, type Upstream } from "./dns/resolv-conf.ts";
export { type Backend, BackendPool } from "./mesh/backend-pool.ts";
export {
  EndpointFollower,
  type EndpointFollowerOptions,
  EndpointNetwork,
  type EndpointSource,
  type NetworkTable,
} from "./mesh/endpoint-follower.ts";
export { DEFAULT_MESH_LIMITS, type MeshLimits, resolveMeshLimits } from "./mesh/mesh-limits.ts";
export {
  addressOnly,
  buildMeshTable,
  isTaskInRotation,
  type MeshBackend,
  type MeshPort,
  type MeshService,
  type MeshTable,
} from "./mesh/mesh-table.ts";
export { RoutingMesh, type RoutingMeshOptions } from "./mesh/routing-mesh.ts";
export { type CommandRunner, localRunner } from "./overlay/command-runner.ts";
export { containerAttachment } from "./overlay/container-attachment.ts";
export {
  NETWORK_ID_LABEL,
  OverlayNetworks,
  type OverlayNetworksOptions,
} from "./overlay/overlay-networks.ts";
export {
  deviceNames,
  hostAddressOf,
  type OverlaySpec,
  overlaySpecOf,
  VXLAN_PORT,
  vxlanIdOf,
} from "./overlay/overlay-plan.ts";
export { TaskNetworks, type TaskNetworksOptions } from "./overlay/task-networks.ts";
export { VipBalancer, type VipBalancerOptions } from "./vip/vip-balancer.ts";
export type { VipTarget } from "./vip/vip-rules.ts";
