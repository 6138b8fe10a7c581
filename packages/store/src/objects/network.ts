import { z } from "zod";
import { Driver, Labels, ObjectMeta, ObjectName } from "./common.ts";

export const IpamConfig = z.object({
  /** CIDR, e.g. 10.0.1.0/24. */
  subnet: z.string(),
  gateway: z.string(),
  range: z.string().optional(),
});
export type IpamConfig = z.infer<typeof IpamConfig>;

export const NetworkSpec = z.object({
  name: ObjectName,
  labels: Labels,
  /** overlay (default) or bridge-like local drivers. */
  driver: Driver,
  ipam: z.object({ driver: Driver, configs: z.array(IpamConfig) }),
  internal: z.boolean(),
  attachable: z.boolean(),
  /** The routing mesh network (one per cluster). */
  ingress: z.boolean(),
});
export type NetworkSpec = z.infer<typeof NetworkSpec>;

export const Network = z.object({
  ...ObjectMeta,
  spec: NetworkSpec,
  /** The subnets the allocator actually gave (empty until allocated). */
  ipam: z.array(IpamConfig),
  /** e.g. the VXLAN id for overlay networks. */
  driverState: Driver.optional(),
});
export type Network = z.infer<typeof Network>;
