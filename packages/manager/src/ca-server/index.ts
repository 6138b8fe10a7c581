export { CaServer, type CaServerOptions, type NewNode } from "./ca-server.ts";
export { certRoleOf, storeRoleOf } from "./node-roles.ts";
