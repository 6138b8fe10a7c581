export { CaServer, type CaServerOptions, type NewNode } from "./ca-server.ts";
export { certRoleOf, storeRoleOf } from "./node-roles.ts";
export {
  maybeFinishRootRotation,
  nodeTrustBundle,
  RootRotationRenewal,
  RootRotationStatus,
  RotateRootCaInput,
  recordRootRotationRenewal,
  rootRotationStatus,
  rotateRootCa,
} from "./root-rotation.ts";
export { ROOT_ROTATION_RETRY_MS, RootRotationFinisher } from "./root-rotation-finisher.ts";
